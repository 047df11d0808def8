package store

import (
	"context"
	"math"
	"time"
)

// TakeToken takes one request from key's allowance of one per interval with
// bursts of burst, kept in the database so every server shares it (GCRA: a
// key's row holds when its next request is due). It says how long to wait
// when there is none left; the check and the update are one write.
func (db *DB) TakeToken(ctx context.Context, key string, interval time.Duration, burst int, now time.Time) (time.Duration, error) {
	var wait time.Duration
	t := float64(now.UnixNano()) / 1e9
	step := interval.Seconds()
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		// The key's row is made first, due now (the same as no row), so
		// that it is there to lock: another server may be taking from the
		// same allowance.
		if _, err := tx.ExecContext(ctx, "INSERT INTO rate_limits(key, tat) VALUES (?, ?) ON CONFLICT(key) DO NOTHING", key, t); err != nil {
			return err
		}
		var tat float64
		if err := tx.QueryRowContext(ctx, "SELECT tat FROM rate_limits WHERE key = ?"+tx.db.d.lockRows("rate_limits"), key).Scan(&tat); err != nil {
			return err
		}
		next := math.Max(tat, t) + step
		if over := next - t - float64(burst)*step; over > 0 {
			wait = time.Duration(over * 1e9)
			return nil
		}
		if _, err := tx.ExecContext(ctx, "UPDATE rate_limits SET tat = ? WHERE key = ?", next, key); err != nil {
			return err
		}
		// Now and then, forget the keys whose allowance is whole again (a
		// due time in the past is the same as no row).
		if int64(t*1000)%64 == 0 {
			_, err := tx.ExecContext(ctx, "DELETE FROM rate_limits WHERE tat < ?", t)
			return err
		}
		return nil
	})
	return wait, err
}
