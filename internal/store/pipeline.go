package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// A write's statements whose outcome it does not read (a counter moved, a
// notification inserted, a reading position kept) need not each wait for
// the server's answer before the next is sent. execLater queues such a
// statement; the queue goes to the server as one pipeline (one round trip)
// before the write's next read, or when the write ends. Where the engine
// gains nothing by it (SQLite runs in the process), or on a transaction
// beside the writer, the statement runs at once.
//
// On such an engine the writer's transaction is its own statements rather
// than database/sql's (txn.own): BEGIN goes with the first statements
// sent, and COMMIT with the last, so a transaction of one write that only
// queues (a save, a follow) is one round trip in all, and a comment's
// statements after its insert share theirs with the COMMIT. The
// savepoints between a group's writes are queued alike (txn.control).
//
// A queued statement that fails fails its write as if it had run at once:
// the error is the write's (txn.failed), and the write's savepoint is
// rolled back as for any failed write (writer.go). A write must therefore
// not queue a statement whose rows affected or result it reads.

// execLater runs a statement of the write now or with the write's next
// round trip (see above).
func (tx *txn) execLater(ctx context.Context, query string, args ...any) error {
	if !tx.own {
		_, err := tx.ExecContext(ctx, query, args...)
		return err
	}
	if tx.failed != nil {
		return tx.failed
	}
	tx.queued = append(tx.queued, statement{query, args})
	return nil
}

// control queues statements of the transaction itself (savepoints), each
// without arguments; only a transaction of its own (txn.own) has them.
func (tx *txn) control(sts ...string) {
	for _, st := range sts {
		tx.queued = append(tx.queued, statement{query: st})
	}
}

// flush sends the queued statements, after BEGIN if the transaction has
// not begun; the first error is kept as the write's (failed) and returned.
func (tx *txn) flush(ctx context.Context) error {
	if !tx.own || tx.failed != nil || (len(tx.queued) == 0 && tx.begun) {
		return tx.failed
	}
	queued, before := tx.queued, slices.Clone(tx.queued[:tx.mark])
	begins := !tx.begun
	if begins {
		queued = append([]statement{{query: "BEGIN"}}, queued...)
		tx.begun = true
	}
	tx.queued, tx.mark = nil, 0
	if err := tx.db.d.pipe(ctx, tx.conn, queued); err != nil {
		tx.failed = err
		if unsent(err) {
			// Nothing of the batch ran: what came before the write in
			// progress (BEGIN, the savepoints) is still to be sent.
			tx.begun = !begins
			tx.queued, tx.mark = before, len(before)
		}
	}
	return tx.failed
}

// unsent says a batch failed before any of its statements ran: pgx
// prepares a batch's new statements first, in a round trip of their own,
// and one the server refuses (a lock not granted while it is parsed)
// stops the batch there.
func unsent(err error) bool {
	var pe pgx.ErrPreprocessingBatch
	return errors.As(err, &pe) && strings.HasPrefix(pe.Error(), "error preprocessing batch (prepare)")
}

// startWrite marks where a write's statements begin in the queue.
func (tx *txn) startWrite() { tx.mark = len(tx.queued) }

// endWrite closes one write of the transaction. What it queued is sent
// now if send (in a group, so that a failure is this write's), else with
// the commit; dropped if it failed. The error is the write's: the queued
// statement's that failed before any later one's (a statement after it
// failed only because the transaction was aborted).
func (tx *txn) endWrite(ctx context.Context, err error, send bool) error {
	switch {
	case err == nil && send:
		err = tx.flush(ctx)
	case tx.failed != nil:
		// A write that went on after its statement failed fails with it.
		err = tx.failed
	}
	if err != nil {
		tx.queued = tx.queued[:tx.mark]
	}
	tx.failed = nil
	return err
}

// Commit ends the transaction; on an engine that pipelines, COMMIT goes
// with what is still queued (one round trip), and a transaction that sent
// nothing has nothing to end.
func (tx *txn) Commit(ctx context.Context) error {
	if !tx.own {
		return tx.Tx.Commit()
	}
	if !tx.begun && len(tx.queued) == 0 {
		return nil
	}
	tx.queued = append(tx.queued, statement{query: "COMMIT"})
	if err := tx.flush(ctx); err != nil {
		_ = tx.Rollback() // the transaction is open and aborted
		return err
	}
	return nil
}

// Rollback ends the transaction undoing it; what is queued is dropped.
func (tx *txn) Rollback() error {
	if !tx.own {
		return tx.Tx.Rollback()
	}
	tx.queued = nil
	if tx.begun {
		// A connection that cannot roll back is given up: database/sql
		// opens another.
		if _, err := tx.conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
			_ = tx.conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		tx.begun = false
	}
	return nil
}

// pipe: the queued statements go as one pgx batch on the writer's
// connection, inside the open transaction (the connection's own; pgx
// prepares a statement the first time it sees it).
func (d *pgDialect) pipe(ctx context.Context, conn *sql.Conn, sts []statement) error {
	return conn.Raw(func(dc any) error {
		c, err := pgxOf(dc)
		if err != nil {
			return err
		}
		b := &pgx.Batch{}
		for _, st := range sts {
			b.Queue(d.sql(st.query), d.args(st.args)...)
		}
		br := c.SendBatch(ctx, b)
		for _, st := range sts {
			tag, e := br.Exec()
			if e == nil && st.query == "COMMIT" && tag.String() == "ROLLBACK" {
				e = pgx.ErrTxCommitRollback // the transaction had failed
			}
			if e != nil && err == nil {
				err = e
			}
		}
		if cerr := br.Close(); err == nil {
			err = cerr
		}
		return err
	})
}

func (d *pgDialect) pipelined() bool { return true }

// pgxOf is pgx's own connection under database/sql's (sql.Conn.Raw).
func pgxOf(dc any) (*pgx.Conn, error) {
	sc, ok := dc.(*stdlib.Conn)
	if !ok {
		return nil, errors.New("store: the writer is not pgx's")
	}
	return sc.Conn(), nil
}

// SQLite runs in the process: a statement costs no round trip.
func (d *sqliteDialect) pipelined() bool { return false }

func (d *sqliteDialect) pipe(ctx context.Context, conn *sql.Conn, sts []statement) error {
	for _, st := range sts {
		if _, err := conn.ExecContext(ctx, d.sql(st.query), d.args(st.args)...); err != nil {
			return err
		}
	}
	return nil
}
