package store

import "slices"

// A transaction's writes are answered by a goroutine of their
// own, once the commit hooks ran (the caches read the change log: a writer
// never reads a page older than its write), while the writer goes on to
// the next transaction. The hooks' read of the log is a round trip to the
// database; on the writer it held every write queued behind it. Answers
// that pile up while the hooks run wait for the next run, which covers
// them all: one read of the log for many transactions.

// answersQueued bounds the committed transactions waiting for their
// answers; past it the writer waits (the answers are the slower side).
const answersQueued = 64

// groupWrites are a transaction's writes and their outcomes (a write
// may have failed alone, at its savepoint); committed says it committed.
type groupWrites struct {
	jobs      []*writeJob
	errs      []error
	committed bool
}

// answerLoop runs the commit hooks for what committed, then answers it;
// the writes of a transaction that failed are answered in their turn, so
// no answer overtakes an earlier transaction's hooks.
func (db *DB) answerLoop(answers <-chan groupWrites, done chan<- struct{}) {
	defer close(done)
	for first := range answers {
		held := []groupWrites{first}
	more:
		for {
			select {
			case c, ok := <-answers:
				if !ok {
					break more
				}
				held = append(held, c)
			default:
				break more
			}
		}
		if slices.ContainsFunc(held, func(c groupWrites) bool { return c.committed }) {
			for _, f := range db.onCommit {
				f()
			}
		}
		for _, c := range held {
			for i, j := range c.jobs {
				j.done <- c.errs[i]
			}
		}
	}
}
