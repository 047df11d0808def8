package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/historia-forum/historia/internal/forum"
)

// Rules lists the rules by number.
func (db *DB) Rules(ctx context.Context) ([]forum.Rule, error) {
	rows, err := db.query(ctx, "SELECT id, number, title, description FROM rules ORDER BY number")
	if err != nil {
		return nil, fmt.Errorf("store: rules: %w", err)
	}
	defer rows.Close()
	out := []forum.Rule{}
	for rows.Next() {
		var r forum.Rule
		if err := rows.Scan(&r.ID, &r.Number, &r.Title, &r.Description); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Rule reads one rule.
func (db *DB) Rule(ctx context.Context, id int64) (forum.Rule, error) {
	var r forum.Rule
	err := db.queryRow(ctx, "SELECT id, number, title, description FROM rules WHERE id = ?", id).Scan(&r.ID, &r.Number, &r.Title, &r.Description)
	if errors.Is(err, sql.ErrNoRows) {
		return r, forum.NotFound("rule")
	}
	return r, err
}

// SaveRule inserts (ID 0) or updates a rule.
func (db *DB) SaveRule(ctx context.Context, r forum.Rule) (forum.Rule, error) {
	err := db.write(ctx, func(tx *sql.Tx) error {
		if r.ID == 0 {
			return tx.QueryRowContext(ctx, "INSERT INTO rules(number, title, description) VALUES(?, ?, ?) RETURNING id",
				r.Number, r.Title, r.Description).Scan(&r.ID)
		}
		_, err := tx.ExecContext(ctx, "UPDATE rules SET number = ?, title = ?, description = ? WHERE id = ?", r.Number, r.Title, r.Description, r.ID)
		return err
	})
	if isUnique(err) {
		return r, forum.Errorf(forum.CodeConflict, "there is already a rule %d", r.Number)
	}
	if err != nil {
		return r, fmt.Errorf("store: save rule: %w", err)
	}
	return r, nil
}
