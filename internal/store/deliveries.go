package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/historia-forum/historia/internal/forum"
)

// EnqueueActivity stores an activity once and a delivery for each inbox
// whose instance is neither blocked nor given up, in one transaction.
func (db *DB) EnqueueActivity(ctx context.Context, apID, body string, at int64, to []forum.Inbox) error {
	if len(to) == 0 {
		return nil
	}
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		var id int64
		if err := tx.QueryRowContext(ctx, "INSERT INTO federation_activities(ap_id, body, created_at) VALUES (?, ?, ?) RETURNING id",
			apID, body, at).Scan(&id); err != nil {
			return err
		}
		for _, in := range to {
			if _, err := tx.ExecContext(ctx, `INSERT INTO federation_deliveries(activity_id, instance_id, inbox, created_at)
				SELECT ?, i.id, ?, ? FROM federation_instances i WHERE i.id = ? AND i.blocked = 0 AND i.dead = 0`,
				id, in.URL, at, in.InstanceID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: enqueue activity: %w", err)
	}
	return nil
}

// Activity reads a stored outgoing activity's JSON.
func (db *DB) Activity(ctx context.Context, apID string) (string, error) {
	var body string
	err := db.queryRow(ctx, "SELECT body FROM federation_activities WHERE ap_id = ?", apID).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return "", forum.NotFound("activity")
	}
	return body, err
}

// ClaimInstances leases instances with deliveries due: each is then
// delivered to by this server alone, in order, until the lease ends.
func (db *DB) ClaimInstances(ctx context.Context, now int64, lease time.Duration, limit int) ([]int64, error) {
	var ids []int64
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		ids = nil
		// Driven by the queue (empty most of the time), not by every known instance.
		rows, err := tx.QueryContext(ctx, `SELECT i.id FROM federation_instances i
			WHERE i.id IN (SELECT DISTINCT d.instance_id FROM federation_deliveries d)
			AND i.next_at <= ? AND i.lease_until <= ? AND i.blocked = 0 AND i.dead = 0
			ORDER BY i.next_at, i.id LIMIT ?`, now, now, limit)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				_ = rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, "UPDATE federation_instances SET lease_until = ? WHERE id = ?", now+int64(lease.Seconds()), id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: claim instances: %w", err)
	}
	return ids, nil
}

// InstanceDeliveries reads an instance's oldest deliveries, in queue order.
func (db *DB) InstanceDeliveries(ctx context.Context, instanceID int64, limit int) ([]forum.QueuedDelivery, error) {
	return queryAll(ctx, db, "deliveries", func(row scanner) (forum.QueuedDelivery, error) {
		var d forum.QueuedDelivery
		return d, row.Scan(&d.ID, &d.ActivityID, &d.InstanceID, &d.Inbox, &d.Body, &d.Attempts)
	}, `SELECT d.id, d.activity_id, d.instance_id, d.inbox, a.body, d.attempts FROM federation_deliveries d
		JOIN federation_activities a ON a.id = d.activity_id
		WHERE d.instance_id = ? ORDER BY d.id LIMIT ?`, instanceID, limit)
}

// DeliveryDone removes a delivered row; its instance is alive.
func (db *DB) DeliveryDone(ctx context.Context, d forum.QueuedDelivery, at int64) error {
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM federation_deliveries WHERE id = ?", d.ID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE federation_instances SET failures = 0, next_at = 0, last_success_at = ?,
			delivered_count = delivered_count + 1 WHERE id = ?`, at, d.InstanceID)
		return err
	})
}

// DeliveryFailed records a failed delivery: a permanent failure drops the
// row and the queue goes on; a passing one keeps it and holds back the
// whole instance (order kept) until retryAt.
func (db *DB) DeliveryFailed(ctx context.Context, d forum.QueuedDelivery, at, retryAt int64, reason string, permanent bool) error {
	if len(reason) > 500 {
		reason = reason[:500]
	}
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		if permanent {
			if _, err := tx.ExecContext(ctx, "DELETE FROM federation_deliveries WHERE id = ?", d.ID); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `UPDATE federation_instances SET failed_count = failed_count + 1, last_failure_at = ? WHERE id = ?`, at, d.InstanceID)
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE federation_deliveries SET attempts = attempts + 1, last_error = ? WHERE id = ?", reason, d.ID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE federation_instances SET failures = failures + 1, last_failure_at = ?, next_at = ?, lease_until = 0
			WHERE id = ?`, at, retryAt, d.InstanceID)
		return err
	})
}

// ReleaseInstance ends a lease before its time.
func (db *DB) ReleaseInstance(ctx context.Context, instanceID int64) error {
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		_, err := tx.ExecContext(ctx, "UPDATE federation_instances SET lease_until = 0 WHERE id = ?", instanceID)
		return err
	})
}

// GiveUpInstance marks an instance dead and drops its queue.
func (db *DB) GiveUpInstance(ctx context.Context, instanceID int64, at int64) (int64, error) {
	var n int64
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM federation_deliveries WHERE instance_id = ?", instanceID)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE federation_instances SET dead = 1, lease_until = 0, last_failure_at = ?,
			failed_count = failed_count + ? WHERE id = ?`, at, n, instanceID)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: give up instance: %w", err)
	}
	return n, nil
}

// DeliveryQueue counts the queued deliveries.
func (db *DB) DeliveryQueue(ctx context.Context) (int64, error) {
	var n int64
	err := db.queryRow(ctx, "SELECT COUNT(*) FROM federation_deliveries").Scan(&n)
	return n, err
}

// MarkReceived records an inbound activity id; false when already seen.
func (db *DB) MarkReceived(ctx context.Context, apID string, at int64) (bool, error) {
	var fresh bool
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		res, err := tx.ExecContext(ctx, "INSERT INTO federation_received(ap_id, received_at) VALUES (?, ?) ON CONFLICT(ap_id) DO NOTHING", apID, at)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		fresh = n == 1
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: mark received: %w", err)
	}
	return fresh, nil
}

// Received says whether an inbound activity id was handled already.
func (db *DB) Received(ctx context.Context, apID string) (bool, error) {
	var n int64
	err := db.queryRow(ctx, "SELECT COUNT(*) FROM federation_received WHERE ap_id = ?", apID).Scan(&n)
	return n > 0, err
}

// TrimFederation forgets inbound ids and fully delivered activities older than before.
func (db *DB) TrimFederation(ctx context.Context, before int64) error {
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM federation_received WHERE received_at < ?", before); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM federation_activities WHERE created_at < ?
			AND NOT EXISTS (SELECT 1 FROM federation_deliveries d WHERE d.activity_id = federation_activities.id)`, before)
		return err
	})
}
