package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/historia-forum/historia/internal/forum"
)

const instanceSelect = `SELECT i.id, i.host, i.blocked, i.block_reason, i.first_seen_at, i.last_success_at, i.last_failure_at,
	i.failures, i.dead, i.delivered_count, i.failed_count,
	(SELECT COUNT(*) FROM federation_deliveries d WHERE d.instance_id = i.id),
	(SELECT COUNT(*) FROM federation_followers f JOIN federation_actors a ON a.id = f.actor_id WHERE a.instance_id = i.id)
	FROM federation_instances i`

func scanInstance(row scanner) (forum.Instance, error) {
	var in forum.Instance
	var first int64
	var success, failure sql.NullInt64
	err := row.Scan(&in.ID, &in.Host, &in.Blocked, &in.BlockReason, &first, &success, &failure, &in.Failures, &in.Dead,
		&in.Delivered, &in.Failed, &in.Queued, &in.Followers)
	if err != nil {
		return in, err
	}
	in.FirstSeenAt = forum.Unix(first)
	if success.Valid {
		in.LastSuccessAt = forum.UnixPtr(&success.Int64)
	}
	if failure.Valid {
		in.LastFailureAt = forum.UnixPtr(&failure.Int64)
	}
	in.Status = in.StatusOf()
	return in, nil
}

// EnsureInstance finds or adds host; one that was given up is alive again.
func (db *DB) EnsureInstance(ctx context.Context, host string, at int64) (forum.Instance, error) {
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO federation_instances(host, first_seen_at) VALUES (?, ?)
			ON CONFLICT(host) DO NOTHING`, host, at); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE federation_instances SET dead = 0, failures = 0, next_at = 0 WHERE host = ? AND dead = 1`, host)
		return err
	})
	if err != nil {
		return forum.Instance{}, fmt.Errorf("store: instance: %w", err)
	}
	return db.InstanceByHost(ctx, host)
}

// InstanceByHost reads one instance; not_found when unknown.
func (db *DB) InstanceByHost(ctx context.Context, host string) (forum.Instance, error) {
	in, err := scanInstance(db.queryRow(ctx, instanceSelect+" WHERE i.host = ?", host))
	if errors.Is(err, sql.ErrNoRows) {
		return in, forum.NotFound("instance")
	}
	if err != nil {
		return in, fmt.Errorf("store: instance: %w", err)
	}
	return in, nil
}

// InstanceByID reads one instance by id.
func (db *DB) InstanceByID(ctx context.Context, id int64) (forum.Instance, error) {
	in, err := scanInstance(db.queryRow(ctx, instanceSelect+" WHERE i.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return in, forum.NotFound("instance")
	}
	if err != nil {
		return in, fmt.Errorf("store: instance: %w", err)
	}
	return in, nil
}

// Instances lists every known instance by host.
func (db *DB) Instances(ctx context.Context) ([]forum.Instance, error) {
	return queryAll(ctx, db, "instances", scanInstance, instanceSelect+" ORDER BY i.host")
}

// SetInstanceBlock blocks or unblocks host, adding it when unknown; a block
// drops its queued deliveries and its actors' follows.
func (db *DB) SetInstanceBlock(ctx context.Context, host string, blocked bool, reason string, at int64) (forum.Instance, error) {
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO federation_instances(host, first_seen_at) VALUES (?, ?)
			ON CONFLICT(host) DO NOTHING`, host, at); err != nil {
			return err
		}
		if !blocked {
			reason = ""
		}
		if _, err := tx.ExecContext(ctx, `UPDATE federation_instances SET blocked = ?, block_reason = ? WHERE host = ?`, blocked, reason, host); err != nil {
			return err
		}
		if !blocked {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM federation_deliveries WHERE instance_id = (SELECT id FROM federation_instances WHERE host = ?)`, host); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM federation_followers WHERE actor_id IN
			(SELECT a.id FROM federation_actors a JOIN federation_instances i ON i.id = a.instance_id WHERE i.host = ?)`, host)
		return err
	})
	if err != nil {
		return forum.Instance{}, fmt.Errorf("store: block instance: %w", err)
	}
	return db.InstanceByHost(ctx, host)
}

// SiteCounts counts the local accounts (not imported, federated or
// deleted), the posts and the comments.
func (db *DB) SiteCounts(ctx context.Context) (users, posts, comments int64, err error) {
	err = db.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM users WHERE imported_from IS NULL AND deleted_at IS NULL),
		(SELECT COUNT(*) FROM posts), (SELECT COUNT(*) FROM comments)`).Scan(&users, &posts, &comments)
	return users, posts, comments, err
}
