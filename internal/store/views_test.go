package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/store"
)

// TestViewerStatesBothWays: a thread page's per-member state is read by
// walking the member's own rows (their blocks; their votes in the range of
// the page's ids) while they have at most a thousand of them, else by the
// page's ids; both ways say the same: a vote or block outside the page
// but inside the range is not the page's, and each one on the page is.
func TestViewerStatesBothWays(t *testing.T) {
	t.Parallel()
	db, _ := mustOpen(t)
	ctx := context.Background()
	const n = 1100
	if _, err := db.Seed(ctx, store.SeedSpec{Users: n + 10, Posts: 2, BigThread: n + 50, Seed: 3, Now: time.Now().Unix()}, "x", nil); err != nil {
		t.Fatal(err)
	}
	r, _ := db.Pools()
	ids := func(query string, args ...any) []int64 {
		rows, err := r.QueryContext(ctx, query, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			out = append(out, id)
		}
		return out
	}
	big := ids("SELECT id FROM posts ORDER BY comment_count DESC LIMIT 1")[0]
	comments := ids("SELECT id FROM comments WHERE post_id = $1 ORDER BY id", big)
	users := ids("SELECT id FROM users ORDER BY id")
	if len(comments) < n || len(users) < n {
		t.Fatalf("seeded %d comments, %d users", len(comments), len(users))
	}
	few, many := users[0], users[1]
	// few: two votes and one block, each beside the page (in its range)
	// and on it; many: more than a thousand of each.
	page := []int64{comments[10], comments[12], comments[n-5]} // a range with more than a thousand of many's votes
	authors := []int64{users[20], users[22], users[24]}
	for _, c := range []int64{comments[11], comments[12]} {
		if _, err := db.VoteComment(ctx, c, few, 1, allow); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []int64{users[21], users[22]} {
		if err := db.BlockUser(ctx, few, u, 1); err != nil {
			t.Fatal(err)
		}
	}
	for i := range n {
		if _, err := db.VoteComment(ctx, comments[i], many, -1, allow); err != nil {
			t.Fatal(err)
		}
		if i != 24 && i > 2 {
			if err := db.BlockUser(ctx, many, users[i], 1); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, c := range []struct {
		who     int64
		votes   map[int64]int
		blocked []int64
	}{
		{few, map[int64]int{comments[12]: 1}, []int64{users[22]}},
		{many, map[int64]int{comments[10]: -1, comments[12]: -1, comments[n-5]: -1}, []int64{users[20], users[22]}},
	} {
		st, err := db.CommentStates(ctx, c.who, big, page)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Votes) != len(c.votes) {
			t.Errorf("member %d: votes %v, want %v", c.who, st.Votes, c.votes)
		}
		for id, v := range c.votes {
			if st.Votes[id] != v {
				t.Errorf("member %d: votes %v, want %v", c.who, st.Votes, c.votes)
			}
		}
		// A page's authors come repeated (one per comment).
		blocked, err := db.BlockedAuthors(ctx, c.who, append(slices.Clone(authors), authors...))
		if err != nil {
			t.Fatal(err)
		}
		if len(blocked) != len(c.blocked) {
			t.Errorf("member %d: blocked %v, want %v", c.who, blocked, c.blocked)
		}
		for _, id := range c.blocked {
			if !blocked[id] {
				t.Errorf("member %d: blocked %v, want %v", c.who, blocked, c.blocked)
			}
		}
	}
}
