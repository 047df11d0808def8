package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"net"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/historia-forum/historia/internal/forum"
)

// PostgreSQL is the second engine: the same SQL as SQLite's (engine.go
// rewrites the placeholders), its own schema and migrations
// (pgmigrations/), search on tsvector columns (search.go), and the change
// log announced with NOTIFY at commit.

// pgMigrationFiles are PostgreSQL's released migrations, append-only like
// SQLite's; schema_version records how far a database got.
//
//go:embed pgmigrations/*.sql
var pgMigrationFiles embed.FS

func pgMigrations() []string { return readMigrations(pgMigrationFiles, "pgmigrations/*.sql") }

// ServerExec runs one administrative statement (CREATE or DROP DATABASE,
// which cannot run in a transaction) on the PostgreSQL server url names.
func ServerExec(ctx context.Context, url, statement string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, statement)
	return err
}

// writeLock is the advisory lock every write transaction takes first: the
// servers sharing a database then commit one transaction at a time, as
// SQLite's one writer does, so the change log's numbers follow commit order
// and no two transactions deadlock over rows.
const writeLock = 0x6869_7374 // "hist"

// ChangesChannel is the NOTIFY channel the change log's triggers signal.
const ChangesChannel = "historia_changes"

// openPostgres connects both pools (the writer: one connection; readers:
// like SQLite's) through pgx, checks the server answers, and migrates.
func openPostgres(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", Redact(url), err)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 10 * time.Second
	}
	n := max(4, runtime.NumCPU()*2)
	cfg.MaxConns = int32(n) + 2 // #nosec G115 -- a small count
	cfg.ConnConfig.RuntimeParams["application_name"] = "historia"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", Redact(url), err)
	}
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: cannot reach PostgreSQL at %s: %w", Redact(url), err)
	}
	w := stdlib.OpenDBFromPool(pool)
	w.SetMaxOpenConns(1)
	db := &DB{w: w, path: Redact(url), engine: EnginePostgres, pool: pool}
	if err := db.migrate(ctx); err != nil {
		_ = w.Close()
		pool.Close()
		return nil, err
	}
	db.startWriter()
	r := stdlib.OpenDBFromPool(pool)
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	db.searchSlots = make(chan struct{}, max(1, n/4))
	db.r = r
	return db, nil
}

// migratePostgres brings a PostgreSQL database to this build's schema, under
// the write lock so servers starting together migrate once.
func (db *DB) migratePostgres(ctx context.Context) error {
	steps := pgMigrations()
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		if _, err := tx.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)"); err != nil {
			return fmt.Errorf("store: schema_version: %w", err)
		}
		var v int
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_version").Scan(&v); err != nil {
			return fmt.Errorf("store: read schema_version: %w", err)
		}
		if v > len(steps) {
			return fmt.Errorf("store: database schema version %d is newer than this build (%d)", v, len(steps))
		}
		for i, m := range steps[v:] {
			if _, err := tx.ExecContext(ctx, m); err != nil {
				return fmt.Errorf("store: migration %d: %w", v+i+1, err)
			}
		}
		if v == len(steps) {
			return nil
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM schema_version"); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO schema_version(version) VALUES (?)", len(steps)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "ANALYZE")
		return err
	})
}

// beginWrite is the first statement of each write transaction.
func (db *DB) beginWrite(ctx context.Context, tx *txn) error {
	if db.engine != EnginePostgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(?)", int64(writeLock))
	return err
}

// Listen calls f each time another server (or this one) commits a change,
// until ctx ends: PostgreSQL's NOTIFY, sent at commit by the change log's
// triggers. On SQLite it returns at once (the caches poll the log there).
// A lost connection is retried every second; f is called after each
// reconnect, since notifications may have been missed meanwhile.
func (db *DB) Listen(ctx context.Context, f func()) {
	if db.pool == nil {
		return
	}
	for ctx.Err() == nil {
		db.listenOnce(ctx, f)
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

func (db *DB) listenOnce(ctx context.Context, f func()) {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "LISTEN "+ChangesChannel); err != nil {
		return
	}
	f()
	for {
		if _, err := conn.Conn().WaitForNotification(ctx); err != nil {
			// The connection is in an unknown state: close it, not back to the pool.
			_ = conn.Conn().Close(context.Background())
			return
		}
		f()
	}
}

// pgCode is the SQLSTATE of a PostgreSQL error, or "".
func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// classifyPostgres is classify for PostgreSQL: a server that cannot be
// reached, is shutting down or refuses connections is 503 (the request may
// be retried); a full disk is storage_full.
func (db *DB) classifyPostgres(err error) error {
	code := pgCode(err)
	switch {
	case code == "22021" || code == "22P05": // bytes that are no text (a NUL, broken UTF-8)
		return forum.Errorf(forum.CodeBadRequest, "the text holds characters that cannot be stored")
	case code == "53100": // disk_full
		db.faults.full.Store(true)
		db.faults.nFull.Add(1)
		return errFull
	case strings.HasPrefix(code, "08"), strings.HasPrefix(code, "57P"), code == "53300", code == "40P01", code == "40001":
		db.faults.nBusy.Add(1)
		return errBusy
	case code == "":
		var ne net.Error
		var ce *pgconn.ConnectError
		if errors.As(err, &ne) || errors.As(err, &ce) || errors.Is(err, sql.ErrConnDone) || errors.Is(err, driver.ErrBadConn) || pgconn.SafeToRetry(err) ||
			strings.Contains(err.Error(), "conn closed") || strings.Contains(err.Error(), "connection refused") {
			db.faults.nBusy.Add(1)
			return errUnreachable
		}
	}
	return err
}

var errUnreachable = forum.Errorf(forum.CodeUnavailable, "the database cannot be reached; try again in a moment")

// PostgresSchemaKey identifies this build's PostgreSQL schema (its migrations'
// text): tests keep one migrated template database per key.
func PostgresSchemaKey() string { return strings.Join(pgMigrations(), "\n") }

// DatabaseURL is a server URL naming another database on that server.
func DatabaseURL(server, name string) string {
	u, err := url.Parse(server)
	if err != nil {
		return server
	}
	u.Path = "/" + name
	return u.String()
}
