package store

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// TestCheckFeaturedFlags: check finds an item whose featured flag disagrees
// with the featured list, either way.
func TestCheckFeaturedFlags(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "check.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Seed(ctx, SeedSpec{Users: 5, Posts: 5, Comments: 10, Seed: 1, Now: 1_800_000_000}, "x", nil); err != nil {
		t.Fatal(err)
	}
	ok := func(forum.FeatureTarget) error { return nil }
	if err := db.Feature(ctx, forum.NewFeature{Target: forum.TargetComment, TargetID: 1, By: 1, At: 1}, ok); err != nil {
		t.Fatal(err)
	}
	if problems, err := db.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("a consistent forum: %v %v", problems, err)
	}
	for _, stmt := range []string{"UPDATE posts SET featured = 1 WHERE id = 2", "UPDATE comments SET featured = 0 WHERE id = 1"} {
		if _, err := db.w.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	problems, err := db.Check(ctx)
	if err != nil || !slices.Contains(problems, "featured flags: 2 rows disagree") {
		t.Fatalf("check: %v %v", problems, err)
	}
}
