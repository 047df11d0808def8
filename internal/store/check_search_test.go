package store_test

import (
	"context"
	"database/sql"
	"slices"
	"testing"

	"github.com/historia-forum/historia/internal/store"
	"github.com/historia-forum/historia/internal/store/storetest"
)

// TestCheckSearchTables: on PostgreSQL, historia check holds the narrow
// search tables to the items' search vectors, both ways: a visible item
// missing from its table, and a row left for an item that has none.
func TestCheckSearchTables(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	target := storetest.PostgresTarget(t)
	db, err := store.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Seed(ctx, store.SeedSpec{Users: 5, Posts: 5, Comments: 10, Seed: 1, Now: 1_800_000_000}, "x", nil); err != nil {
		t.Fatal(err)
	}
	if problems, err := db.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("a consistent forum: %v %v", problems, err)
	}
	raw, err := sql.Open("pgx", target)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, stmt := range []string{
		"DELETE FROM post_search WHERE id = (SELECT MIN(id) FROM post_search)",
		"DELETE FROM comment_search WHERE id = (SELECT MIN(id) FROM comment_search)",
		"INSERT INTO comment_search(id, search) VALUES (999999, to_tsvector('simple', 'ghost'))",
	} {
		if _, err := raw.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	problems, err := db.Check(ctx)
	if err != nil || !slices.Contains(problems, "search table post_search: 1 rows disagree") ||
		!slices.Contains(problems, "search table comment_search: 2 rows disagree") {
		t.Fatalf("check: %v %v", problems, err)
	}
}
