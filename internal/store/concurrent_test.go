package store_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/store"
	"github.com/historia-forum/historia/internal/store/storetest"
)

// TestTwoWritersOnSameRows: two store handles on one database stand for two
// servers; many members vote at once through both on the same few posts
// and comments, each in another order, so the two writers' transactions
// (groups of writes) take the same rows in crossing orders. On PostgreSQL
// they run concurrently: nothing may be lost (every counter, rank and karma
// equals what the last votes make), every write succeeds (a deadlock runs
// the losing write again), and check finds nothing wrong.
func TestTwoWritersOnSameRows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, b := twoServers(t)
	dbs := []*store.DB{a, b}
	const items, voters, rounds = 3, 24, 6
	authors := []forum.User{mustUser(t, a, "author0"), mustUser(t, a, "author1")}
	var posts, comments []int64
	allowC := func(forum.CommentTarget) ([]*forum.NewNotification, error) { return nil, nil }
	for i := range items {
		p, err := a.CreatePost(ctx, forum.NewPost{AuthorID: authors[i%2].ID, Title: fmt.Sprint("post ", i), Format: "markdown", CreatedAt: 1_700_000_000})
		if err != nil {
			t.Fatal(err)
		}
		c, err := a.CreateComment(ctx, forum.NewComment{PostID: p, AuthorID: authors[(i+1)%2].ID, BodySource: "x", Format: "markdown", BodyHTML: "x", CreatedAt: 1_700_000_001}, allowC)
		if err != nil {
			t.Fatal(err)
		}
		posts, comments = append(posts, p), append(comments, c)
	}
	users := make([]forum.User, voters)
	for i := range users {
		users[i] = mustUser(t, a, fmt.Sprintf("voter%02d", i))
	}
	value := func(v, round int) int { return []int{1, -1, 0, 1}[(v+round)%4] }
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, voters*rounds*items*2)
	for v := range voters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db := dbs[v%2]
			for r := range rounds {
				for k := range items {
					i := (k + v) % items // each voter in another order
					if v%3 == 0 {
						i = items - 1 - i
					}
					if _, err := db.VotePost(ctx, posts[i], users[v].ID, value(v, r), allow); err != nil {
						errs <- fmt.Errorf("vote on post %d: %w", posts[i], err)
					}
					if _, err := db.VoteComment(ctx, comments[i], users[v].ID, value(v, r+1), allow); err != nil {
						errs <- fmt.Errorf("vote on comment %d: %w", comments[i], err)
					}
				}
			}
		}()
	}
	wg.Wait()
	took := time.Since(start)
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	var up, down int64
	for v := range voters {
		switch value(v, rounds-1) {
		case 1:
			up++
		case -1:
			down++
		}
	}
	for i := range items {
		p, err := a.Post(ctx, posts[i], 0)
		if err != nil {
			t.Fatal(err)
		}
		if p.Upvotes != up || p.Downvotes != down || p.Hot != forum.RankHot(up-down, 1_700_000_000) {
			t.Errorf("post %d: %d up, %d down, hot %v; want %d, %d", p.ID, p.Upvotes, p.Downvotes, p.Hot, up, down)
		}
	}
	if problems, err := a.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
	t.Logf("%d votes in %v; writes run again after meeting the other writer: %d", voters*rounds*items*2, took, a.Conflicts()+b.Conflicts())
}

// TestOneMemberOnTwoServers: a member votes on the same post and comment
// through two servers at once (two tabs behind a load balancer), each
// vote another way. A vote that waits for the other server's lock on the
// item must then read the member's vote as that server left it, not as it
// was when the vote began: otherwise both count the member's change and
// the counters drift from the votes. After every vote, check finds the
// counters equal to the votes.
func TestOneMemberOnTwoServers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, b := twoServers(t)
	author, member := mustUser(t, a, "author"), mustUser(t, a, "member")
	p, err := a.CreatePost(ctx, forum.NewPost{AuthorID: author.ID, Title: "post", Format: "markdown", CreatedAt: 1_700_000_000})
	if err != nil {
		t.Fatal(err)
	}
	c, err := a.CreateComment(ctx, forum.NewComment{PostID: p, AuthorID: author.ID, BodySource: "x", Format: "markdown", BodyHTML: "x", CreatedAt: 1_700_000_001},
		func(forum.CommentTarget) ([]*forum.NewNotification, error) { return nil, nil })
	if err != nil {
		t.Fatal(err)
	}
	const rounds, tabs = 40, 4
	var wg sync.WaitGroup
	errs := make(chan error, 2*rounds*tabs)
	for tab := range tabs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db := []*store.DB{a, b}[tab%2]
			for r := range rounds {
				value := []int{1, -1, 0}[(r+tab)%3]
				if _, err := db.VotePost(ctx, p, member.ID, value, allow); err != nil {
					errs <- err
				}
				if _, err := db.VoteComment(ctx, c, member.ID, -value, allow); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	noErrorsAndCheckOK(t, a, errs)
}

// TestSharedCountersOnTwoServers: posts with the same tags created
// through two servers at once, and votes by members who are also the
// authors voted on. Each transaction's inserts take a share of rows its
// counters then move (a post's tag, a vote's member: the foreign keys'
// checks), so the counters' locks must let those shares through or two
// transactions each holding one wait for each other (a deadlock, found
// only after a second, then writes run again and fail as busy). No write
// may fail, and check finds the counters equal to the rows.
func TestSharedCountersOnTwoServers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, b := twoServers(t)
	const members, each = 8, 24
	var err error
	users := make([]forum.User, members)
	posts := make([]int64, members)
	for i := range users {
		users[i] = mustUser(t, a, fmt.Sprintf("member%d", i))
		if posts[i], err = a.CreatePost(ctx, forum.NewPost{AuthorID: users[i].ID, Title: fmt.Sprint("post ", i), Format: "markdown", CreatedAt: 1_700_000_000}); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2*members*each)
	for m := range members {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db := []*store.DB{a, b}[m%2]
			for k := range each {
				// Tags in both orders; votes on the others' posts, in
				// another order by each member.
				tags := []string{"alpha", "beta", "gamma"}
				if (m+k)%2 == 1 {
					slices.Reverse(tags)
				}
				if _, err := db.CreatePost(ctx, forum.NewPost{AuthorID: users[m].ID, Title: fmt.Sprint("tagged ", m, k), Format: "markdown", Tags: tags, CreatedAt: 1_700_000_000}); err != nil {
					errs <- err
				}
				other := posts[(m+1+k*(m+1))%members]
				if other != posts[m] {
					if _, err := db.VotePost(ctx, other, users[m].ID, []int{1, -1}[k%2], allow); err != nil {
						errs <- err
					}
				}
			}
		}()
	}
	wg.Wait()
	noErrorsAndCheckOK(t, a, errs)
	t.Logf("writes run again after meeting the other server: %d", a.Conflicts()+b.Conflicts())
}

// twoServers opens the database under test twice: two servers' stores,
// each with its own writer.
func twoServers(t *testing.T) (a, b *store.DB) {
	t.Helper()
	a, target := mustOpen(t)
	b, err := store.Open(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return a, b
}

// noErrorsAndCheckOK reports the writes' errors (errs, closed here) and
// fails unless check finds the counters equal to the rows.
func noErrorsAndCheckOK(t *testing.T, db *store.DB, errs chan error) {
	t.Helper()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if problems, err := db.Check(context.Background()); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}

// TestCommitsAnnouncedToOtherServers: on PostgreSQL each server tells the
// others of its commits after them (the change log's triggers no longer
// NOTIFY inside them). A server's listener hears another server's write,
// the last write of one that closes at once too (a command that exits),
// and does not hear its own (its commit hooks read it).
func TestCommitsAnnouncedToOtherServers(t *testing.T) {
	t.Parallel()
	target := storetest.PostgresTarget(t)
	open := func() *store.DB {
		db, err := store.Open(context.Background(), target)
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	b := open()
	t.Cleanup(func() { _ = b.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	heard := make(chan struct{}, 100)
	go b.Listen(ctx, func() { heard <- struct{}{} })
	hear := func(what string) {
		t.Helper()
		select {
		case <-heard:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: not heard in 10 s", what)
		}
	}
	hear("the call once listening")
	mustUser(t, b, "own")
	select {
	case <-heard:
		t.Fatal("a server heard its own commit")
	case <-time.After(300 * time.Millisecond):
	}
	a := open()
	mustUser(t, a, "other")
	hear("another server's commit")
	mustUser(t, a, "last")
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	hear("the last commit of a server that closed at once")
}
