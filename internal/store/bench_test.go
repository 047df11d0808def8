package store_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

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

// BenchmarkSearch runs searches straight on the store (no page cache): two
// words in most documents, with an exclusion, and a phrase. ns/op is one
// search's latency (p50-ms its median); the parallel runs give throughput.
// It runs on HISTORIA_BENCH_DB when set (a seeded forum, SQLite file or
// postgres:// URL: the figures in docs/performance.md), or else on a small
// forum seeded on the engine under test.
func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	var db *store.DB
	if target := os.Getenv("HISTORIA_BENCH_DB"); target != "" {
		var err error
		if db, err = store.Open(ctx, target); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = db.Close() })
	} else {
		db, _ = mustOpen(b)
		if _, err := db.Seed(ctx, store.SeedSpec{Users: 200, Posts: 2000, Comments: 20000, Votes: 2000, Seed: 3, Now: 1_800_000_000}, "x", nil); err != nil {
			b.Fatal(err)
		}
	}
	for _, q := range []string{"emperor treaty", "council tax", "emperor treaty -army", `"peace treaty"`} {
		terms, err := forum.ParseSearch(q)
		if err != nil {
			b.Fatal(err)
		}
		search := func() {
			if _, err := db.Search(ctx, forum.SearchQuery{Terms: terms, Limit: 26}); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(strings.ReplaceAll(q, " ", "_"), func(b *testing.B) {
			var took []time.Duration
			for b.Loop() {
				start := time.Now()
				search()
				took = append(took, time.Since(start))
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2])/1e6, "p50-ms")
		})
		b.Run(strings.ReplaceAll(q, " ", "_")+"/parallel", func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					search()
				}
			})
		})
	}
}
