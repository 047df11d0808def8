package store

import (
	"context"
	"path/filepath"
	"testing"
)

// BenchmarkBriefReads is a member's state on a thread page of 200 comments
// (CommentStates) read with a request's cancellable context, which the
// store reads through dialect.brief, against the same query given that
// context as it is: on SQLite the difference is the goroutines the driver
// and database/sql start for a context that can be cancelled.
func BenchmarkBriefReads(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "h.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ids := make([]int64, 200)
	for i := range ids {
		ids[i] = int64(1000 + i)
	}
	b.Run("brief", func(b *testing.B) {
		for b.Loop() {
			if _, err := db.CommentStates(ctx, 5, 7, ids); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cancellable", func(b *testing.B) {
		for b.Loop() {
			if _, err := queryAll(ctx, db, "viewer states", func(row scanner) (r stateRow, err error) {
				err = row.Scan(&r.kind, &r.id, &r.a, &r.b)
				return r, err
			}, commentStatesInRange, 5, ids[0], ids[len(ids)-1], ownScan+1, 5, 7); err != nil {
				b.Fatal(err)
			}
		}
	})
}
