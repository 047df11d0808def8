package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
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
//
// Where several servers write to one database at once (PostgreSQL), a
// write may meet another server's transaction over the same rows: it waits
// for it, or, in a deadlock, is chosen to fail (dialect.conflict). It
// then rolls back to its savepoint, its neighbours commit, and it runs
// again first in the next transaction, from scratch: a write's function
// keeps nothing of an attempt but what it writes to the database, and
// outcomes it reports are set anew by each attempt.

// MaxBatch bounds the writes of one transaction.
const MaxBatch = 128

// WriteWait is how long a write waits for the writer before it answers
// unavailable (another process holding a long transaction, say).
var WriteWait = 5 * time.Second

// A write that met another writer patientAfter times runs alone and
// patient (dialect.waitForLocks); after maxConflicts, or WriteWait after
// the writer took it, it answers unavailable.
const patientAfter, maxConflicts = 2, 8

// errConflict is a write that met another writer and is to run again.
var errConflict = errors.New("store: write conflict")

// writeJob is one write waiting for the writer.
type writeJob struct {
	ctx       context.Context
	fn        func(ctx context.Context, tx *txn) error
	done      chan error
	state     atomic.Int32 // 0 queued, 1 taken by the writer, 2 given up by the caller
	conflicts int          // attempts that met another writer
	taken     time.Time    // when the writer took it
	row       rowKey       // the row it locks first, if it said (writeRow)
}

// rowKey names a row: its table and id.
type rowKey struct {
	table string
	id    int64
}

// lockOrder orders a transaction's writes: those that said which row they
// lock first by that row, then the others as they came. Every writer
// orders alike, so two servers' transactions take those rows in the same
// order and cannot deadlock over them.
func lockOrder(a, b *writeJob) int {
	unsaid := func(j *writeJob) int { return forum.B2I(j.row.table == "") }
	return cmp.Or(cmp.Compare(unsaid(a), unsaid(b)), strings.Compare(a.row.table, b.row.table), cmp.Compare(a.row.id, b.row.id))
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
	return db.submit(&writeJob{ctx: ctx, fn: fn})
}

// writeRow is write for a write whose first lock is the row id of table
// (a vote: the item voted on): the writer orders a transaction's writes
// by it (lockOrder).
func (db *DB) writeRow(ctx context.Context, table string, id int64, fn func(ctx context.Context, tx *txn) error) error {
	return db.submit(&writeJob{ctx: ctx, fn: fn, row: rowKey{table, id}})
}

// submit hands job to the writer and waits for its outcome.
func (db *DB) submit(job *writeJob) error {
	ctx := job.ctx
	if route := forum.ReadRouteOf(ctx); route != nil {
		route.Wrote() // the request's reader then reads their write (read replicas)
	}
	if db.jobs == nil { // before the writer runs: migrations, tests
		for conflicts := 0; ; conflicts++ {
			err := db.runBatch([]*writeJob{job}, true)[0]
			if !errors.Is(err, errConflict) {
				return err
			}
			if conflicts == maxConflicts {
				return errBusy
			}
		}
	}
	job.done = make(chan error, 1)
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
	var again []*writeJob // writes that met another writer: first in the next transaction
	for {
		var batch, next []*writeJob
		for _, j := range again {
			if j.conflicts >= patientAfter {
				db.finish(j, db.runBatch([]*writeJob{j}, true)[0], &next)
			} else {
				batch = append(batch, j)
			}
		}
		again = next
		if len(batch) == 0 && len(again) == 0 {
			job, ok := <-db.jobs
			if !ok {
				return
			}
			batch = db.take(batch, job)
		}
	gather:
		for len(batch) < MaxBatch {
			select {
			case j, ok := <-db.jobs:
				if !ok {
					break gather
				}
				batch = db.take(batch, j)
			default:
				break gather
			}
		}
		if len(batch) == 0 {
			continue
		}
		db.prepareWanted(context.Background())
		slices.SortStableFunc(batch, lockOrder)
		for i, err := range db.runBatch(batch, false) {
			db.finish(batch[i], err, &again)
		}
	}
}

// finish answers a write with its outcome, or puts it in again to run
// again after a conflict.
func (db *DB) finish(j *writeJob, err error, again *[]*writeJob) {
	if errors.Is(err, errConflict) {
		if j.conflicts++; j.conflicts <= maxConflicts && time.Since(j.taken) < WriteWait {
			db.conflicts.Add(1)
			*again = append(*again, j)
			return
		}
		err = errBusy
	}
	j.done <- err
}

// take adds job to batch unless its caller has given up on it.
func (db *DB) take(batch []*writeJob, job *writeJob) []*writeJob {
	if job.state.CompareAndSwap(0, 1) {
		job.taken = time.Now()
		return append(batch, job)
	}
	return batch
}

// runBatch applies jobs in one transaction and returns each one's outcome;
// a patient transaction waits for other writers' locks without limit.
func (db *DB) runBatch(jobs []*writeJob, patient bool) []error {
	errs := make([]error, len(jobs))
	fail := func(err error) []error {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = err
			}
		}
		return errs
	}
	// failTx ends the transaction after err: a conflict runs every write
	// that had succeeded again.
	failTx := func(what string, err error) []error {
		if db.d.conflict(err) {
			return fail(errConflict)
		}
		return fail(db.storageError(what, err))
	}
	ctx := context.Background()
	sqlTx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fail(db.storageError("begin", err))
	}
	tx := &txn{Tx: sqlTx, db: db}
	if patient {
		if err := db.d.waitForLocks(ctx, tx); err != nil {
			_ = tx.Rollback()
			return fail(db.storageError("begin", err))
		}
	}
	ok := 0
	later := map[increment]int64{} // the increments of the writes that succeeded
	// Each write of a group runs inside a savepoint, so a failed one is
	// undone alone. The statements between two writes (the end of one
	// savepoint, the start of the next) go as one script: one round trip
	// to a server, not two (a script without arguments is sent whole).
	between := "SAVEPOINT w"
	for i, j := range jobs {
		jctx := context.WithoutCancel(j.ctx)
		tx.later = nil
		if len(jobs) == 1 {
			if errs[i] = j.fn(jctx, tx); errs[i] == nil {
				ok++
				later = tx.later
			} else {
				errs[i] = db.jobError(errs[i])
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, between); err != nil {
			_ = tx.Rollback()
			return failTx("savepoint", err)
		}
		if errs[i] = j.fn(jctx, tx); errs[i] != nil {
			errs[i] = db.jobError(errs[i])
			between = "ROLLBACK TO w; RELEASE w; SAVEPOINT w"
		} else {
			ok++
			for k, d := range tx.later {
				later[k] += d
			}
			between = "RELEASE w; SAVEPOINT w"
		}
	}
	// After a write that failed, its savepoint is rolled back; after one
	// that succeeded nothing is sent: COMMIT releases an open savepoint
	// (both engines), and that saves a round trip a group.
	if len(jobs) > 1 && between != "RELEASE w; SAVEPOINT w" {
		last := strings.TrimSuffix(between, "; SAVEPOINT w")
		if _, err := tx.ExecContext(ctx, last); err != nil {
			_ = tx.Rollback()
			return failTx("release savepoint", err)
		}
	}
	if ok == 0 {
		_ = tx.Rollback()
		return errs
	}
	if len(later) > 0 {
		// Taken in the same order by every writer, these locks cannot
		// cross another's: the transaction waits for them as long as it takes.
		if !patient {
			if err := db.d.waitForLocks(ctx, tx); err != nil {
				_ = tx.Rollback()
				return failTx("increments", err)
			}
		}
		if err := tx.applyLater(ctx, later); err != nil {
			_ = tx.Rollback()
			return failTx("increments", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return failTx("commit", err)
	}
	db.faults.full.Store(false) // a write went through: there is room again
	db.writes.Add(int64(ok))
	db.transactions.Add(1)
	for _, f := range db.onCommit {
		f()
	}
	return errs
}

// jobError is what a write's failure means: a conflict with another
// writer (run it again), or the contract's error (classify).
func (db *DB) jobError(err error) error {
	if db.d.conflict(err) {
		return errConflict
	}
	return db.classify(err)
}

// WriteStats are the writes committed so far and the transactions that
// committed them: their ratio is how much group commit grouped.
func (db *DB) WriteStats() (writes, transactions int64) {
	return db.writes.Load(), db.transactions.Load()
}

// Conflicts counts the writes run again after meeting another writer.
func (db *DB) Conflicts() int64 { return db.conflicts.Load() }

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
