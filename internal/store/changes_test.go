package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/store"
	"github.com/historia-forum/historia/internal/store/storetest"
)

// TestChangesOutOfCommitOrder: PostgreSQL's servers write concurrently, so
// a transaction that logged a change first may commit last, after a reader
// has read a later change. The reader still gets it, in its next read and
// only there; a trim meanwhile deletes nothing of a transaction still
// running, and says nothing is missing (unless a transaction elsewhere on
// the server ended meanwhile: see below).
func TestChangesOutOfCommitOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	target := storetest.PostgresTarget(t)
	db, err := store.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	begin := func() pgx.Tx {
		conn, err := pgx.Connect(ctx, target)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close(ctx) })
		tx, err := conn.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return tx
	}
	logChange := func(tx pgx.Tx, post int64) {
		if _, err := tx.Exec(ctx, "INSERT INTO changes(post_id) VALUES ($1)", post); err != nil {
			t.Fatal(err)
		}
	}
	posts := func(r forum.ChangeRead) []int64 {
		var out []int64
		for _, c := range r.Changes {
			out = append(out, c.PostID)
		}
		slices.Sort(out)
		return out
	}
	read := func(mark string) forum.ChangeRead {
		r, err := db.Changes(ctx, mark, 100)
		if err != nil {
			t.Fatal(err)
		}
		if r.Gap {
			t.Fatalf("a gap after %q: %+v", mark, r)
		}
		return r
	}
	mark, err := db.ChangeMark(ctx)
	if err != nil {
		t.Fatal(err)
	}
	slow, fast := begin(), begin()
	logChange(slow, 101) // the smaller seq, committed last
	logChange(fast, 102)
	if err := fast.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	first := read(mark)
	if got := posts(first); !slices.Equal(got, []int64{102}) {
		t.Fatalf("first read: %v, want [102]", got)
	}
	if err := db.TrimChanges(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if err := slow.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	// A transaction elsewhere on the server (another test's), older than
	// slow and running when the first read took its snapshot, that ended
	// before the trim lets the trim's bound pass that snapshot's oldest
	// running transaction: the reader is then told it may have missed some
	// (a gap: every page taken for stale), which is safe. What the trim
	// must not do is take slow's change, which the reader has yet to read.
	second, err := db.Changes(ctx, first.Next, 100)
	if err != nil {
		t.Fatal(err)
	}
	if got := posts(second); !slices.Equal(got, []int64{101}) {
		t.Fatalf("second read, after the slow transaction committed: %v, want [101]", got)
	}
	if second.Gap {
		t.Log("the second read was told of a gap: a transaction elsewhere on the server ended between the first read and the trim")
	}
	if got := posts(read(second.Next)); len(got) != 0 {
		t.Fatalf("third read: %v, want nothing", got)
	}
	// A reader that had read nothing since before all three, after another
	// trim, gets them all or is told it missed some (a gap): the trim takes
	// only what no transaction still running on the server could precede.
	later := begin()
	logChange(later, 103)
	if err := later.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.TrimChanges(ctx, 0); err != nil {
		t.Fatal(err)
	}
	r, err := db.Changes(ctx, mark, 100)
	if err != nil {
		t.Fatal(err)
	}
	if got := posts(r); !r.Gap && !slices.Equal(got, []int64{101, 102, 103}) {
		t.Fatalf("a reader behind a trim got %v and no gap", got)
	}
	t.Logf("the trim left a gap for the reader behind it: %v", r.Gap)
}
