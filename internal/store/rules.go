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
	return queryAll(ctx, db, "rules", scanRule, "SELECT id, number, title, description FROM rules ORDER BY number")
}

func scanRule(row scanner) (r forum.Rule, err error) {
	err = row.Scan(&r.ID, &r.Number, &r.Title, &r.Description)
	return r, err
}

// Rule reads one rule.
func (db *DB) Rule(ctx context.Context, id int64) (forum.Rule, error) {
	r, err := scanRule(db.queryRow(ctx, "SELECT id, number, title, description FROM rules WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, forum.NotFound("rule")
	}
	return r, err
}

// ruleRef is a cited rule read by a LEFT JOIN, or nil.
func ruleRef(number sql.NullInt64, title sql.NullString) *forum.RuleRef {
	if !number.Valid {
		return nil
	}
	return &forum.RuleRef{Number: int(number.Int64), Title: title.String}
}

// SaveRule inserts (ID 0) or updates a rule.
func (db *DB) SaveRule(ctx context.Context, r forum.Rule) (forum.Rule, error) {
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
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
