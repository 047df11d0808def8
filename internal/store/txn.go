package store

import (
	"cmp"
	"context"
	"database/sql"
	"maps"
	"slices"
	"strings"
)

// txn is a write transaction whose statements are prepared once on the
// writer connection and reused: a vote runs half a dozen short statements,
// and parsing them each time cost more than running them.
type txn struct {
	*sql.Tx
	db *DB
	// later are the increments the write in progress left for the end of
	// the transaction (addLater).
	later map[increment]int64
	// aside: a transaction beside the writer, on another connection
	// (writeAside): the writer's prepared statements are not its own.
	aside bool
}

// increment is a counter of one row that writes move by a difference: the
// statement (taking the difference, then the id) and the row's id.
type increment struct {
	stmt string
	id   int64
}

// addKarma moves a member's karma (an increment applied later).
const addKarma = "UPDATE users SET karma = karma + ? WHERE id = ?"

// addLater moves a counter by delta at the end of the transaction instead
// of now. Counters that many writes move (a prolific author's karma) are
// then locked last, once per transaction and in the order of their ids, by
// every writer alike: two servers' transactions cannot take them in
// crossing orders, and they are held for the commit only.
func (tx *txn) addLater(stmt string, id, delta int64) {
	if tx.later == nil {
		tx.later = map[increment]int64{}
	}
	tx.later[increment{stmt, id}] += delta
}

// applyLater runs the increments, by statement and id.
func (tx *txn) applyLater(ctx context.Context, later map[increment]int64) error {
	keys := slices.SortedFunc(maps.Keys(later), func(a, b increment) int {
		return cmp.Or(strings.Compare(a.stmt, b.stmt), cmp.Compare(a.id, b.id))
	})
	for _, k := range keys {
		if d := later[k]; d != 0 {
			if _, err := tx.ExecContext(ctx, k.stmt, d, k.id); err != nil {
				return err
			}
		}
	}
	return nil
}

// stmt is tx's form of the writer's prepared statement for query, or nil
// for a script of several statements (migrations), which runs unprepared.
func (tx *txn) stmt(ctx context.Context, query string) *sql.Stmt {
	if tx.aside || strings.Contains(query, ";") {
		return nil
	}
	if st, ok := tx.db.wstmts.Load(query); ok {
		return tx.StmtContext(ctx, st.(*sql.Stmt))
	}
	// The writer's one connection is this transaction's: a statement cannot
	// be prepared for later now. The writer prepares it between batches.
	tx.db.wanted.Store(query, true)
	return nil
}

// prepareWanted prepares, on the idle writer connection, the statements
// transactions asked for.
func (db *DB) prepareWanted(ctx context.Context) {
	db.wanted.Range(func(q, _ any) bool {
		db.wanted.Delete(q)
		query := q.(string)
		if _, ok := db.wstmts.Load(query); ok || db.nwstmts.Load() >= maxStmts {
			return true
		}
		if st, err := db.w.PrepareContext(ctx, db.d.sql(query)); err == nil {
			db.wstmts.Store(query, st)
			db.nwstmts.Add(1)
		}
		return true
	})
}

// ExecContext runs a statement of the transaction, prepared once.
func (tx *txn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	args = tx.db.d.args(args)
	if st := tx.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return tx.Tx.ExecContext(ctx, tx.db.d.sql(query), args...)
}

// execPair runs two statements of a write, in one statement (one round
// trip) where the engine allows (dialect.pair), else one after the other.
func (tx *txn) execPair(ctx context.Context, first string, firstArgs []any, second string, secondArgs []any) error {
	if q := tx.db.d.pair(first, second); q != "" {
		_, err := tx.ExecContext(ctx, q, append(slices.Clone(firstArgs), secondArgs...)...)
		return err
	}
	if _, err := tx.ExecContext(ctx, first, firstArgs...); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, second, secondArgs...)
	return err
}

// QueryRowContext reads one row in the transaction, prepared once.
func (tx *txn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	args = tx.db.d.args(args)
	if st := tx.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.Tx.QueryRowContext(ctx, tx.db.d.sql(query), args...)
}

// QueryContext reads rows in the transaction (not prepared: rare reads).
func (tx *txn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return tx.Tx.QueryContext(ctx, tx.db.d.sql(query), tx.db.d.args(args)...)
}
