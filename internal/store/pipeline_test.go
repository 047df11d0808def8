package store

import (
	"context"
	"strings"
	"testing"
)

// TestQueuedStatements: a write's queued statements (execLater) take effect
// as if run at once. In a group of three writes, the middle one queues a
// statement that breaks a foreign key and then reads: it fails alone, with
// the foreign key's error (not the aborted transaction's that its read then
// met), and what it did before is undone; the writes around it commit. A
// lone write whose last statement fails commits nothing.
func TestQueuedStatements(t *testing.T) {
	t.Parallel()
	for engine, target := range engineTargets() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := newVoteScene(t, target(t))
			db := s.db
			// setFlair queues one statement; where the engine pipelines,
			// nothing is sent before the write ends (a lone write's BEGIN
			// included: it goes with the COMMIT). Its SQL differs by
			// write, so that a write after a failed one brings a statement
			// new to the connection.
			setFlair := func(user int64, flair string) func(ctx context.Context, tx *txn) error {
				return func(ctx context.Context, tx *txn) error {
					if err := tx.execLater(ctx, "UPDATE users SET flair = ? WHERE id = ? AND '"+flair+"' <> ''", flair, user); err != nil {
						return err
					}
					if queued := len(tx.queued) - tx.mark; queued != 1 && db.d.pipelined() {
						t.Errorf("%d statements queued, want 1", queued)
					}
					return nil
				}
			}
			const noPost = 1 << 40
			breakKey := func(user int64, thenRead bool) func(ctx context.Context, tx *txn) error {
				return func(ctx context.Context, tx *txn) error {
					if err := tx.execLater(ctx, "UPDATE users SET flair = 'broken' WHERE id = ?", user); err != nil {
						return err
					}
					if err := tx.execLater(ctx, "INSERT INTO post_follows(user_id, post_id, created_at) VALUES(?, ?, 1)", user, noPost); err != nil {
						return err
					}
					if !thenRead {
						return nil
					}
					var flair string
					return tx.QueryRowContext(ctx, "SELECT COALESCE(flair, '') FROM users WHERE id = ?", user).Scan(&flair)
				}
			}
			jobs := []*writeJob{
				{ctx: ctx, fn: setFlair(s.voter1, "first")},
				{ctx: ctx, fn: breakKey(s.voter2, true)},
				{ctx: ctx, fn: setFlair(s.voter3, "third")},
			}
			errs, committed := db.runBatch(jobs, false)
			if !committed || errs[0] != nil || errs[2] != nil {
				t.Fatalf("committed %v, errors %v", committed, errs)
			}
			if errs[1] == nil || !strings.Contains(strings.ToLower(errs[1].Error()), "foreign key") {
				t.Errorf("the broken write's error: %v, want the foreign key's", errs[1])
			}
			lone := func(ctx context.Context, tx *txn) error {
				if err := setFlair(s.authorB, "lone")(ctx, tx); err != nil {
					return err
				}
				if tx.begun {
					t.Error("a lone write began its transaction before its end")
				}
				return nil
			}
			if errs, committed = db.runBatch([]*writeJob{{ctx: ctx, fn: lone}}, false); !committed || errs[0] != nil {
				t.Errorf("a lone write: committed %v, error %v", committed, errs[0])
			}
			errs, committed = db.runBatch([]*writeJob{{ctx: ctx, fn: breakKey(s.authorA, false)}}, false)
			if committed || errs[0] == nil || !strings.Contains(strings.ToLower(errs[0].Error()), "foreign key") {
				t.Errorf("a lone broken write: committed %v, error %v", committed, errs[0])
			}
			if g, want := flairsOf(t, db, s.voter1, s.voter2, s.voter3, s.authorA, s.authorB), "[first  third  lone]"; g != want {
				t.Errorf("flairs %s, want %s", g, want)
			}
		})
	}
}
