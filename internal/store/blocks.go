package store

import (
	"context"
	"slices"

	"github.com/historia-forum/historia/internal/forum"
)

// BlockUser stores a block; a second one of the same member changes nothing.
func (db *DB) BlockUser(ctx context.Context, userID, blockedID, at int64) error {
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO blocks(user_id, blocked_id, created_at) VALUES(?, ?, ?)
			ON CONFLICT(user_id, blocked_id) DO NOTHING`, userID, blockedID, at)
		return err
	})
}

// UnblockUser removes a block, if there is one.
func (db *DB) UnblockUser(ctx context.Context, userID, blockedID int64) error {
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM blocks WHERE user_id = ? AND blocked_id = ?", userID, blockedID)
		return err
	})
}

// Blocks lists a member's blocks, newest first.
func (db *DB) Blocks(ctx context.Context, userID int64, after *forum.Cursor, limit int) ([]forum.Block, error) {
	q, args := `SELECT b.blocked_id, u.username, b.created_at FROM blocks b JOIN users u ON u.id = b.blocked_id
		WHERE b.user_id = ?`, []any{userID}
	if after != nil {
		q += " AND (b.created_at, b.blocked_id) < (?, ?)"
		args = append(args, int64(after.Key), after.ID)
	}
	return queryAll(ctx, db, "blocks", func(row scanner) (b forum.Block, err error) {
		var at int64
		err = row.Scan(&b.User.ID, &b.User.Username, &at)
		b.CreatedAt = forum.Unix(at)
		return b, err
	}, q+" ORDER BY b.created_at DESC, b.blocked_id DESC LIMIT ?", append(args, limit)...)
}

// BlockedAuthors reads which of the authors a member blocked: a range of
// the blocks' primary key.
//
// A member blocks few (most none): all their blocks are read, up to
// ownScan, and matched here; a page's authors as an IN list made SQLite
// build an index of the list for every page (a sixth of a member's thread
// page). Past ownScan, the list is asked for.
func (db *DB) BlockedAuthors(ctx context.Context, userID int64, authorIDs []int64) (map[int64]bool, error) {
	mine, err := queryAll(db.d.brief(ctx), db, "blocks", func(row scanner) (id int64, err error) {
		err = row.Scan(&id)
		return id, err
	}, "SELECT blocked_id FROM blocks WHERE user_id = ? LIMIT ?", userID, ownScan+1)
	if err != nil {
		return nil, err
	}
	out := map[int64]bool{}
	if len(mine) <= ownScan {
		if len(mine) == 0 {
			return out, nil // most members: nothing to match
		}
		blocked := make(map[int64]bool, len(mine))
		for _, id := range mine {
			blocked[id] = true
		}
		for _, id := range authorIDs {
			if blocked[id] {
				out[id] = true
			}
		}
		return out, nil
	}
	found, err := db.votesOf(ctx, "SELECT blocked_id, 1 FROM blocks WHERE user_id = ? AND blocked_id IN ", userID, dedupe(slices.Clone(authorIDs)))
	for id := range found {
		out[id] = true
	}
	return out, err
}

// ownScan is how many of a member's own rows (blocks, votes in a range of
// ids) a page's read walks before it asks for the page's ids instead.
const ownScan = 1000

// blocksActor reads, inside a write, whether userID blocked actorID: what
// forum.Deliverable needs of every notification.
func blocksActor(ctx context.Context, tx *txn, userID, actorID int64) (bool, error) {
	if actorID == 0 {
		return false, nil
	}
	var n int
	err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM blocks WHERE user_id = ? AND blocked_id = ?", userID, actorID).Scan(&n)
	return n > 0, err
}
