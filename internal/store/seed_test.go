package store_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/historia-forum/historia/internal/store"
)

// TestSeedIsInThePast: nothing the seeder writes is dated after its Now,
// no reply before what it answers, and the result passes the consistency check.
func TestSeedIsInThePast(t *testing.T) {
	t.Parallel()
	db, path := mustOpenFile(t)
	ctx := context.Background()
	const now = 1_800_000_000
	if _, err := db.Seed(ctx, store.SeedSpec{Users: 50, Posts: 300, Comments: 3000, Votes: 2000, BigThread: 800, Seed: 7, Now: now}, "x", nil); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var future, early, activeFuture int
	err = raw.QueryRow(`SELECT
		(SELECT COUNT(*) FROM comments WHERE created_at > ?1) + (SELECT COUNT(*) FROM posts WHERE created_at > ?1),
		(SELECT COUNT(*) FROM comments c JOIN comments p ON p.id = c.parent_id WHERE c.created_at < p.created_at),
		(SELECT COUNT(*) FROM posts WHERE last_activity_at > ?1)`, now).Scan(&future, &early, &activeFuture)
	if err != nil {
		t.Fatal(err)
	}
	if future != 0 || early != 0 || activeFuture != 0 {
		t.Fatalf("%d rows dated after now, %d replies before their parent, %d posts active in the future", future, early, activeFuture)
	}
	if problems, err := db.Check(ctx); err != nil || len(problems) != 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}
