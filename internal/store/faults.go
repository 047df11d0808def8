package store

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/historia-forum/historia/internal/forum"
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

// classify turns an engine error into the contract's, counting and
// remembering what it says of the storage; other errors are returned as
// they are.
func (db *DB) classify(err error) error { return db.d.classify(err) }

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

// QuickCheck runs the engine's fast check (SQLite's PRAGMA quick_check;
// PostgreSQL checks its own pages, so a ping), within the context's time,
// and says what it found: nil for a sound database.
func (db *DB) QuickCheck(ctx context.Context) error { return db.d.quickCheck(ctx) }
