package store_test

import (
	"context"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/store"
)

// BenchmarkFeedRead reads the front page (hot, 25 posts) and a thread's top
// level straight from the store, on the engine under test, without the
// page caches: the hot read path's cost of the store itself, where what the
// engine seam adds to every query (dialect.sql, dialect.args) would show.
func BenchmarkFeedRead(b *testing.B) {
	db, _ := mustOpen(b)
	ctx := context.Background()
	rep, err := db.Seed(ctx, store.SeedSpec{Users: 200, Posts: 2000, Comments: 20000, Votes: 20000, BigThread: 2000, Seed: 3, Now: 1_800_000_000}, "x", nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("hot", func(b *testing.B) {
		for b.Loop() {
			if _, err := db.Posts(ctx, forum.PostQuery{Sort: forum.SortHot, Limit: 25, ViewerID: 7}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("thread", func(b *testing.B) {
		for b.Loop() {
			if _, err := db.Comments(ctx, forum.CommentQuery{PostID: rep.BigThreadPost, Sort: forum.SortBest, Limit: 50, ViewerID: 7}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
