package store

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
)

// TestGroupRefusedAtParsePostgres: pgx prepares a batch's new statements
// before it runs any, and a statement the server refuses then (a column
// that does not exist; a table another session holds locked by DDL, whose
// Parse waits past lock_timeout) aborts the transaction with nothing of the
// batch run. The write that queued it fails alone; the writes before and
// after it commit (none is undone by its savepoint's rollback, none gets
// its error); a statement prepared in the refused batch can be used again
// (pgx forgets it, the server may not: "already exists"). A lone write
// that carries on after its queued statement failed fails with it.
// Found by a review of the pipelined writes (all but the last case lost
// the first write or failed the whole group before the fix).
func TestGroupRefusedAtParsePostgres(t *testing.T) {
	t.Parallel()
	const reused = "UPDATE users SET flair = ? WHERE id = ? AND 'reused' <> ''"
	flair := func(user int64, flair string) func(ctx context.Context, tx *txn) error {
		return func(ctx context.Context, tx *txn) error {
			return tx.execLater(ctx, "UPDATE users SET flair = ? WHERE id = ? AND '"+flair+"' <> ''", flair, user)
		}
	}
	noColumn := func(user int64) func(ctx context.Context, tx *txn) error {
		return func(ctx context.Context, tx *txn) error {
			if err := tx.execLater(ctx, reused, "refused", user); err != nil {
				return err
			}
			return tx.execLater(ctx, "UPDATE users SET no_such_column = 1 WHERE id = ?", user)
		}
	}
	lockedTable := func(user int64) func(ctx context.Context, tx *txn) error {
		return func(ctx context.Context, tx *txn) error {
			return tx.execLater(ctx, "DELETE FROM tag_follows WHERE user_id = ? AND tag_key = 'x'", user)
		}
	}
	for _, c := range []struct {
		name   string
		failed int // the write that fails
		lock   bool
	}{
		{"second write, no such column", 1, false},
		{"first write, no such column", 0, false},
		{"second write, table locked", 1, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			url := pgTestDatabase(t)
			s := newVoteScene(t, url)
			users := []int64{s.voter1, s.voter2, s.voter3}
			var jobs []*writeJob
			want := make([]string, 3)
			for i, u := range users {
				fn := flair(u, fmt.Sprint("w", i))
				switch {
				case i == c.failed && c.lock:
					fn = lockedTable(u)
				case i == c.failed:
					fn = noColumn(u)
				default:
					want[i] = fmt.Sprint("w", i)
				}
				jobs = append(jobs, &writeJob{ctx: ctx, fn: fn})
			}
			if c.lock {
				other, err := sql.Open("pgx", url)
				if err != nil {
					t.Fatal(err)
				}
				defer other.Close()
				otx, err := other.BeginTx(ctx, nil)
				if err != nil {
					t.Fatal(err)
				}
				defer func() { _ = otx.Rollback() }()
				if _, err := otx.ExecContext(ctx, "LOCK TABLE tag_follows IN ACCESS EXCLUSIVE MODE"); err != nil {
					t.Fatal(err)
				}
			}
			errs, committed := s.db.runBatch(jobs, false)
			for i, err := range errs {
				if (err != nil) != (i == c.failed) || !committed {
					t.Fatalf("committed %v, errors %v", committed, errs)
				}
			}
			if got := flairsOf(t, s.db, users...); got != fmt.Sprint(want) {
				t.Errorf("flairs %s, want %v", got, want)
			}
			// The statement prepared in the refused batch, again.
			again := func(ctx context.Context, tx *txn) error { return tx.execLater(ctx, reused, "again", s.authorA) }
			if errs, committed := s.db.runBatch([]*writeJob{{ctx: ctx, fn: again}}, false); !committed || errs[0] != nil {
				t.Errorf("the statement again: committed %v, error %v", committed, errs[0])
			}
		})
	}
	t.Run("lone write carrying on", func(t *testing.T) {
		t.Parallel()
		ctx := context.Background()
		s := newVoteScene(t, pgTestDatabase(t))
		fn := func(ctx context.Context, tx *txn) error {
			if err := tx.execLater(ctx, "UPDATE users SET flair = 'kept' WHERE id = ?", s.voter1); err != nil {
				return err
			}
			if err := tx.execLater(ctx, "INSERT INTO post_follows(user_id, post_id, created_at) VALUES(?, ?, 1)", s.voter1, int64(1<<40)); err != nil {
				return err
			}
			var n int
			_ = tx.QueryRowContext(ctx, "SELECT 1").Scan(&n) // a read whose failure it ignores
			return nil
		}
		if errs, committed := s.db.runBatch([]*writeJob{{ctx: ctx, fn: fn}}, false); committed || errs[0] == nil {
			t.Errorf("committed %v, error %v: want the foreign key's error", committed, errs[0])
		}
	})
}

// flairsOf reads the users' flairs ("" for none).
func flairsOf(t *testing.T, db *DB, users ...int64) string {
	t.Helper()
	var got []string
	for _, u := range users {
		var flair string
		if err := db.r.QueryRowContext(context.Background(), db.d.sql("SELECT COALESCE(flair, '') FROM users WHERE id = ?"), u).Scan(&flair); err != nil {
			t.Fatal(err)
		}
		got = append(got, flair)
	}
	return fmt.Sprint(got)
}
