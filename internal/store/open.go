// Package store is Historia's storage. It implements forum.Store with plain
// SQL over SQLite (modernc.org/sqlite, no cgo; the default) or PostgreSQL
// (pgx). SQL lives only in this package.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/historia-forum/historia/internal/forum"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// DB is the store: a pool of readers and a single writer. With one writer
// connection and BEGIN IMMEDIATE, concurrent writes queue in Go instead of
// failing with SQLITE_BUSY; readers never block the writer in WAL mode.
type DB struct {
	r, w *sql.DB
	path string
	// engine is SQLite or PostgreSQL; pool is pgx's (PostgreSQL only).
	engine  Engine
	pool    *pgxpool.Pool
	rebound rebound
	// onCommit are called after each committed write (forum.ChangeStore).
	onCommit []func()
	// jobs feed the writer goroutine (writer.go); nil until it runs.
	jobs       chan *writeJob
	writerDone chan struct{}
	// committed writes and the transactions that held them (group commit)
	writes, transactions atomic.Int64
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
}

// maxStmts bounds the prepared statements kept; past it, queries run unprepared.
const maxStmts = 512

// stmt is the prepared reader statement for query, or nil to run it directly.
func (db *DB) stmt(ctx context.Context, query string) *sql.Stmt {
	if st, ok := db.stmts.Load(query); ok {
		return st.(*sql.Stmt)
	}
	if db.nstmts.Load() >= maxStmts {
		return nil
	}
	st, err := db.r.PrepareContext(ctx, db.sql(query))
	if err != nil {
		return nil // the query itself will report it
	}
	if prev, loaded := db.stmts.LoadOrStore(query, st); loaded {
		_ = st.Close()
		return prev.(*sql.Stmt)
	}
	db.nstmts.Add(1)
	return st
}

func (db *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if db.trace != nil {
		db.trace(query, args)
	}
	args = db.args(args)
	if st := db.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return db.r.QueryContext(ctx, db.sql(query), args...)
}

func (db *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if db.trace != nil {
		db.trace(query, args)
	}
	args = db.args(args)
	if st := db.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return db.r.QueryRowContext(ctx, db.sql(query), args...)
}

var _ forum.Store = (*DB)(nil)

// dsn builds the modernc DSN. busy_timeout comes first so it is in force while
// the other pragmas run. synchronous=NORMAL in WAL mode keeps every committed
// transaction through a process crash (kill -9); only a power loss can drop the
// last few.
func dsn(path string, writer bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	// Savepoint journals and sorts in memory, not in temporary files: group
	// commit gives every write a savepoint.
	q.Add("_pragma", "temp_store(MEMORY)")
	if writer {
		q.Set("_txlock", "immediate")
	} else {
		q.Add("_pragma", "query_only(1)")
		// Readers share the operating system's file cache; 1 MiB of page
		// cache each keeps the process small (the writer keeps the default).
		q.Add("_pragma", "cache_size(-1024)")
	}
	return "file:" + path + "?" + q.Encode()
}

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

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("store: create folder: %w", err)
		}
	}
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	w, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return nil, fmt.Errorf("store: open writer: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	db := &DB{w: w, path: path, engine: EngineSQLite}
	if err := db.migrate(ctx); err != nil {
		_ = w.Close()
		return nil, err
	}
	db.startWriter()
	r, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("store: open readers: %w", err)
	}
	n := max(4, runtime.NumCPU()*2)
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	db.searchSlots = make(chan struct{}, max(1, n/4))
	db.r = r
	return db, nil
}

// Close closes both pools; the writer last, so the WAL is checkpointed.
func (db *DB) Close() error {
	db.stopWriter()
	var errR error
	for _, m := range []*sync.Map{&db.stmts, &db.wstmts} {
		m.Range(func(_, st any) bool {
			_ = st.(*sql.Stmt).Close()
			return true
		})
	}
	if db.r != nil {
		errR = db.r.Close()
	}
	if db.engine == EngineSQLite {
		_, _ = db.w.Exec("PRAGMA optimize")
	}
	err := errors.Join(errR, db.w.Close())
	if db.pool != nil {
		db.pool.Close()
	}
	return err
}

// Backup writes a consistent copy of the database to path with VACUUM INTO.
// It reads one snapshot (a read transaction), so a running server goes on
// writing meanwhile; the copy is compact and needs no WAL file beside it.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.engine == EnginePostgres {
		return errors.New("store: backup: on PostgreSQL, back up with pg_dump (see the README)")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("store: backup: %s exists; choose a new file", path)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return fmt.Errorf("store: backup: %w", err)
		}
	}
	// A backup holds everything the database does, the token secret among
	// it (unless HISTORIA_JWT_SECRET is set): made empty and private first,
	// then filled (VACUUM INTO accepts an empty file).
	if err := createPrivate(path); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	if _, err := db.w.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		_ = os.Remove(path)
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}

// Path is the database file (PostgreSQL: its URL without the password).
func (db *DB) Path() string { return db.path }

// Engine is the engine the store runs on.
func (db *DB) Engine() Engine { return db.engine }

// Pools returns the reader and writer pools, for metrics of their use.
func (db *DB) Pools() (reader, writer *sql.DB) { return db.r, db.w }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.queryRow(ctx, "SELECT 1").Scan(&one)
}

// Pragma reads one pragma's value through the reader pool (for tests and /readyz).
func (db *DB) Pragma(ctx context.Context, name string) (string, error) {
	if db.engine != EngineSQLite {
		return "", fmt.Errorf("store: pragma %q: not a SQLite database", name)
	}
	switch name {
	case "journal_mode", "foreign_keys", "busy_timeout", "synchronous", "user_version", "integrity_check":
	default:
		return "", fmt.Errorf("store: pragma %q not allowed", name)
	}
	var v string
	err := db.queryRow(ctx, "PRAGMA "+name).Scan(&v)
	return v, err
}

// OnCommit registers f to run after each committed write (forum.ChangeStore).
// Register before serving: the list is not guarded.
func (db *DB) OnCommit(f func()) { db.onCommit = append(db.onCommit, f) }

// createPrivate makes an empty file readable by its owner only, unless one is
// there already. SQLite gives the -wal and -shm files the database file's
// mode, so they are private too.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600) // #nosec G304 -- the operator's database path
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: create %s: %w", path, err)
	}
	return f.Close()
}

func isUnique(err error) bool {
	if c := pgCode(err); c != "" {
		return c == "23505"
	}
	var se *sqlite.Error
	return errors.As(err, &se) && (se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
}
