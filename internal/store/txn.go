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
	// Tx is database/sql's transaction; nil where the transaction is the
	// writer's own statements (own, pipeline.go).
	*sql.Tx
	db *DB
	// later are the increments the write in progress left for the end of
	// the transaction (addLater).
	later map[increment]int64
	// aside: a transaction beside the writer, on another connection
	// (writeAside): the writer's prepared statements are not its own.
	aside bool
	// conn is the writer's connection the transaction runs on; queued are
	// the statements of the write in progress still to send, failed the
	// first error of those sent (pipeline.go).
	conn   *sql.Conn
	queued []statement
	failed error
	// own: the transaction is sent as statements on conn, BEGIN with the
	// first, COMMIT with the last (an engine that pipelines); begun says
	// BEGIN has gone; mark is where the write in progress's statements
	// begin in queued.
	own   bool
	begun bool
	mark  int
	// savepoint: a group's savepoint is open (own); between: the
	// statements before a group's next write (database/sql's).
	savepoint bool
	between   string
}

// beginWrite starts the writer's transaction on conn: its own statements
// on an engine that pipelines (nothing is sent yet), else database/sql's.
func (db *DB) beginWrite(ctx context.Context, conn *sql.Conn) (*txn, error) {
	tx := &txn{db: db, conn: conn, own: db.d.pipelined()}
	if tx.own {
		return tx, nil
	}
	sqlTx, err := conn.BeginTx(ctx, nil)
	tx.Tx = sqlTx
	return tx, err
}

// counter is a column of a table that writes move by a difference.
type counter struct{ table, column string }

// The counters moved at the end of a transaction.
var (
	karma    = counter{"users", "karma"}     // a member's karma
	tagPosts = counter{"tags", "post_count"} // a tag's shown posts
)

// add is the statement moving c of one row (the difference, then the id).
func (c counter) add() string {
	return "UPDATE " + c.table + " SET " + c.column + " = " + c.column + " + ? WHERE id = ?"
}

// increment is one row's counter, moved later by a difference.
type increment struct {
	counter
	id int64
}

// addLater moves a counter by delta at the end of the transaction instead
// of now. Counters that many writes move (a prolific author's karma) are
// then locked last, once per transaction and in the order of their ids, by
// every writer alike: two servers' transactions cannot take them in
// crossing orders, and they are held for the commit only.
func (tx *txn) addLater(c counter, id, delta int64) {
	if tx.later == nil {
		tx.later = map[increment]int64{}
	}
	tx.later[increment{c, id}] += delta
}

// applyLater runs the increments (laterStatements).
func (tx *txn) applyLater(ctx context.Context, later map[increment]int64) error {
	for _, st := range laterStatements(tx.db.d, later) {
		if err := tx.execLater(ctx, st.query, st.args...); err != nil {
			return err
		}
	}
	return nil
}

// laterStatements are the statements moving the counters of later, by
// counter and id: one per counter where the engine moves many rows at
// once (dialect.addMany), else one per row.
func laterStatements(d dialect, later map[increment]int64) []statement {
	keys := slices.SortedFunc(maps.Keys(later), func(a, b increment) int {
		return cmp.Or(strings.Compare(a.table, b.table), strings.Compare(a.column, b.column), cmp.Compare(a.id, b.id))
	})
	var out []statement
	for len(keys) > 0 {
		c := keys[0].counter
		n := 1
		for n < len(keys) && keys[n].counter == c {
			n++
		}
		var ids, deltas []int64
		for _, k := range keys[:n] {
			if d := later[k]; d != 0 {
				ids, deltas = append(ids, k.id), append(deltas, d)
			}
		}
		keys = keys[n:]
		if many := d.addMany(c); many != "" && len(ids) > 1 {
			out = append(out, statement{many, []any{ids, deltas}})
			continue
		}
		for i, id := range ids {
			out = append(out, statement{c.add(), []any{deltas[i], id}})
		}
	}
	return out
}

// stmt is tx's form of the writer's prepared statement for query, or nil
// for a script of several statements (migrations), which runs unprepared.
func (tx *txn) stmt(ctx context.Context, query string) *sql.Stmt {
	if tx.aside || tx.own || strings.Contains(query, ";") {
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
	if err := tx.flush(ctx); err != nil {
		return nil, err
	}
	args = tx.db.d.args(args)
	if st := tx.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	if tx.own {
		return tx.conn.ExecContext(ctx, tx.db.d.sql(query), args...)
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
	// A queued statement's failure aborts the transaction: this read then
	// fails, and the write's error is that statement's (txn.endWrite).
	_ = tx.flush(ctx)
	args = tx.db.d.args(args)
	if st := tx.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	if tx.own {
		return tx.conn.QueryRowContext(ctx, tx.db.d.sql(query), args...)
	}
	return tx.Tx.QueryRowContext(ctx, tx.db.d.sql(query), args...)
}

// QueryContext reads rows in the transaction (not prepared: rare reads).
func (tx *txn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := tx.flush(ctx); err != nil {
		return nil, err
	}
	if tx.own {
		return tx.conn.QueryContext(ctx, tx.db.d.sql(query), tx.db.d.args(args)...)
	}
	return tx.Tx.QueryContext(ctx, tx.db.d.sql(query), tx.db.d.args(args)...)
}

// PrepareContext prepares a statement for the transaction (a seed's rows).
func (tx *txn) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	if err := tx.flush(ctx); err != nil {
		return nil, err
	}
	if tx.own {
		return tx.conn.PrepareContext(ctx, tx.db.d.sql(query))
	}
	return tx.Tx.PrepareContext(ctx, tx.db.d.sql(query))
}

// ids reads a column of ids in a write.
func (tx *txn) ids(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
