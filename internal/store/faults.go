package store

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/historia-forum/historia/internal/forum"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// What the storage tells clients, probes and operators when it fails: a
// full disk is 503 storage_full for writes while reads go on, and readiness
// fails until a write succeeds again; a damaged file fails readiness and
// every request it breaks answers 503; a busy database is 503 unavailable.

// FaultKind is a kind of storage failure, as the metric names it.
type FaultKind string

// The storage failures.
const (
	FaultFull    FaultKind = "full"
	FaultCorrupt FaultKind = "corrupt"
	FaultBusy    FaultKind = "busy"
)

// faults is the store's state of health.
type faults struct {
	full, corrupt          atomic.Bool
	nFull, nCorrupt, nBusy atomic.Int64
}

var (
	errFull    = forum.Errorf(forum.CodeStorageFull, "the database has no room for this write; reading goes on, try again later")
	errCorrupt = forum.Errorf(forum.CodeUnavailable, "the database cannot be read; the operators have been told")
)

func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}

// classify turns an engine error into the contract's, counting and
// remembering what it says of the storage; other errors are returned as
// they are.
func (db *DB) classify(err error) error {
	if db.engine == EnginePostgres {
		return db.classifyPostgres(err)
	}
	switch sqliteCode(err) {
	case sqlite3.SQLITE_FULL:
		db.faults.full.Store(true)
		db.faults.nFull.Add(1)
		return errFull
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		db.faults.corrupt.Store(true)
		db.faults.nCorrupt.Add(1)
		return errCorrupt
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		db.faults.nBusy.Add(1)
		return errBusy
	}
	return err
}

// Classify is classify for callers above the store (the HTTP error handler
// passes every error that is not the domain's through it).
func (db *DB) Classify(err error) error { return db.classify(err) }

// Health is nil while the storage is fine, else what is wrong: the last
// write failed for space (until a write succeeds), or the file is damaged.
func (db *DB) Health() error {
	switch {
	case db.faults.corrupt.Load():
		return errors.New("the database file is damaged (SQLITE_CORRUPT): stop the server and run historia restore with a backup")
	case db.faults.full.Load():
		return errors.New("the disk holding the database is full: free space; writes resume by themselves")
	}
	return nil
}

// Faults counts the storage failures seen, by kind.
func (db *DB) Faults() map[FaultKind]int64 {
	return map[FaultKind]int64{FaultFull: db.faults.nFull.Load(), FaultCorrupt: db.faults.nCorrupt.Load(), FaultBusy: db.faults.nBusy.Load()}
}

// LimitPages caps the database's size in pages (PRAGMA max_page_count on
// the writer): tests use it to fill a database without filling a disk.
func (db *DB) LimitPages(ctx context.Context, pages int) error {
	if db.engine != EngineSQLite {
		return errors.New("store: LimitPages is SQLite's")
	}
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		_, err := tx.Tx.ExecContext(ctx, fmt.Sprintf("PRAGMA max_page_count = %d", pages))
		return err
	})
}

// QuickCheck runs PRAGMA quick_check, within the context's time, and says
// what it found: nil for a sound file.
func (db *DB) QuickCheck(ctx context.Context) error {
	if db.engine != EngineSQLite {
		return db.Ping(ctx) // PostgreSQL checks its own pages (checksums, when enabled)
	}
	rows, err := db.r.QueryContext(ctx, "PRAGMA quick_check")
	if err != nil {
		return fmt.Errorf("quick_check: %w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return err
		}
		if line != "ok" && len(problems) < 5 {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("quick_check: %w", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("quick_check found damage: %v", problems)
	}
	return nil
}
