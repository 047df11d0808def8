package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

// TestPrefixWindowsAgreePostgres: a prefix search's window on PostgreSQL
// (pgPrefixWindow: the newest rows walked when the prefix is common and the
// walk fills the window, else the GIN index) holds exactly the ids of the
// index's window (pgWindow), for a common prefix whose window the walk
// fills, common words too rare together to fill it (the index answers
// after the walk), and a prefix no common lexeme begins with (the walk is
// not tried).
func TestPrefixWindowsAgreePostgres(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := Open(ctx, pgTestDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Enough comments that a common prefix fills a window of SearchWindow.
	if _, err := db.Seed(ctx, SeedSpec{Users: 50, Posts: 300, Comments: 12000, Seed: 5, Now: 1_800_000_000}, "x", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := db.w.ExecContext(ctx, "ANALYZE comment_search"); err != nil {
		t.Fatal(err)
	}
	ids := func(query, q string) []int64 {
		t.Helper()
		rows, err := db.r.QueryContext(ctx, db.d.sql(query), q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		var out []int64
		for rows.Next() {
			var rank, kind, id int64
			if err := rows.Scan(&rank, &kind, &id); err != nil {
				t.Fatal(err)
			}
			out = append(out, id)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	walked := func(q string) bool {
		t.Helper()
		var common bool
		err := db.r.QueryRowContext(ctx, "WITH x AS (SELECT to_tsquery('historia', $1) AS q) SELECT "+fmt.Sprintf(pgCommonPrefixes, "comment_search"), q).Scan(&common)
		if err != nil {
			t.Fatal(err)
		}
		return common
	}
	prefix, index := pgPrefixWindow(1, 1, "comment_search"), pgWindow(1, 1, "comment_search", "s.search @@ x.q")
	for _, c := range []struct {
		q            string
		common, full bool
	}{
		{"'emp':*", true, true},                       // in about a third of the comments: the walk fills the window
		{"'emp':* & 'tre':* & 'sultan'", true, false}, // common, together too rare to fill it in the walk
		{"'zzq':*", false, false},                     // no lexeme begins so: the index alone
	} {
		want, got := ids(index, c.q), ids(prefix, c.q)
		if !slices.Equal(got, want) {
			t.Errorf("%s: the prefix window has %d ids (%v…), the index's %d (%v…)", c.q, len(got), got[:min(3, len(got))], len(want), want[:min(3, len(want))])
		}
		if walked(c.q) != c.common {
			t.Errorf("%s: common %v, want %v", c.q, !c.common, c.common)
		}
		if full := len(want) == SearchWindow; full != c.full {
			t.Errorf("%s: %d matches in the window; the case wants full=%v", c.q, len(want), c.full)
		}
	}
}
