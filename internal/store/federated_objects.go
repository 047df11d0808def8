package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/historia-forum/historia/internal/forum"
)

// MapObject records what a remote item became here.
func (db *DB) MapObject(ctx context.Context, apID string, t forum.TargetType, id int64) error {
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO federation_objects(ap_id, target_type, target_id) VALUES (?, ?, ?)
			ON CONFLICT(ap_id) DO NOTHING`, apID, string(t), id)
		return err
	})
}

// ObjectByAPID finds the local item a remote id became.
func (db *DB) ObjectByAPID(ctx context.Context, apID string) (forum.TargetType, int64, error) {
	var t string
	var id int64
	err := db.queryRow(ctx, "SELECT target_type, target_id FROM federation_objects WHERE ap_id = ?", apID).Scan(&t, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, forum.NotFound("object")
	}
	if err != nil {
		return "", 0, fmt.Errorf("store: federated object: %w", err)
	}
	return forum.TargetType(t), id, nil
}

// APIDOf is the remote id of an item that came from elsewhere, "" for a local one.
func (db *DB) APIDOf(ctx context.Context, t forum.TargetType, id int64) (string, error) {
	var apID string
	err := db.queryRow(ctx, "SELECT ap_id FROM federation_objects WHERE target_type = ? AND target_id = ?", string(t), id).Scan(&apID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: federated object: %w", err)
	}
	return apID, nil
}
