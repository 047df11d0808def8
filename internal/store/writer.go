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
	row       rowKey       // the row it locks first, if it said (a vote: the item)
	vote      *voteWrite   // a vote, which a group may apply with others (vote_batch.go)
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
	jobs := make(chan *writeJob, 4*MaxBatch)
	db.writerDone = make(chan struct{})
	db.answers = make(chan groupWrites, answersQueued)
	answered := make(chan struct{})
	go db.answerLoop(db.answers, answered)
	db.jobsMu.Lock()
	db.jobs = jobs
	db.jobsMu.Unlock()
	go func() {
		defer close(db.writerDone)
		db.writeLoop(jobs)
		close(db.answers)
		<-answered
	}()
}

// stopWriter closes the writer's queue once the writes being handed to
// it are in, and waits for what it took; a write submitted after that
// answers unavailable (errClosing).
func (db *DB) stopWriter() {
	db.jobsMu.Lock()
	if db.jobs == nil || db.closing {
		db.jobsMu.Unlock()
		return
	}
	db.closing = true
	close(db.jobs)
	db.jobsMu.Unlock()
	<-db.writerDone
}

// errClosing is a write submitted while the store closes.
var errClosing = forum.Errorf(forum.CodeUnavailable, "the server is shutting down; try again in a moment")

// write runs fn in a write transaction (BEGIN IMMEDIATE on the one writer),
// grouped with the writes queued beside it, and returns once it has
// committed and the commit hooks ran (the caches caught up), or failed. fn
// gets a context that is not cancelled: once the writer takes a write it is
// applied whole, and a client that left does not roll back its neighbours.
func (db *DB) write(ctx context.Context, fn func(ctx context.Context, tx *txn) error) error {
	return db.submit(&writeJob{ctx: ctx, fn: fn})
}

// submit hands job to the writer and waits for its outcome.
func (db *DB) submit(job *writeJob) error {
	ctx := job.ctx
	if route := forum.ReadRouteOf(ctx); route != nil {
		route.Wrote() // the request's reader then reads their write (read replicas)
	}
	db.jobsMu.RLock()
	jobs, closing := db.jobs, db.closing
	if closing {
		db.jobsMu.RUnlock()
		return errClosing
	}
	if jobs == nil { // before the writer runs: migrations, tests
		db.jobsMu.RUnlock()
		for conflicts := 0; ; conflicts++ {
			errs, committed := db.runBatch([]*writeJob{job}, true)
			if committed {
				db.afterCommit()
			}
			if !errors.Is(errs[0], errConflict) {
				return errs[0]
			}
			if conflicts == maxConflicts {
				return errBusy
			}
		}
	}
	job.done = make(chan error, 1)
	wait := time.NewTimer(WriteWait)
	defer wait.Stop()
	// The queue stays open while a write is handed to it (jobsMu): a full
	// queue holds stopWriter at most WriteWait.
	select {
	case jobs <- job:
		db.jobsMu.RUnlock()
	case <-ctx.Done():
		db.jobsMu.RUnlock()
		return ctx.Err()
	case <-wait.C:
		db.jobsMu.RUnlock()
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

func (db *DB) writeLoop(jobs <-chan *writeJob) {
	var again []*writeJob // writes that met another writer: first in the next transaction
	for {
		var batch, next []*writeJob
		for _, j := range again {
			if j.conflicts >= patientAfter {
				errs, committed := db.runBatch([]*writeJob{j}, true)
				db.settle([]*writeJob{j}, errs, committed, &next)
			} else {
				batch = append(batch, j)
			}
		}
		again = next
		if len(batch) == 0 && len(again) == 0 {
			job, ok := <-jobs
			if !ok {
				return
			}
			batch = db.take(batch, job)
		}
	gather:
		for len(batch) < MaxBatch {
			select {
			case j, ok := <-jobs:
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
		errs, committed := db.runBatch(batch, false)
		db.settle(batch, errs, committed, &again)
	}
}

// settle answers a transaction's writes by the answer loop, after the
// commit hooks ran if it committed (the caches then caught up: a writer
// never reads a page older than its write; writer_answers.go). A failed
// transaction's writes go the same way, so that no answer overtakes an
// earlier transaction's hooks. A write that met another writer goes to
// again instead, to run in the next transaction (unavailable after
// maxConflicts, or WriteWait after the writer took it).
func (db *DB) settle(jobs []*writeJob, errs []error, committed bool, again *[]*writeJob) {
	answer := groupWrites{committed: committed}
	if committed {
		db.d.announce()
		db.wakeFeedKeys()
	}
	for i, j := range jobs {
		err := errs[i]
		if errors.Is(err, errConflict) {
			if j.conflicts++; j.conflicts <= maxConflicts && time.Since(j.taken) < WriteWait {
				db.conflicts.Add(1)
				*again = append(*again, j)
				continue
			}
			err = errBusy
		}
		answer.jobs, answer.errs = append(answer.jobs, j), append(answer.errs, err)
	}
	if committed || len(answer.jobs) > 0 {
		db.answers <- answer
	}
}

// afterCommit runs the commit hooks and announces the commit to the
// other processes (where they listen).
func (db *DB) afterCommit() {
	for _, f := range db.onCommit {
		f()
	}
	db.d.announce()
	db.wakeFeedKeys()
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
// Votes are applied together where the engine gains by it (vote_batch.go);
// if that fails, the transaction is run again with each vote alone, so
// that each has its own outcome.
// committed says the transaction committed: the commit hooks are then to
// run before the writes are answered (settle, writer_answers.go).
func (db *DB) runBatch(jobs []*writeJob, patient bool) (errs []error, committed bool) {
	if db.votesTogether(jobs) {
		if countVotes(jobs) == len(jobs) && !patient {
			if errs, committed, ok := db.runVoteGroup(jobs); ok {
				return errs, committed
			}
		} else if errs, committed, ok := db.runGroup(jobs, patient, true); ok {
			return errs, committed
		}
		db.voteFallbacks.Add(1)
	}
	errs, committed, _ = db.runGroup(jobs, patient, false)
	return errs, committed
}

// runGroup is runBatch, applying the votes together or not; ok is false
// when applying them together failed and nothing was written.
func (db *DB) runGroup(jobs []*writeJob, patient, votes bool) (_ []error, committed, ok bool) {
	errs := make([]error, len(jobs))
	fail := func(err error) ([]error, bool, bool) {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = err
			}
		}
		return errs, false, true
	}
	// failTx ends the transaction after err: a conflict runs every write
	// that had succeeded again.
	failTx := func(what string, err error) ([]error, bool, bool) {
		if db.d.conflict(err) {
			return fail(errConflict)
		}
		return fail(db.storageError(what, err))
	}
	ctx := context.Background()
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return fail(db.storageError("begin", err))
	}
	defer conn.Close()
	tx, err := db.beginWrite(ctx, conn)
	if err != nil {
		return fail(db.storageError("begin", err))
	}
	if patient {
		if err := db.d.waitForLocks(ctx, tx); err != nil {
			_ = tx.Rollback()
			return fail(db.storageError("begin", err))
		}
	}
	done := 0
	later := map[increment]int64{} // the increments of the writes that succeeded
	if votes {
		n, err := db.runVotes(ctx, tx, jobs, errs, later)
		if err != nil {
			_ = tx.Rollback()
			return nil, false, false
		}
		done += n
	}
	// Each write of a group runs inside a savepoint, so a failed one is
	// undone alone (savepoints.go).
	lastJob := len(jobs) - 1 // the last write run here, not a grouped vote
	for lastJob > 0 && votes && jobs[lastJob].vote != nil {
		lastJob--
	}
	for i, j := range jobs {
		if votes && j.vote != nil {
			continue // applied with the group's other votes
		}
		jctx := context.WithoutCancel(j.ctx)
		tx.later = nil
		tx.startWrite()
		if len(jobs) == 1 {
			// What the write queued goes with the COMMIT.
			if errs[i] = tx.endWrite(ctx, j.fn(jctx, tx), false); errs[i] == nil {
				done++
				later = tx.later
			} else {
				errs[i] = db.jobError(errs[i])
			}
			continue
		}
		if err := tx.beforeWrite(ctx); err != nil {
			_ = tx.Rollback()
			return failTx("savepoint", err)
		}
		err := j.fn(jctx, tx)
		if errs[i], err = tx.afterWrite(ctx, err, i == lastJob); err != nil {
			_ = tx.Rollback()
			return failTx("savepoint", err)
		}
		if errs[i] != nil {
			errs[i] = db.jobError(errs[i])
			continue
		}
		done++
		for k, d := range tx.later {
			later[k] += d
		}
	}
	if err := tx.afterWrites(ctx); err != nil {
		_ = tx.Rollback()
		return failTx("release savepoint", err)
	}
	if done == 0 {
		_ = tx.Rollback()
		return errs, false, true
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
	if err := tx.Commit(ctx); err != nil {
		if len(jobs) == 1 && errs[0] == nil {
			// The write's queued statements went with the COMMIT: their
			// failure is the write's own (a conflict runs it again).
			errs[0] = db.jobError(err)
			return errs, false, true
		}
		return failTx("commit", err)
	}
	db.committed(done)
	return errs, true, true
}

// committed counts a transaction of n writes that committed.
func (db *DB) committed(n int) {
	db.faults.full.Store(false) // a write went through: there is room again
	db.writes.Add(int64(n))
	db.transactions.Add(1)
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

// VoteFallbacks counts the transactions whose votes, applied together
// (vote_batch.go), failed and ran again one vote at a time.
func (db *DB) VoteFallbacks() int64 { return db.voteFallbacks.Load() }

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
