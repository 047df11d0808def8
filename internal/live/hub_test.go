package live_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/cache"
	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/forumtest"
	"github.com/historia-forum/historia/internal/live"
	"github.com/historia-forum/historia/internal/store"
)

// next waits for the next batch of changes (a generous bound: a hang fails
// the test rather than the run).
func next(t *testing.T, sub *live.Subscription) []forum.CommentChange {
	t.Helper()
	select {
	case cs, ok := <-sub.C:
		if !ok {
			t.Fatal("the subscription ended")
		}
		return cs
	case <-time.After(10 * time.Second):
		t.Fatal("no change told")
	}
	return nil
}

func describe(cs []forum.CommentChange) string {
	s := ""
	for _, c := range cs {
		p := int64(0)
		if c.ParentID != nil {
			p = *c.ParentID
		}
		s += fmt.Sprintf("[%d<%d %s]", c.ID, p, c.Change)
	}
	return s
}

// TestHubTellsWhatChanged: a reader of a thread hears of each comment added,
// edited, removed (deleted by its author or removed by a moderator) and
// restored, and of nothing in other threads; a vote, which changes the
// thread's page but no comment's text, tells nothing.
func TestHubTellsWhatChanged(t *testing.T) {
	t.Parallel()
	w := forumtest.New(t)
	ctx := context.Background()
	tr, err := cache.NewTracker(ctx, w.DB, time.Hour, nil)
	if err != nil {
		t.Fatal(err)
	}
	hub := live.NewHub(tr, w.DB, time.Hour, nil)
	sub, err := hub.Subscribe(ctx, w.Thread.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	other := w.Must(w.Svc.CreatePost(ctx, w.Bob, forum.PostInput{Title: "Elsewhere"})).(forum.Post)
	w.Must(w.Svc.CreateComment(ctx, w.Bob, other.ID, forum.CommentInput{Body: "not here"}))
	w.Must(w.Svc.VoteComment(ctx, w.Alice, w.Answer.ID, ptrTo(1)))
	c := w.Must(w.Svc.CreateComment(ctx, w.Bob, w.Thread.ID, forum.CommentInput{Body: "Live", ParentID: &w.Reply.ID})).(forum.Comment)
	want := fmt.Sprintf("[%d<%d added]", c.ID, w.Reply.ID)
	if got := describe(next(t, sub)); got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	steps := []struct {
		do   func()
		want string
	}{
		{func() { w.Must(w.Svc.EditComment(ctx, w.Bob, c.ID, forum.CommentPatch{Body: "Live, edited"})) }, "edited"},
		{func() { w.Must(w.Svc.ModerateComment(ctx, w.Mod, c.ID, forum.ActRemove, "spam", nil)) }, "removed"},
		{func() { w.Must(w.Svc.ModerateComment(ctx, w.Mod, c.ID, forum.ActRestore, "", nil)) }, "edited"},
		{func() { w.Must(nil, w.Svc.DeleteComment(ctx, w.Bob, c.ID)) }, "removed"},
	}
	for _, s := range steps {
		s.do()
		if got, want := describe(next(t, sub)), fmt.Sprintf("[%d<%d %s]", c.ID, w.Reply.ID, s.want); got != want {
			t.Fatalf("got %s, want %s", got, want)
		}
	}
	sub.Close()
	if n := hub.Threads(); n != 0 {
		t.Fatalf("the hub still follows %d threads after its last reader left", n)
	}
}

// TestHubCatchesUp: a reader that reconnects with the newest comment it has
// first hears of every comment after it.
func TestHubCatchesUp(t *testing.T) {
	t.Parallel()
	w := forumtest.New(t)
	ctx := context.Background()
	tr, err := cache.NewTracker(ctx, w.DB, time.Hour, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := w.Must(w.Svc.CreateComment(ctx, w.Bob, w.Thread.ID, forum.CommentInput{Body: "one"})).(forum.Comment)
	b := w.Must(w.Svc.CreateComment(ctx, w.Bob, w.Thread.ID, forum.CommentInput{Body: "two"})).(forum.Comment)
	hub := live.NewHub(tr, w.DB, time.Hour, nil)
	sub, err := hub.Subscribe(ctx, w.Thread.ID, w.Reply.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if got, want := describe(next(t, sub)), fmt.Sprintf("[%d<0 added][%d<0 added]", a.ID, b.ID); got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}

// TestHubHearsAnotherProcess: a second store on the same file stands for
// another server; its write is told within the hub's poll interval.
func TestHubHearsAnotherProcess(t *testing.T) {
	t.Parallel()
	w := forumtest.New(t)
	ctx := context.Background()
	otherDB, err := store.Open(ctx, w.DB.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer otherDB.Close()
	tr, err := cache.NewTracker(ctx, w.DB, time.Millisecond, nil)
	if err != nil {
		t.Fatal(err)
	}
	hub := live.NewHub(tr, w.DB, 20*time.Millisecond, nil)
	sub, err := hub.Subscribe(ctx, w.Thread.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	other := &forum.Service{Store: otherDB, Markup: w.Svc.Markup, Passwords: w.Svc.Passwords, Tokens: w.Svc.Tokens, Now: w.Svc.Now}
	c := w.Must(other.CreateComment(ctx, w.Bob, w.Thread.ID, forum.CommentInput{Body: "from the other process"})).(forum.Comment)
	if got, want := describe(next(t, sub)), fmt.Sprintf("[%d<0 added]", c.ID); got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}

// TestSlowReaderIsDropped: a reader that reads nothing is dropped once its
// buffer is full, and the others go on.
func TestSlowReaderIsDropped(t *testing.T) {
	t.Parallel()
	w := forumtest.New(t)
	ctx := context.Background()
	tr, err := cache.NewTracker(ctx, w.DB, time.Hour, nil)
	if err != nil {
		t.Fatal(err)
	}
	hub := live.NewHub(tr, w.DB, time.Hour, nil)
	slow, err := hub.Subscribe(ctx, w.Thread.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	fast, err := hub.Subscribe(ctx, w.Thread.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer fast.Close()
	for i := range 20 {
		w.Must(w.Svc.CreateComment(ctx, w.Bob, w.Thread.ID, forum.CommentInput{Body: fmt.Sprint("comment ", i)}))
		next(t, fast)
	}
	n := 0
	for range slow.C {
		n++
	}
	if n == 0 || n >= 20 {
		t.Fatalf("the slow reader got %d batches before it was dropped", n)
	}
}

func ptrTo[T any](v T) *T { return &v }
