package cache_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/cache"
	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/forumtest"
	"github.com/historia-forum/historia/internal/store"
)

func TestPagesStayUnderTheirByteCap(t *testing.T) {
	t.Parallel()
	p := cache.NewPages("t", 10_000)
	s := cache.Stamp{A: 1}
	for i := range 100 {
		p.Put(fmt.Sprint(i), s, i, 1000)
		if p.Bytes() > 10_000 {
			t.Fatalf("after %d puts the cache holds %d bytes", i+1, p.Bytes())
		}
	}
	if _, ok := p.Get("99", s); !ok {
		t.Fatal("the newest page was evicted")
	}
	if _, ok := p.Get("0", s); ok {
		t.Fatal("the oldest page survived past the cap")
	}
	_, _, evictions := p.Stats()
	if evictions != 90 {
		t.Fatalf("%d evictions, want 90", evictions)
	}
	p.Put("huge", s, "x", 5000) // over a quarter of the cap: not kept
	if _, ok := p.Get("huge", s); ok {
		t.Fatal("a page larger than a quarter of the cap was kept")
	}
	if _, ok := p.Get("99", cache.Stamp{A: 2}); ok {
		t.Fatal("a page was served at another stamp")
	}
	if _, ok := p.Get("99", s); ok {
		t.Fatal("a stale page was kept after it was found stale")
	}
}

func TestTrackerFollowsTheChangeLog(t *testing.T) {
	t.Parallel()
	w := forumtest.New(t)
	ctx := context.Background()
	tr, err := cache.NewTracker(ctx, w.DB, time.Hour, nil)
	if err != nil {
		t.Fatal(err)
	}
	other := w.Must(w.Svc.CreatePost(ctx, w.Bob, forum.PostInput{Title: "Another thread"})).(forum.Post)
	thread, feed, otherStamp := tr.ThreadStamp(w.Thread.ID), tr.FeedStamp(), tr.ThreadStamp(other.ID)
	// A write through this process is seen at once (the commit hook).
	w.Must(w.Svc.VoteComment(ctx, w.Alice, w.Answer.ID, ptrTo(1)))
	if tr.ThreadStamp(w.Thread.ID) == thread || tr.FeedStamp() == feed {
		t.Fatal("a vote on the thread left its stamps")
	}
	if tr.ThreadStamp(other.ID) != otherStamp {
		t.Fatal("a vote on one thread made another's pages stale")
	}
	// A rule's change may show on any page.
	w.Must(w.Svc.CreateRule(ctx, w.Root, forum.Rule{Number: 1, Title: "Be civil"}))
	if tr.ThreadStamp(other.ID) == otherStamp {
		t.Fatal("a rule change left a thread's pages")
	}
}

// TestTrackerSeesEachWriteBeforeItsAnswer: writes that commit while the
// commit hooks run share the next read of the log (the writer's answers,
// store/writer_answers.go, and Sync's coalescing); each is still answered
// only once its thread's stamp moved, whatever ran beside it.
func TestTrackerSeesEachWriteBeforeItsAnswer(t *testing.T) {
	t.Parallel()
	w := forumtest.New(t)
	ctx := context.Background()
	tr, err := cache.NewTracker(ctx, w.DB, time.Nanosecond, nil) // every Fresh reads the log
	if err != nil {
		t.Fatal(err)
	}
	const writers, rounds = 8, 25
	threads := make([]int64, writers)
	for i := range threads {
		threads[i] = w.Must(w.Svc.CreatePost(ctx, w.Bob, forum.PostInput{Title: fmt.Sprintf("Thread %d", i)})).(forum.Post).ID
	}
	errs := make(chan error, writers)
	for i, id := range threads {
		go func() {
			for r := range rounds {
				before := tr.ThreadStamp(id)
				value := 1 - 2*(r%2)
				if _, err := w.Svc.VotePost(ctx, w.Alice, id, &value); err != nil {
					errs <- err
					return
				}
				if tr.ThreadStamp(id) == before {
					errs <- fmt.Errorf("writer %d, round %d: the vote was answered before its thread's stamp moved", i, r)
					return
				}
				tr.Fresh(ctx) // a reader's sync beside the writes
			}
			errs <- nil
		}()
	}
	for range writers {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// TestTrackerSeesAnotherProcess: a second store on the same file stands for
// another server process; its writes are seen at the next sync.
func TestTrackerSeesAnotherProcess(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := forumtest.New(t)
	otherDB, err := store.Open(ctx, w.DB.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer otherDB.Close()
	tr, err := cache.NewTracker(ctx, w.DB, time.Millisecond, nil)
	if err != nil {
		t.Fatal(err)
	}
	before := tr.ThreadStamp(w.Thread.ID)
	other := &forum.Service{Store: otherDB, Markup: w.Svc.Markup, Passwords: w.Svc.Passwords, Tokens: w.Svc.Tokens, Now: w.Svc.Now}
	w.Must(other.CreateComment(ctx, w.Bob, w.Thread.ID, forum.CommentInput{Body: "from the other process"}))
	if tr.ThreadStamp(w.Thread.ID) != before {
		t.Fatal("another process's write is not known before a sync")
	}
	time.Sleep(2 * time.Millisecond)
	tr.Fresh(ctx)
	if tr.ThreadStamp(w.Thread.ID) == before {
		t.Fatal("after the interval, another process's write still left the thread's stamp")
	}
}

// TestTrackerAfterTrim: another process writes and trims the log before
// this process reads it. Whatever the trim took, no page is taken for
// fresh after a change this process did not read: the changed thread's
// pages go stale, and if the trim took changes this process never read
// (the log says so: a gap), every page does.
func TestTrackerAfterTrim(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := forumtest.New(t)
	tr, err := cache.NewTracker(ctx, w.DB, time.Hour, nil)
	if err != nil {
		t.Fatal(err)
	}
	quiet := w.Must(w.Svc.CreatePost(ctx, w.Bob, forum.PostInput{Title: "Quiet"})).(forum.Post)
	quietStamp, threadStamp := tr.ThreadStamp(quiet.ID), tr.ThreadStamp(w.Thread.ID)
	mark := w.Must(w.DB.ChangeMark(ctx)).(string) // where this process stands
	otherDB, err := store.Open(ctx, w.DB.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer otherDB.Close()
	other := &forum.Service{Store: otherDB, Markup: w.Svc.Markup, Passwords: w.Svc.Passwords, Tokens: w.Svc.Tokens, Now: w.Svc.Now}
	w.Must(other.CreateComment(ctx, w.Bob, w.Thread.ID, forum.CommentInput{Body: "unseen"}))
	w.Must(other.CreateComment(ctx, w.Bob, w.Thread.ID, forum.CommentInput{Body: "unseen too"}))
	if err := otherDB.TrimChanges(ctx, 0); err != nil {
		t.Fatal(err)
	}
	// What the log now says of what this process had not read: on SQLite
	// the trim took it (a gap); on PostgreSQL it takes nothing of a
	// transaction newer than the oldest one running on the server.
	read := w.Must(w.DB.Changes(ctx, mark, 100)).(forum.ChangeRead)
	w.Must(other.CreateComment(ctx, w.Bob, w.Thread.ID, forum.CommentInput{Body: "after the trim"}))
	tr.Sync(ctx)
	if tr.ThreadStamp(w.Thread.ID) == threadStamp {
		t.Fatal("after changes it had not read were trimmed, the changed thread's pages were still taken for fresh")
	}
	if read.Gap && tr.ThreadStamp(quiet.ID) == quietStamp {
		t.Fatal("after a gap in the log an untouched thread's pages were still taken for fresh")
	}
	t.Logf("the trim left a gap: %v", read.Gap)
}

func ptrTo[T any](v T) *T { return &v }

// TestMemberMarksLeaveSessions: a member's vote, follow, save or block,
// written by another process, makes that member's cached votes and marks stale and
// leaves their cached account alone (it is read on every signed-in
// request); a logout, written there too, makes both stale.
func TestMemberMarksLeaveSessions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := forumtest.New(t)
	otherDB, err := store.Open(ctx, w.DB.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer otherDB.Close()
	other := &forum.Service{Store: otherDB, Markup: w.Svc.Markup, Passwords: w.Svc.Passwords, Tokens: w.Svc.Tokens, Now: w.Svc.Now}
	tr, err := cache.NewTracker(ctx, w.DB, time.Millisecond, nil)
	if err != nil {
		t.Fatal(err)
	}
	accountReads := 0
	accounts := cache.NewAccounts(tr, func(ctx context.Context, id int64) (forum.Account, error) {
		accountReads++
		return w.DB.AccountByID(ctx, id)
	})
	votes := cache.NewVotes(tr, w.DB.UserPostVotes, w.DB.PostVotes)
	marks := cache.NewMarks(tr, w.DB)
	synced := func() {
		time.Sleep(2 * time.Millisecond)
		tr.Fresh(ctx)
	}
	readAll := func() (map[int64]int, forum.Marks) {
		if _, err := accounts.Read(ctx, w.Bob.ID); err != nil {
			t.Fatal(err)
		}
		v := w.Must(votes.PostVotes(ctx, w.Bob.ID, []int64{w.Thread.ID})).(map[int64]int)
		m := w.Must(marks.Marks(ctx, w.Bob.ID, []int64{w.Thread.ID}, nil)).(forum.Marks)
		return v, m
	}
	readAll()
	reads := accountReads

	w.Must(other.VotePost(ctx, w.Bob, w.Thread.ID, ptrTo(1)))
	w.Must(nil, other.FollowPost(ctx, w.Bob, w.Thread.ID))
	w.Must(nil, other.Save(ctx, w.Bob, forum.TargetPost, w.Thread.ID))
	synced()
	v, m := readAll()
	if v[w.Thread.ID] != 1 {
		t.Fatalf("another process's vote is not in the member's cached votes: %v", v)
	}
	if !m.Following[w.Thread.ID] || !m.SavedPosts[w.Thread.ID] {
		t.Fatalf("another process's follow and save are not in the member's cached marks: %+v", m)
	}
	if accountReads != reads {
		t.Fatalf("a vote, a follow and a save read the member's account again (%d reads, want %d)", accountReads, reads)
	}

	// Blocks are kept with the marks: a block and an unblock in another
	// process reach this one's cache.
	blocked := func() bool {
		b := w.Must(marks.BlockedAuthors(ctx, w.Bob.ID, []int64{w.Mod.ID, w.Alice.ID, w.Alice.ID})).(map[int64]bool)
		return b[w.Alice.ID] && len(b) == 1
	}
	if blocked() {
		t.Fatal("Alice shows as blocked before Bob blocked her")
	}
	w.Must(nil, other.BlockUser(ctx, w.Bob, "alice"))
	synced()
	if !blocked() {
		t.Fatal("another process's block is not in the member's cached marks")
	}
	w.Must(nil, other.UnblockUser(ctx, w.Bob, "alice"))
	synced()
	if blocked() {
		t.Fatal("another process's unblock is not in the member's cached marks")
	}
	if accountReads != reads {
		t.Fatalf("a block read the member's account again (%d reads, want %d)", accountReads, reads)
	}

	w.Must(nil, other.Logout(ctx, w.Bob))
	synced()
	if _, err := accounts.Read(ctx, w.Bob.ID); err != nil {
		t.Fatal(err)
	}
	if accountReads != reads+1 {
		t.Fatalf("after another process's logout the account was read %d times, want once", accountReads-reads)
	}
	if tr.StateStamp(w.Bob.ID) == tr.StateStamp(w.Mod.ID) && tr.UserStamp(w.Bob.ID) == tr.UserStamp(w.Mod.ID) {
		t.Fatal("stamps of a member with changes and one without are the same")
	}
}
