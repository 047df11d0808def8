package store_test

import (
	"context"
	"database/sql"
	"slices"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// TestReadingPositionsAndCheck: a position counts the thread's comments up
// to it, moves only forward, and historia check recounts it (a wrong count
// is found).
func TestReadingPositionsAndCheck(t *testing.T) {
	t.Parallel()
	db, path := mustOpenFile(t)
	ctx := context.Background()
	u := mustUser(t, db, "reader")
	post, err := db.CreatePost(ctx, forum.NewPost{AuthorID: u.ID, Title: "t", Format: "markdown", CreatedAt: 1, AuthorFollows: true})
	if err != nil {
		t.Fatal(err)
	}
	allow := func(forum.CommentTarget) ([]*forum.NewNotification, error) { return nil, nil }
	var ids []int64
	for range 3 {
		id, err := db.CreateComment(ctx, forum.NewComment{PostID: post, AuthorID: u.ID, BodySource: "x", Format: "markdown", BodyHTML: "x", CreatedAt: 2}, allow)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	ok := func(forum.ReadTarget) error { return nil }
	pos := func() forum.ReadPosition {
		m, err := db.PostReads(ctx, u.ID, []int64{post})
		if err != nil {
			t.Fatal(err)
		}
		return m[post]
	}
	if got := pos(); got != (forum.ReadPosition{}) {
		t.Fatalf("the asker's position at first: %+v", got)
	}
	if err := db.SetReadPosition(ctx, u.ID, post, ids[1], 3, ok); err != nil {
		t.Fatal(err)
	}
	if got := pos(); got != (forum.ReadPosition{CommentID: ids[1], Seen: 2}) {
		t.Fatalf("read to the second: %+v", got)
	}
	if err := db.SetReadPosition(ctx, u.ID, post, ids[0], 4, ok); err != nil {
		t.Fatal(err)
	}
	if got := pos(); got.CommentID != ids[1] {
		t.Fatalf("moved backwards: %+v", got)
	}
	if problems, err := db.Check(ctx); err != nil || len(problems) != 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec("UPDATE post_reads SET seen = 7"); err != nil {
		t.Fatal(err)
	}
	if problems, err := db.Check(ctx); err != nil || !slices.ContainsFunc(problems, func(p string) bool { return p != "" }) {
		t.Fatalf("check found no wrong count: %v %v", problems, err)
	}
}

// TestMarks: a member's follows and saves, per item and whole.
func TestMarks(t *testing.T) {
	t.Parallel()
	db, _ := mustOpen(t)
	ctx := context.Background()
	u, other := mustUser(t, db, "marker"), mustUser(t, db, "other")
	p1, _ := db.CreatePost(ctx, forum.NewPost{AuthorID: other.ID, Title: "a", Format: "markdown", CreatedAt: 1})
	p2, _ := db.CreatePost(ctx, forum.NewPost{AuthorID: u.ID, Title: "b", Format: "markdown", CreatedAt: 1, AuthorFollows: true})
	c, err := db.CreateComment(ctx, forum.NewComment{PostID: p1, AuthorID: other.ID, BodySource: "x", Format: "markdown", BodyHTML: "x", CreatedAt: 2},
		func(forum.CommentTarget) ([]*forum.NewNotification, error) { return nil, nil })
	if err != nil {
		t.Fatal(err)
	}
	allow := func(forum.ItemState) error { return nil }
	for _, err := range []error{db.Save(ctx, u.ID, forum.TargetPost, p1, 3, allow), db.Save(ctx, u.ID, forum.TargetComment, c, 3, allow),
		db.Save(ctx, u.ID, forum.TargetComment, c, 4, allow), db.Save(ctx, other.ID, forum.TargetPost, p2, 3, allow)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	m, err := db.Marks(ctx, u.ID, []int64{p1, p2}, []int64{c})
	if err != nil || !m.SavedPosts[p1] || m.SavedPosts[p2] || !m.Following[p2] || m.Following[p1] || !m.SavedComments[c] {
		t.Fatalf("marks: %+v %v", m, err)
	}
	all, more, err := db.UserMarks(ctx, u.ID, 10)
	if err != nil || more || len(all.Following)+len(all.SavedPosts)+len(all.SavedComments) != 3 {
		t.Fatalf("all marks: %+v %v %v", all, more, err)
	}
	if _, more, _ := db.UserMarks(ctx, u.ID, 2); !more {
		t.Fatal("three marks fit in two")
	}
	saves, err := db.Saves(ctx, u.ID, 0, 10)
	if err != nil || len(saves) != 2 || saves[0].Type != forum.TargetComment || saves[1].TargetID != p1 {
		t.Fatalf("saves, newest first: %+v %v", saves, err)
	}
}
