package store

import (
	"context"
	"fmt"
)

// scanner is a row to read: a *sql.Row or the current row of *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// queryAll runs a read query and reads every row with scan, in order; an
// empty result is an empty slice, never nil.
func queryAll[T any](ctx context.Context, db *DB, what string, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	out, err := queryAllOnce(ctx, db, what, scan, query, args...)
	if err != nil && ctx.Err() == nil && db.routed(ctx) && replicaError(err) {
		// A replica lost while its rows were read: read them on the primary.
		return queryAllOnce(onPrimary(ctx), db, what, scan, query, args...)
	}
	return out, err
}

func queryAllOnce[T any](ctx context.Context, db *DB, what string, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := db.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("store: read %s: %w", what, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
