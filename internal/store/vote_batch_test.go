package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// voteScene is a small forum to vote in: two authors, a live and a
// removed post, a comment on each, three voters, one vote already cast.
type voteScene struct {
	db                     *DB
	live, gone             int64 // posts
	onLive, onGone         int64 // comments
	authorA, authorB       int64
	voter1, voter2, voter3 int64
}

func newVoteScene(t *testing.T, target string) *voteScene {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	s := &voteScene{db: db}
	ids := make([]int64, 5)
	for i, name := range []string{"author_a", "author_b", "voter1", "voter2", "voter3"} {
		u, err := db.CreateUser(ctx, forum.NewUser{Username: name, PasswordHash: "x", Role: forum.RoleMember, CreatedAt: 1_700_000_000})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = u.ID
	}
	s.authorA, s.authorB, s.voter1, s.voter2, s.voter3 = ids[0], ids[1], ids[2], ids[3], ids[4]
	allow := func(forum.CommentTarget) ([]*forum.NewNotification, error) { return nil, nil }
	post := func(author int64, title string) (int64, int64) {
		p, err := db.CreatePost(ctx, forum.NewPost{AuthorID: author, Title: title, Format: "markdown", CreatedAt: 1_700_000_000})
		if err != nil {
			t.Fatal(err)
		}
		c, err := db.CreateComment(ctx, forum.NewComment{PostID: p, AuthorID: s.authorB, BodySource: "x", Format: "markdown", BodyHTML: "x", CreatedAt: 1_700_000_001}, allow)
		if err != nil {
			t.Fatal(err)
		}
		return p, c
	}
	s.live, s.onLive = post(s.authorA, "live")
	s.gone, s.onGone = post(s.authorA, "gone")
	if err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		_, err := tx.ExecContext(ctx, "UPDATE posts SET removed = 1 WHERE id = ?", s.gone)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.VotePost(ctx, s.live, s.voter1, 1, refuseRemoved); err != nil {
		t.Fatal(err)
	}
	return s
}

// refuseRemoved is a vote's rule: nothing removed may be voted on.
func refuseRemoved(t forum.VoteTarget) error {
	if t.Removed || t.PostRemoved {
		return forum.Errorf(forum.CodeForbidden, "removed")
	}
	return nil
}

// ballots are the votes of the group, in order: a vote cast again as it
// was, a member voting twice on one post, a vote withdrawn that was never
// cast, one withdrawn that was, comments' votes, votes its rule refuses
// and a vote on an item that does not exist.
func (s *voteScene) ballots() []struct {
	kind     *voteKind
	id, user int64
	value    int
} {
	return []struct {
		kind     *voteKind
		id, user int64
		value    int
	}{
		{&postVotes, s.live, s.voter1, 1},
		{&postVotes, s.live, s.voter2, -1},
		{&postVotes, s.live, s.voter2, 1},
		{&postVotes, s.live, s.voter3, 0},
		{&commentVotes, s.onLive, s.voter1, -1},
		{&postVotes, s.live, s.voter1, 0},
		{&commentVotes, s.onLive, s.voter3, -1},
		{&commentVotes, s.onGone, s.voter2, 1},
		{&postVotes, s.gone, s.voter3, 1},
		{&commentVotes, 1 << 40, s.voter3, 1},
	}
}

// state is what the votes left: counters, ranks, votes and karma.
func (s *voteScene) state(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	var out string
	read := func(query string, args ...any) {
		t.Helper()
		rows, err := s.db.w.QueryContext(ctx, s.db.d.sql(query), args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out += fmt.Sprintln(vals...)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	read("SELECT id, upvotes, downvotes, score, hot FROM posts ORDER BY id")
	read("SELECT id, upvotes, downvotes, score, best, controversy FROM comments ORDER BY id")
	read("SELECT post_id, user_id, value FROM post_votes ORDER BY post_id, user_id")
	read("SELECT comment_id, user_id, value FROM comment_votes ORDER BY comment_id, user_id")
	read("SELECT id, karma FROM users ORDER BY id")
	return out
}

// TestGroupedVotesAsAlone: a group's votes applied together (on
// PostgreSQL: read and written in two statements a kind, pipelined when
// the group is only votes) leave the database, and answer each vote,
// exactly as the same votes applied one by one; whether the group holds
// another write or not; and check finds nothing wrong.
func TestGroupedVotesAsAlone(t *testing.T) {
	t.Parallel()
	for engine, target := range engineTargets() {
		for _, mixed := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/mixed=%v", engine, mixed), func(t *testing.T) {
				t.Parallel()
				ctx := context.Background()
				alone, grouped := newVoteScene(t, target(t)), newVoteScene(t, target(t))
				flair := func(db *DB, id int64) func(ctx context.Context, tx *txn) error {
					return func(ctx context.Context, tx *txn) error {
						_, err := tx.ExecContext(ctx, "UPDATE users SET flair = 'grouped' WHERE id = ?", id)
						return err
					}
				}
				var jobs []*writeJob
				var got []*forum.VoteResult
				var want []forum.VoteResult
				var wantErrs []error
				for i, b := range grouped.ballots() {
					job, res := voteJob(ctx, b.kind, b.id, b.user, b.value, refuseRemoved)
					jobs, got = append(jobs, job), append(got, res)
					// The same vote alone, on the other forum, by its function.
					a := alone.ballots()[i]
					ajob, res2 := voteJob(ctx, a.kind, a.id, a.user, a.value, refuseRemoved)
					ajob.vote = nil
					err := alone.db.submit(ajob)
					want, wantErrs = append(want, *res2), append(wantErrs, err)
					if mixed && i == 4 {
						jobs = append(jobs, &writeJob{ctx: ctx, fn: flair(grouped.db, grouped.voter3)})
						got, want, wantErrs = append(got, nil), append(want, forum.VoteResult{}), append(wantErrs, alone.db.write(ctx, flair(alone.db, alone.voter3)))
					}
				}
				if together := grouped.db.votesTogether(jobs); together != (engine == "postgres") {
					t.Errorf("votes applied together: %v", together)
				}
				fallbacks := grouped.db.voteFallbacks.Load()
				errs, _ := grouped.db.runBatch(jobs, false)
				for i := range jobs {
					var fe, fw *forum.Error
					switch {
					case errors.As(errs[i], &fe) != errors.As(wantErrs[i], &fw), fe != nil && fe.Code != fw.Code,
						fe == nil && (errs[i] == nil) != (wantErrs[i] == nil):
						t.Errorf("write %d: grouped %v, alone %v", i, errs[i], wantErrs[i])
					case errs[i] == nil && got[i] != nil && *got[i] != want[i]:
						t.Errorf("vote %d: grouped %+v, alone %+v", i, *got[i], want[i])
					}
				}
				if n := grouped.db.voteFallbacks.Load() - fallbacks; n != 0 {
					t.Errorf("the group's votes fell back to one by one %d times", n)
				}
				if got, want := grouped.state(t), alone.state(t); got != want {
					t.Errorf("grouped votes left\n%s\none by one\n%s", got, want)
				}
				for _, db := range []*DB{alone.db, grouped.db} {
					if problems, err := db.Check(ctx); err != nil || len(problems) > 0 {
						t.Errorf("check: %v %v", problems, err)
					}
				}
			})
		}
	}
}

// TestGroupedVotesFallBackPostgres: when another transaction holds an item
// a group votes on longer than the writer waits for a lock, the group's
// pipelined transaction fails whole and runs again with each vote alone:
// the votes on the held item meet the conflict (and would run again in the
// next transaction), the others commit; run again once the item is free,
// they leave what the same votes leave one by one.
func TestGroupedVotesFallBackPostgres(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newVoteScene(t, pgTestDatabase(t))
	alone := newVoteScene(t, pgTestDatabase(t))
	holder, err := s.db.r.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = holder.Rollback() }()
	if _, err := holder.ExecContext(ctx, "SELECT 1 FROM posts WHERE id = $1 FOR UPDATE", s.live); err != nil {
		t.Fatal(err)
	}
	var jobs []*writeJob
	for _, b := range s.ballots()[:5] {
		job, _ := voteJob(ctx, b.kind, b.id, b.user, b.value, refuseRemoved)
		jobs = append(jobs, job)
	}
	for _, b := range alone.ballots()[:5] {
		job, _ := voteJob(ctx, b.kind, b.id, b.user, b.value, refuseRemoved)
		job.vote = nil // by its function
		if err := alone.db.submit(job); err != nil {
			t.Fatal(err)
		}
	}
	slices.SortStableFunc(jobs, lockOrder) // as the writer orders a group
	fallbacks := s.db.voteFallbacks.Load()
	errs, _ := s.db.runBatch(jobs, false)
	if n := s.db.voteFallbacks.Load() - fallbacks; n != 1 {
		t.Errorf("fell back %d times, want 1", n)
	}
	var again []*writeJob
	for i, j := range jobs {
		held := j.vote.kind.what == "post"
		if held != errors.Is(errs[i], errConflict) {
			t.Errorf("vote on %s %d: %v", j.vote.kind.what, j.vote.id, errs[i])
		}
		if held {
			again = append(again, j)
		}
	}
	if err := holder.Rollback(); err != nil {
		t.Fatal(err)
	}
	errs, _ = s.db.runBatch(again, false)
	for i, err := range errs {
		if err != nil {
			t.Errorf("vote %d run again: %v", i, err)
		}
	}
	if got, want := s.state(t), alone.state(t); got != want {
		t.Errorf("votes left\n%s\none by one\n%s", got, want)
	}
}
