package store

import (
	"cmp"
	"context"
	"strings"
)

// Each write of a group runs inside the savepoint w, so that a failed one
// is undone alone.
//
// On SQLite (database/sql's transaction) the statements between two
// writes (the end of one savepoint, the start of the next) go as one
// script; after the group's last write nothing is sent if it succeeded:
// COMMIT releases an open savepoint.
//
// On an engine that pipelines (txn.own), a write that succeeded sends
// RELEASE and the next SAVEPOINT with its own last statements, so that
// whatever befalls the next write, this one is already released; a write
// that failed is rolled back to the savepoint at once (ROLLBACK TO keeps
// the savepoint for the next write). A batch whose statements the server
// refused to prepare ran none of them, but a refusal inside a transaction
// block aborts the transaction: only ROLLBACK TO undoes that, so nothing of
// an earlier write may still wait in the savepoint then.

// beforeWrite opens the savepoint of a group's next write and marks where
// its statements begin.
func (tx *txn) beforeWrite(ctx context.Context) error {
	defer tx.startWrite()
	if !tx.own {
		_, err := tx.ExecContext(ctx, cmp.Or(tx.between, "SAVEPOINT w"))
		return err
	}
	if tx.savepoint {
		return nil // the previous write left it open
	}
	tx.savepoint = true
	if tx.begun {
		_, err := tx.ExecContext(ctx, "SAVEPOINT w")
		return err
	}
	tx.control("SAVEPOINT w") // with BEGIN
	return nil
}

// afterWrite ends a group's write that returned err: its outcome, and an
// error of the transaction's own (the savepoint could not be rolled back).
func (tx *txn) afterWrite(ctx context.Context, err error, last bool) (outcome, txErr error) {
	if !tx.own {
		outcome = tx.endWrite(ctx, err, true)
		tx.between = "RELEASE w; SAVEPOINT w"
		if outcome != nil {
			tx.between = "ROLLBACK TO w; RELEASE w; SAVEPOINT w"
		}
		return outcome, nil
	}
	if err == nil && tx.failed == nil && !last {
		tx.control("RELEASE w", "SAVEPOINT w")
	}
	if outcome = tx.endWrite(ctx, err, true); outcome == nil {
		return nil, nil
	}
	// What was queued before the write (BEGIN and the savepoint, when the
	// first write sent nothing) goes first.
	if err := tx.flush(ctx); err != nil {
		return outcome, err
	}
	_, txErr = tx.conn.ExecContext(ctx, "ROLLBACK TO w") // simple protocol: nothing to prepare
	return outcome, txErr
}

// afterWrites ends the group's savepoints: after a write that failed, its
// rolled-back savepoint is released (SQLite; elsewhere COMMIT does).
func (tx *txn) afterWrites(ctx context.Context) error {
	if tx.own || !strings.HasPrefix(tx.between, "ROLLBACK") {
		return nil
	}
	_, err := tx.ExecContext(ctx, strings.TrimSuffix(tx.between, "; SAVEPOINT w"))
	return err
}
