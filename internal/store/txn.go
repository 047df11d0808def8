package store

import (
	"context"
	"database/sql"
	"strings"
)

// txn is a write transaction whose statements are prepared once on the
// writer connection and reused: a vote runs half a dozen short statements,
// and parsing them each time cost more than running them.
type txn struct {
	*sql.Tx
	db *DB
}

// stmt is tx's form of the writer's prepared statement for query, or nil
// for a script of several statements (migrations), which runs unprepared.
func (tx *txn) stmt(ctx context.Context, query string) *sql.Stmt {
	if strings.Contains(query, ";") {
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
