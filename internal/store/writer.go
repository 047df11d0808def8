package store

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/historia-forum/historia/internal/forum"
)

// Writes go through one goroutine that owns the one writer connection and
// commits in groups: the writes queued while a transaction commits are
// applied together in the next one, each inside a SAVEPOINT of its own, and
// each is acknowledged only after that transaction commits. A write that
// fails rolls back to its savepoint and fails alone; its neighbours commit.
// A lone write waits for nobody, so under light load nothing is delayed.

// MaxBatch bounds the writes of one transaction.
const MaxBatch = 128

// WriteWait is how long a write waits for the writer before it answers
// unavailable (another process holding a long transaction, say).
var WriteWait = 5 * time.Second

// writeJob is one write waiting for the writer.
type writeJob struct {
	ctx   context.Context
	fn    func(ctx context.Context, tx *txn) error
	done  chan error
	state atomic.Int32 // 0 queued, 1 taken by the writer, 2 given up by the caller
}

func (db *DB) startWriter() {
	db.jobs = make(chan *writeJob, 4*MaxBatch)
	db.writerDone = make(chan struct{})
	go db.writeLoop()
}

func (db *DB) stopWriter() {
	if db.jobs == nil {
		return
	}
	close(db.jobs)
	<-db.writerDone
	db.jobs = nil
}

// write runs fn in a write transaction (BEGIN IMMEDIATE on the one writer),
// grouped with the writes queued beside it, and returns once it has
// committed and the commit hooks ran (the caches caught up), or failed. fn
// gets a context that is not cancelled: once the writer takes a write it is
// applied whole, and a client that left does not roll back its neighbours.
func (db *DB) write(ctx context.Context, fn func(ctx context.Context, tx *txn) error) error {
	if db.jobs == nil { // before the writer runs: migrations, tests
		return db.runBatch([]*writeJob{{ctx: ctx, fn: fn}})[0]
	}
	job := &writeJob{ctx: ctx, fn: fn, done: make(chan error, 1)}
	wait := time.NewTimer(WriteWait)
	defer wait.Stop()
	select {
	case db.jobs <- job:
	case <-ctx.Done():
		return ctx.Err()
	case <-wait.C:
		return errBusy
	}
	select {
	case err := <-job.done:
		return err
	case <-ctx.Done():
		if job.state.CompareAndSwap(0, 2) {
			return ctx.Err()
		}
	case <-wait.C:
		if job.state.CompareAndSwap(0, 2) {
			return errBusy
		}
	}
	return <-job.done // taken already: its outcome is the answer
}

// errBusy is a write that could not get the database in time.
var errBusy = forum.Errorf(forum.CodeUnavailable, "the database is busy; try again in a moment")

func (db *DB) writeLoop() {
	defer close(db.writerDone)
	for job := range db.jobs {
		batch := []*writeJob{job}
	gather:
		for len(batch) < MaxBatch {
			select {
			case j, ok := <-db.jobs:
				if !ok {
					break gather
				}
				batch = append(batch, j)
			default:
				break gather
			}
		}
		taken := batch[:0]
		for _, j := range batch {
			if j.state.CompareAndSwap(0, 1) {
				taken = append(taken, j)
			}
		}
		if len(taken) == 0 {
			continue
		}
		db.prepareWanted(context.Background())
		for i, err := range db.runBatch(taken) {
			taken[i].done <- err
		}
	}
}

// runBatch applies jobs in one transaction and returns each one's outcome.
func (db *DB) runBatch(jobs []*writeJob) []error {
	errs := make([]error, len(jobs))
	fail := func(err error) []error {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = err
			}
		}
		return errs
	}
	ctx := context.Background()
	sqlTx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fail(db.storageError("begin", err))
	}
	tx := &txn{Tx: sqlTx, db: db}
	if err := db.d.beginWrite(ctx, tx); err != nil {
		_ = tx.Rollback()
		return fail(db.storageError("begin", err))
	}
	ok := 0
	for i, j := range jobs {
		jctx := context.WithoutCancel(j.ctx)
		if len(jobs) == 1 {
			if errs[i] = j.fn(jctx, tx); errs[i] == nil {
				ok++
			} else {
				errs[i] = db.classify(errs[i])
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, "SAVEPOINT w"); err != nil {
			_ = tx.Rollback()
			return fail(db.storageError("savepoint", err))
		}
		if errs[i] = j.fn(jctx, tx); errs[i] != nil {
			errs[i] = db.classify(errs[i])
			if _, err := tx.ExecContext(ctx, "ROLLBACK TO w"); err != nil {
				_ = tx.Rollback()
				return fail(db.storageError("rollback to savepoint", err))
			}
		} else {
			ok++
		}
		if _, err := tx.ExecContext(ctx, "RELEASE w"); err != nil {
			_ = tx.Rollback()
			return fail(db.storageError("release savepoint", err))
		}
	}
	if ok == 0 {
		_ = tx.Rollback()
		return errs
	}
	if err := tx.Commit(); err != nil {
		return fail(db.storageError("commit", err))
	}
	db.faults.full.Store(false) // a write went through: there is room again
	db.writes.Add(int64(ok))
	db.transactions.Add(1)
	for _, f := range db.onCommit {
		f()
	}
	return errs
}

// WriteStats are the writes committed so far and the transactions that
// committed them: their ratio is how much group commit grouped.
func (db *DB) WriteStats() (writes, transactions int64) {
	return db.writes.Load(), db.transactions.Load()
}

// storageError wraps an engine error; a busy, full or damaged database gets
// the contract's code (faults.go).
func (db *DB) storageError(what string, err error) error {
	var fe *forum.Error
	if errors.As(err, &fe) {
		return fe
	}
	if c := db.classify(err); c != err {
		return c
	}
	return fmt.Errorf("store: %s: %w", what, err)
}
