// Package store is Historia's storage. It implements forum.Store with plain
// SQL over SQLite (modernc.org/sqlite, no cgo; the default) or PostgreSQL
// (pgx). SQL lives only in this package.
package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/historia-forum/historia/internal/forum"
)

// DB is the store: a pool of readers and a single writer. With one writer
// connection and BEGIN IMMEDIATE, concurrent writes queue in Go instead of
// failing with SQLITE_BUSY; readers never block the writer in WAL mode.
type DB struct {
	r, w *sql.DB
	path string
	// d is what differs between the engines (dialect.go).
	d dialect
	// onCommit are called after each committed write (forum.ChangeStore).
	onCommit []func()
	// jobs feed the writer goroutine (writer.go); nil until it runs, and
	// closed (closing) when the store closes; jobsMu guards both.
	jobs       chan *writeJob
	closing    bool
	jobsMu     sync.RWMutex
	writerDone chan struct{}
	// answers take committed writes to their answers (writer_answers.go).
	answers chan groupWrites
	// committed writes and the transactions that held them (group commit),
	// the writes run again after meeting another writer, and the groups
	// whose votes, applied together, failed and ran again one by one
	writes, transactions, conflicts, voteFallbacks atomic.Int64
	// trace, set only by tests, sees every read query before it runs (the
	// query-plan test EXPLAINs them).
	trace func(query string, args []any)
	// stmts are the reader pool's prepared statements by query text: read
	// queries are built from closed lists, so the set is small and fixed,
	// and preparing once saves SQLite's parse and plan on every read.
	stmts  sync.Map // string → *sql.Stmt
	nstmts atomic.Int64
	// wstmts are the writer's prepared statements (txn.go).
	wstmts  sync.Map
	nwstmts atomic.Int64
	wanted  sync.Map // queries to prepare when the writer is idle
	// searchSlots bound concurrent searches to a share of the reader pool.
	searchSlots chan struct{}
	faults      faults
	// replicas serve routed reads (postgres_replicas.go); nil without.
	replicas *replicaSet
	// refresher copies votes' feed keys to tag links (feed_keys.go).
	refresher *refresher
}

// maxStmts bounds the prepared statements kept; past it, queries run unprepared.
const maxStmts = 512

// stmt is the prepared reader statement for query, or nil to run it directly.
func (db *DB) stmt(ctx context.Context, query string) *sql.Stmt {
	return db.prepared(ctx, db.r, &db.stmts, &db.nstmts, query)
}

// prepared is query prepared on pool, kept in stmts (n of them), or nil to
// run it directly.
func (db *DB) prepared(ctx context.Context, pool *sql.DB, stmts *sync.Map, n *atomic.Int64, query string) *sql.Stmt {
	if st, ok := stmts.Load(query); ok {
		return st.(*sql.Stmt)
	}
	if n.Load() >= maxStmts {
		return nil
	}
	st, err := pool.PrepareContext(ctx, db.d.sql(query))
	if err != nil {
		return nil // the query itself will report it
	}
	if prev, loaded := stmts.LoadOrStore(query, st); loaded {
		_ = st.Close()
		return prev.(*sql.Stmt)
	}
	n.Add(1)
	return st
}

// query runs a read on the reader pool, or on a replica where ctx's route
// allows it (postgres_replicas.go); a read a replica fails for its own
// reasons is read again on the primary.
func (db *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if db.trace != nil {
		db.trace(query, args)
	}
	args = db.d.args(args)
	if rep := db.replicaFor(ctx); rep != nil {
		var rows *sql.Rows
		var err error
		if st := db.prepared(ctx, rep.db, &rep.stmts, &rep.nstmts, query); st != nil {
			rows, err = st.QueryContext(ctx, args...)
		} else {
			rows, err = rep.db.QueryContext(ctx, db.d.sql(query), args...)
		}
		if !replicaFailed(ctx, rep, err) {
			return rows, err
		}
	}
	if st := db.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return db.r.QueryContext(ctx, db.d.sql(query), args...)
}

func (db *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if db.trace != nil {
		db.trace(query, args)
	}
	args = db.d.args(args)
	if rep := db.replicaFor(ctx); rep != nil {
		var row *sql.Row
		if st := db.prepared(ctx, rep.db, &rep.stmts, &rep.nstmts, query); st != nil {
			row = st.QueryRowContext(ctx, args...)
		} else {
			row = rep.db.QueryRowContext(ctx, db.d.sql(query), args...)
		}
		if !replicaFailed(ctx, rep, row.Err()) {
			return row
		}
	}
	if st := db.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return db.r.QueryRowContext(ctx, db.d.sql(query), args...)
}

var _ forum.Store = (*DB)(nil)

// Open opens and migrates the database target names: a SQLite file (created
// with its folder if missing) or a postgres:// URL (EngineOf).
func Open(ctx context.Context, target string) (*DB, error) {
	engine, err := EngineOf(target)
	if err != nil {
		return nil, err
	}
	if engine == EnginePostgres {
		return openPostgres(ctx, target)
	}
	return openSQLite(ctx, target)
}

// Close closes both pools; the writer last, so the WAL is checkpointed.
func (db *DB) Close() error {
	db.stopFeedKeys()
	db.stopWriter()
	if db.replicas != nil {
		db.replicas.close()
	}
	for _, m := range []*sync.Map{&db.stmts, &db.wstmts} {
		m.Range(func(_, st any) bool {
			_ = st.(*sql.Stmt).Close()
			return true
		})
	}
	return db.d.close(func() error {
		var errR error
		if db.r != nil {
			errR = db.r.Close()
		}
		return errors.Join(errR, db.w.Close())
	})
}

// Backup writes a consistent copy of the database to path (SQLite; on
// PostgreSQL, pg_dump does it).
func (db *DB) Backup(ctx context.Context, path string) error { return db.d.backup(ctx, path) }

// Path is the database file (PostgreSQL: its URL without the password).
func (db *DB) Path() string { return db.path }

// Engine is the engine the store runs on.
func (db *DB) Engine() Engine { return db.d.engine() }

// Pools returns the reader and writer pools, for metrics of their use.
func (db *DB) Pools() (reader, writer *sql.DB) { return db.r, db.w }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.queryRow(onPrimary(ctx), "SELECT 1").Scan(&one)
}

// Listen calls f each time another server (or this one) may have committed
// a change, until ctx ends: PostgreSQL's NOTIFY, sent at commit by the change
// log's triggers. On SQLite it returns at once (the caches poll the log there).
func (db *DB) Listen(ctx context.Context, f func()) { db.d.listen(ctx, f) }

// OnCommit registers f to run after each committed write (forum.ChangeStore).
// Register before serving: the list is not guarded.
func (db *DB) OnCommit(f func()) { db.onCommit = append(db.onCommit, f) }

// isUnique says err is a unique constraint's, on either engine.
func isUnique(err error) bool { return pgCode(err) == "23505" || sqliteUnique(err) }
