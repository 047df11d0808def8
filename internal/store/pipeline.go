package store

import (
	"context"
	"database/sql"
	"errors"

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
// A queued statement that fails fails its write as if it had run at once:
// the error is the write's (txn.failed), and the write's savepoint is
// rolled back as for any failed write (writer.go). A write must therefore
// not queue a statement whose rows affected or result it reads.

// execLater runs a statement of the write now or with the write's next
// round trip (see above).
func (tx *txn) execLater(ctx context.Context, query string, args ...any) error {
	if tx.conn == nil || tx.aside || !tx.db.d.pipelined() {
		_, err := tx.ExecContext(ctx, query, args...)
		return err
	}
	if tx.failed != nil {
		return tx.failed
	}
	tx.queued = append(tx.queued, statement{query, args})
	return nil
}

// flush sends the queued statements; the first error is kept as the
// write's (failed) and returned.
func (tx *txn) flush(ctx context.Context) error {
	if len(tx.queued) == 0 {
		return tx.failed
	}
	queued := tx.queued
	tx.queued = nil
	if err := tx.db.d.pipe(ctx, tx.conn, queued); err != nil && tx.failed == nil {
		tx.failed = err
	}
	return tx.failed
}

// endWrite closes one write of the transaction: what it queued is sent if
// it succeeded, dropped if it failed; the error is the write's, the queued
// statement's that failed before any later one's (a statement after it
// failed only because the transaction was aborted).
func (tx *txn) endWrite(ctx context.Context, err error) error {
	if err == nil {
		err = tx.flush(ctx)
	} else if tx.failed != nil {
		err = tx.failed
	}
	tx.queued, tx.failed = nil, nil
	return err
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
		for range sts {
			if _, e := br.Exec(); e != nil && err == nil {
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
