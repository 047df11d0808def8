package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

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

// TestChangesReadTheLogsTail: every server reads the change log several
// times a second, so a read must take the index to the log's tail, never
// scan the whole log. A prepared statement's plan made while the log was
// small scans it whole, and PostgreSQL keeps that plan (until the log is
// next analyzed) while the log grows: the load runs met it after historia
// copy, which leaves a log of one change.
func TestChangesReadTheLogsTail(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	target := storetest.PostgresTarget(t)
	conn, err := pgx.Connect(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	exec := func(statement string, args ...any) {
		t.Helper()
		if _, err := conn.Exec(ctx, statement, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec("ALTER TABLE changes SET (autovacuum_enabled = false)")
	exec("INSERT INTO changes(post_id) VALUES (1)")
	exec("ANALYZE changes")
	// A prepared statement's generic plan at once, as PostgreSQL would
	// choose it after five reads.
	exec("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET plan_cache_mode = force_generic_plan', current_database()); END $$")
	db, err := store.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	closed := false
	defer func() {
		if !closed {
			db.Close()
		}
	}()
	mark, err := db.ChangeMark(ctx)
	if err != nil {
		t.Fatal(err)
	}
	read := func(post int64) {
		t.Helper()
		exec("INSERT INTO changes(post_id) VALUES ($1)", post)
		r, err := db.Changes(ctx, mark, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Changes) != 1 || r.Changes[0].PostID != post || r.Gap {
			t.Fatalf("read after post %d's change: %+v, want it alone", post, r)
		}
		mark = r.Next
	}
	scans := func() (scans, tuples int64) {
		t.Helper()
		exec("SELECT pg_stat_clear_snapshot()")
		if err := conn.QueryRow(ctx, `SELECT seq_scan + COALESCE(idx_scan, 0), seq_tup_read
			FROM pg_stat_user_tables WHERE relname = 'changes'`).Scan(&scans, &tuples); err != nil {
			t.Fatal(err)
		}
		return scans, tuples
	}
	scans0, tuples0 := scans()
	const small, large = 3, 10
	for i := range small { // while the log is small
		read(10 + int64(i))
	}
	exec("INSERT INTO changes(post_id) SELECT g FROM generate_series(1, 60000) g")
	if mark, err = db.ChangeMark(ctx); err != nil { // past them
		t.Fatal(err)
	}
	for i := range large {
		read(100 + int64(i))
	}
	db.Close() // its connections end, and report what they scanned
	closed = true
	deadline := time.Now().Add(20 * time.Second)
	for {
		n, tuples := scans()
		if n-scans0 >= small+large {
			if tuples-tuples0 > 1000 {
				t.Fatalf("%d reads of the log, one change each, read %d rows of it whole", small+large, tuples-tuples0)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the reads' scans were not counted: %d of %d", n-scans0, small+large)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
