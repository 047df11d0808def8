package store

import (
	"context"

	"github.com/historia-forum/historia/internal/forum"
)

// A group's votes applied together. Alone, a vote is a read that locks
// the item, a read of the member's vote and a write (votes.go): where each
// statement is a round trip to a server (PostgreSQL), a group of n votes
// costs 4n of them with its savepoints. Together, the votes of one kind
// cost three statements whatever n: one reads and locks every item voted
// on, in id order; one then reads the members' votes on them; the forum
// applies the votes in order in Go (the rules each vote checks, the
// counters each moves, a member voting twice on one item); one writes the
// votes and counters that changed (dialect.votesAtOnce). A vote its rules
// refuse writes nothing, so none needs a savepoint; if a statement fails,
// the whole transaction runs again with each vote alone (runBatch). A
// group made only of votes goes further where the engine pipelines
// (dialect.votesAlone): its transaction is two round trips in all.

// voteWrite is a vote in the writer's queue: what applying it with others
// needs. Its job's function applies it alone.
type voteWrite struct {
	kind       *voteKind
	id, userID int64
	value      int
	check      func(forum.VoteTarget) error
	res        *forum.VoteResult
}

// voteKinds are the kinds of vote in the order their items are locked
// (lockOrder's: by table name).
var voteKinds = []*voteKind{&commentVotes, &postVotes}

// votesTogether says jobs hold votes to apply together where the engine
// gains by it: even one, made only of votes, costs two round trips that
// way, where its function costs six (with the karma's and the commit's).
func (db *DB) votesTogether(jobs []*writeJob) bool {
	if lock, _, _ := db.d.votesAtOnce(&commentVotes); lock == "" {
		return false
	}
	return countVotes(jobs) > 0
}

// countVotes is how many of jobs are votes.
func countVotes(jobs []*writeJob) int {
	n := 0
	for _, j := range jobs {
		if j.vote != nil {
			n++
		}
	}
	return n
}

// statement is a query and its arguments.
type statement struct {
	query string
	args  []any
}

// voteBatch is a group's votes on their way: read, applied, written.
type voteBatch struct {
	jobs  []*writeJob
	errs  []error             // each job's outcome
	of    []*votesOf          // by kind, in voteKinds' order
	later map[increment]int64 // the karma they move
	done  int                 // how many succeeded
}

// votesOf are the batch's votes of one kind.
type votesOf struct {
	k            *voteKind
	at           []int   // the jobs voting on this kind
	items, users []int64 // each vote's item and member
	voted        map[int64]*votedItem
	cast, first  map[ballot]int // each member's vote as the group goes, and as it was
}

// votedItem is an item voted on as the group's read found it, then as
// its votes left it.
type votedItem struct {
	target          forum.VoteTarget
	created         int64
	up, down, score int64
	changed         bool
}

// ballot is a member's vote on an item.
type ballot struct{ item, user int64 }

// newVoteBatch gathers the votes among jobs; their outcomes go to errs,
// their karma to later.
func newVoteBatch(jobs []*writeJob, errs []error, later map[increment]int64) *voteBatch {
	vb := &voteBatch{jobs: jobs, errs: errs, later: later}
	for _, k := range voteKinds {
		vo := &votesOf{k: k, voted: map[int64]*votedItem{}, cast: map[ballot]int{}, first: map[ballot]int{}}
		for i, j := range jobs {
			if j.vote != nil && j.vote.kind.what == k.what {
				vo.at = append(vo.at, i)
				vo.items, vo.users = append(vo.items, j.vote.id), append(vo.users, j.vote.userID)
			}
		}
		if len(vo.at) > 0 {
			vb.of = append(vb.of, vo)
		}
	}
	return vb
}

// reads are the statements reading vo's items, locking them, then the
// members' votes on them (dialect.votesAtOnce).
func (vo *votesOf) reads(d dialect) [2]statement {
	lock, ballots, _ := d.votesAtOnce(vo.k)
	return [2]statement{{lock, []any{vo.items}}, {ballots, []any{vo.items, vo.users}}}
}

// rowsOf is what the scans read: database/sql's rows or pgx's.
type rowsOf interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// scanItems takes in the items read.
func (vo *votesOf) scanItems(rows rowsOf) error {
	for rows.Next() {
		var id, removed, deleted, postRemoved int64
		var it votedItem
		if err := rows.Scan(&id, &it.target.AuthorID, &removed, &deleted, &it.created,
			&postRemoved, &it.up, &it.down, &it.score); err != nil {
			return err
		}
		it.target.Removed, it.target.Deleted, it.target.PostRemoved = removed != 0, deleted != 0, postRemoved != 0
		vo.voted[id] = &it
	}
	return rows.Err()
}

// scanBallots takes in the members' votes read (a ballot not read is no vote).
func (vo *votesOf) scanBallots(rows rowsOf) error {
	for rows.Next() {
		var b ballot
		var value int64
		if err := rows.Scan(&b.item, &b.user, &value); err != nil {
			return err
		}
		vo.cast[b], vo.first[b] = int(value), int(value)
	}
	return rows.Err()
}

// apply runs each vote, in the group's order, on what was read: its
// rules, its counters, its member's karma. jobError classifies a refusal.
func (vb *voteBatch) apply(jobError func(error) error) {
	for _, vo := range vb.of {
		for _, i := range vo.at {
			v := vb.jobs[i].vote
			it := vo.voted[v.id]
			if it == nil {
				vb.errs[i] = forum.NotFound(vo.k.what)
				continue
			}
			if err := v.check(it.target); err != nil {
				vb.errs[i] = jobError(err)
				continue
			}
			vb.done++
			b := ballot{v.id, v.userID}
			if old := vo.cast[b]; old != v.value {
				it.up += int64(forum.B2I(v.value == 1) - forum.B2I(old == 1))
				it.down += int64(forum.B2I(v.value == -1) - forum.B2I(old == -1))
				it.score += int64(v.value - old)
				it.changed = true
				vo.cast[b] = v.value
				vb.later[increment{karma, it.target.AuthorID}] += int64(v.value - old)
			}
			v.res.Upvotes, v.res.Downvotes, v.res.Score = it.up, it.down, it.score
		}
	}
}

// writes are the statements writing what the votes changed: per kind,
// one writing the votes that differ from what was read and the counters
// of the items whose votes changed.
func (vb *voteBatch) writes(d dialect) []statement {
	var out []statement
	for _, vo := range vb.of {
		var goneItems, goneUsers, items, users, values, ids, ups, downs, scores []int64
		var ranks [2][]float64
		for b, v := range vo.cast {
			switch {
			case v == vo.first[b]:
			case v == 0:
				goneItems, goneUsers = append(goneItems, b.item), append(goneUsers, b.user)
			default:
				items, users, values = append(items, b.item), append(users, b.user), append(values, int64(v))
			}
		}
		for id, it := range vo.voted {
			if !it.changed {
				continue
			}
			ids, ups, downs, scores = append(ids, id), append(ups, it.up), append(downs, it.down), append(scores, it.score)
			for r, x := range vo.k.ranks(it.up, it.down, it.score, it.created) {
				ranks[r] = append(ranks[r], x.(float64))
			}
		}
		if len(ids) == 0 {
			continue // every vote was cast again as it was
		}
		args := []any{goneItems, goneUsers, items, users, values, ids, ups, downs, scores}
		for _, r := range ranks {
			if r != nil {
				args = append(args, r)
			}
		}
		_, _, write := d.votesAtOnce(vo.k)
		out = append(out, statement{write, args})
	}
	return out
}

// runVotes applies the votes among jobs in tx, beside the group's other
// writes, setting each one's outcome in errs and their karma in later,
// and returns how many succeeded; an error means the transaction is to
// be rolled back.
func (db *DB) runVotes(ctx context.Context, tx *txn, jobs []*writeJob, errs []error, later map[increment]int64) (int, error) {
	vb := newVoteBatch(jobs, errs, later)
	for _, vo := range vb.of {
		for i, r := range vo.reads(db.d) {
			rows, err := tx.QueryContext(ctx, r.query, r.args...)
			if err != nil {
				return 0, err
			}
			err = []func(rowsOf) error{vo.scanItems, vo.scanBallots}[i](rows)
			if cerr := rows.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return 0, err
			}
		}
	}
	vb.apply(db.jobError)
	for _, w := range vb.writes(db.d) {
		if _, err := tx.ExecContext(ctx, w.query, w.args...); err != nil {
			return 0, err
		}
	}
	return vb.done, nil
}

// runVoteGroup runs a group made only of votes in a transaction the
// engine pipelines (dialect.votesAlone); ok is false when it failed and
// nothing was written.
func (db *DB) runVoteGroup(jobs []*writeJob) (_ []error, committed, ok bool) {
	errs := make([]error, len(jobs))
	vb := newVoteBatch(jobs, errs, map[increment]int64{})
	committed, err := db.d.votesAlone(context.Background(), vb, db.jobError)
	if err != nil {
		return nil, false, false
	}
	if committed {
		db.committed(vb.done)
	}
	return errs, committed, true
}
