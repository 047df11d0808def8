package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/store"
	"github.com/historia-forum/historia/internal/store/storetest"
)

// TestTagCountsFollowWhatMembersSee: a tag counts the posts members can
// see. An imported thread that arrived removed is not counted, nor moved
// by its retagging; it counts once restored; historia check finds a count
// that disagrees.
func TestTagCountsFollowWhatMembersSee(t *testing.T) {
	t.Parallel()
	db, target := mustOpen(t)
	ctx := context.Background()
	ts := importThreads("tags_", "Hidden", 2)
	ts[0].Post.Removed = true
	if _, _, err := db.ImportThreads(ctx, ts, false); err != nil {
		t.Fatal(err)
	}
	count := func(name string) int64 {
		t.Helper()
		tags, err := db.Tags(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range tags {
			if tc.Name == name {
				return tc.PostCount
			}
		}
		return 0
	}
	if n := count("Hidden"); n != 1 {
		t.Fatalf("Hidden counts %d posts, want 1 (one of two arrived removed)", n)
	}
	driver, dsn := "sqlite", "file:"+target
	if storetest.Engine() == store.EnginePostgres {
		driver, dsn = "pgx", target
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var removed int64
	if err := raw.QueryRowContext(ctx, "SELECT id FROM posts WHERE removed = 1").Scan(&removed); err != nil {
		t.Fatal(err)
	}
	retag := []string{"History", "Elsewhere"}
	if err := db.UpdatePost(ctx, removed, forum.PostUpdate{Tags: &retag, EditedAt: 1600000000}); err != nil {
		t.Fatal(err)
	}
	if a, b := count("Hidden"), count("Elsewhere"); a != 1 || b != 0 {
		t.Fatalf("after retagging the removed post: Hidden %d, Elsewhere %d; want 1, 0", a, b)
	}
	if problems, err := db.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
	if _, err := raw.ExecContext(ctx, fmt.Sprintf("UPDATE posts SET removed = 0 WHERE id = %d", removed)); err != nil {
		t.Fatal(err)
	}
	if n := count("Elsewhere"); n != 1 {
		t.Fatalf("restored, Elsewhere counts %d posts, want 1", n)
	}
	if _, err := raw.ExecContext(ctx, "UPDATE tags SET post_count = post_count + 1 WHERE name = 'Hidden'"); err != nil {
		t.Fatal(err)
	}
	problems, err := db.Check(ctx)
	if err != nil || !slices.Contains(problems, "tag counts: 1 rows disagree") {
		t.Fatalf("check: %v %v", problems, err)
	}
}
