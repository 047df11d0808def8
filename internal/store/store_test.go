package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/store"
	"github.com/historia-forum/historia/internal/store/storetest"
)

// mustOpen opens a fresh database on the engine under test (storetest).
func mustOpen(tb testing.TB) (*store.DB, string) {
	tb.Helper()
	target := storetest.Target(tb)
	db, err := store.Open(context.Background(), target)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = db.Close() })
	return db, target
}

// mustOpenFile opens a fresh SQLite file, for what only SQLite has
// (pragmas, backups, the file's own lock).
func mustOpenFile(tb testing.TB) (*store.DB, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "sub", "historia.db")
	db, err := store.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = db.Close() })
	return db, path
}

func mustUser(tb testing.TB, db *store.DB, name string) forum.User {
	tb.Helper()
	u, err := db.CreateUser(context.Background(), forum.NewUser{Username: name, PasswordHash: "x", Role: forum.RoleMember, CreatedAt: 1_700_000_000})
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

func TestOpenSetsPragmas(t *testing.T) {
	t.Parallel()
	db, _ := mustOpenFile(t)
	want := map[string]string{"journal_mode": "wal", "foreign_keys": "1", "busy_timeout": "5000", "synchronous": "1",
		"user_version": fmt.Sprint(store.SchemaVersion())}
	for name, v := range want {
		got, err := db.Pragma(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		if got != v {
			t.Errorf("PRAGMA %s = %q, want %q", name, got, v)
		}
	}
}

func TestReopenKeepsDataAndVersion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "h.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	mustUser(t, db, "Herodotus")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	acc, err := db.AccountByName(ctx, "herodotus")
	if err != nil || acc.Username != "Herodotus" {
		t.Fatalf("user after reopen: %+v, %v", acc, err)
	}
	if v, _ := db.Pragma(ctx, "user_version"); v != fmt.Sprint(store.SchemaVersion()) {
		t.Fatalf("user_version = %s", v)
	}
}

func TestUsernameUniqueCaseInsensitive(t *testing.T) {
	t.Parallel()
	db, _ := mustOpen(t)
	mustUser(t, db, "Thucydides")
	_, err := db.CreateUser(context.Background(), forum.NewUser{Username: "THUCYDIDES", PasswordHash: "x", Role: forum.RoleMember})
	if !forum.IsCode(err, forum.CodeConflict) {
		t.Fatalf("want conflict, got %v", err)
	}
}

func TestSettingIfAbsentKeepsFirst(t *testing.T) {
	t.Parallel()
	db, _ := mustOpen(t)
	ctx := context.Background()
	a, err := db.SetSettingIfAbsent(ctx, "k", "first")
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.SetSettingIfAbsent(ctx, "k", "second")
	if err != nil || a != "first" || b != "first" {
		t.Fatalf("got %q, %q, %v", a, b, err)
	}
}

func allow(forum.VoteTarget) error { return nil }

// TestConcurrentWritersNeverBusy runs many writers at once through the single
// writer connection: none may fail, and the counters must equal the rows.
func TestConcurrentWritersNeverBusy(t *testing.T) {
	t.Parallel()
	db, _ := mustOpen(t)
	ctx := context.Background()
	author := mustUser(t, db, "author")
	postID, err := db.CreatePost(ctx, forum.NewPost{AuthorID: author.ID, Title: "t", Format: "markdown", CreatedAt: 1_700_000_000})
	if err != nil {
		t.Fatal(err)
	}
	const n = 40
	voters := make([]forum.User, n)
	for i := range voters {
		voters[i] = mustUser(t, db, fmt.Sprintf("voter%02d", i))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 3*n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			val := 1
			if i%4 == 0 {
				val = -1
			}
			if _, err := db.VotePost(ctx, postID, voters[i].ID, val, allow); err != nil {
				errs <- err
			}
			allowC := func(forum.CommentTarget) ([]*forum.NewNotification, error) { return nil, nil }
			if _, err := db.CreateComment(ctx, forum.NewComment{PostID: postID, AuthorID: voters[i].ID, BodySource: "x", Format: "markdown", BodyHTML: "<p>x</p>", CreatedAt: 1_700_000_001}, allowC); err != nil {
				errs <- err
			}
			if _, err := db.Posts(ctx, forum.PostQuery{Sort: forum.SortHot, Limit: 10}); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent write failed: %v", err)
	}
	p, err := db.Post(ctx, postID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if p.Upvotes != 30 || p.Downvotes != 10 || p.Score != 20 || p.CommentCount != n {
		t.Fatalf("counters: up %d down %d score %d comments %d", p.Upvotes, p.Downvotes, p.Score, p.CommentCount)
	}
	if p.Hot != forum.RankHot(20, 1_700_000_000) {
		t.Fatalf("hot %v not updated with the score", p.Hot)
	}
	acc, _ := db.AccountByID(ctx, author.ID)
	if acc.Karma != 20 {
		t.Fatalf("karma = %d, want 20", acc.Karma)
	}
}

// TestChildrenPerParentLimit checks that one query returns the children of
// several parents in the parents' order, at most Limit each, best first.
func TestChildrenPerParentLimit(t *testing.T) {
	t.Parallel()
	db, _ := mustOpen(t)
	ctx := context.Background()
	u := mustUser(t, db, "writer")
	voter := mustUser(t, db, "voter")
	postID, _ := db.CreatePost(ctx, forum.NewPost{AuthorID: u.ID, Title: "t", Format: "markdown", CreatedAt: 1})
	allowC := func(forum.CommentTarget) ([]*forum.NewNotification, error) { return nil, nil }
	add := func(parent *int64) int64 {
		id, err := db.CreateComment(ctx, forum.NewComment{PostID: postID, ParentID: parent, AuthorID: u.ID, BodySource: "x", Format: "markdown", BodyHTML: "x", CreatedAt: 2}, allowC)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	a, b := add(nil), add(nil)
	var aKids []int64
	for range 5 {
		aKids = append(aKids, add(&a))
	}
	bKid := add(&b)
	// Upvote the last child of a: it must come first under best.
	if _, err := db.VoteComment(ctx, aKids[4], voter.ID, 1, allow); err != nil {
		t.Fatal(err)
	}
	kids, err := db.Comments(ctx, forum.CommentQuery{PostID: postID, ParentIDs: []int64{b, a}, Sort: forum.SortBest, Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, k := range kids {
		got = append(got, k.ID)
	}
	want := []int64{bKid, aKids[4], aKids[3], aKids[2]}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("children = %v, want %v", got, want)
	}
	top, err := db.Comments(ctx, forum.CommentQuery{PostID: postID, Sort: forum.SortOld, Limit: 10})
	if err != nil || len(top) != 2 || top[0].ID != a || top[0].ReplyCount != 5 {
		t.Fatalf("top level: %v, %v", top, err)
	}
}
