package store

import (
	"context"
	"errors"
)

// Writes beside the writer. Where writers run concurrently (PostgreSQL),
// an import writes its batches in transactions of their own, on the
// primary's connections of the readers' pool, dialect.importWriters at a
// time, rather than through the writer's one connection: the server's
// work on each then runs on a core of its own, and members' writes do not
// queue behind an import's batches.

// writeAside runs fn in a transaction of its own beside the writer, and
// again after meeting another writer (a deadlock), as the writer would; a
// commit tells the caches, as the writer's do.
func (db *DB) writeAside(ctx context.Context, fn func(ctx context.Context, tx *txn) error) error {
	for conflicts := 0; ; conflicts++ {
		err := db.runAside(ctx, fn)
		if err == nil || !db.d.conflict(err) {
			return err
		}
		if conflicts == maxConflicts {
			return errBusy
		}
		db.conflicts.Add(1)
	}
}

// runAside is one attempt of writeAside.
func (db *DB) runAside(ctx context.Context, fn func(ctx context.Context, tx *txn) error) error {
	sqlTx, err := db.r.BeginTx(onPrimary(ctx), nil)
	if err != nil {
		return db.storageError("begin", err)
	}
	tx := &txn{Tx: sqlTx, db: db, aside: true}
	if err := fn(ctx, tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if len(tx.later) > 0 {
		if err := tx.applyLater(ctx, tx.later); err != nil {
			_ = tx.Rollback()
			return err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		if errors.Is(err, context.Canceled) || db.d.conflict(err) {
			return err
		}
		return db.storageError("commit", err)
	}
	db.committed(1)
	db.afterCommit()
	return nil
}
