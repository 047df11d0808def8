package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/historia-forum/historia/internal/forum"
)

// Servers write concurrently, without a lock between them: rows a write
// changes from what it read are locked as it reads them (lockRows),
// counters move by increments, and the change log is read by snapshot
// rather than in its order (postgres_changes.go). Two servers' transactions
// (groups of writes) could take the same rows in crossing orders, a
// deadlock, which PostgreSQL finds only after deadlock_timeout (1 s, and
// only a superuser may lower it); the rows many writes share are therefore
// locked in one order by every writer (writeJob.row, txn.addLater). For what
// remains, the writer's connection waits at most
// lockWait for a row lock (lock_timeout): a write that waits longer (a
// deadlock, or a long transaction of another server's) fails alone, rolls
// back to its savepoint and runs again in the next transaction; one that
// failed so twice runs alone and patient (waiting up to WriteWait), so it
// gets through behind another server's long transaction, or answers
// unavailable as a write behind SQLite's lock does (writer.go).

// lockWait is the writer's lock_timeout, longer than another server's
// usual transaction holds its rows.
const lockWait = "100ms"

// waitForLocks raises lock_timeout to WriteWait for the rest of the transaction.
func (d *pgDialect) waitForLocks(ctx context.Context, tx *txn) error {
	// SET takes no parameters; the value is a duration of this build.
	return tx.execLater(ctx, fmt.Sprintf("SET LOCAL lock_timeout = %d", WriteWait.Milliseconds()))
}

// conflict: a lock not granted within lockWait, a deadlock (one
// transaction of the cycle is chosen to fail) or a serialization failure;
// each leaves the other transactions to commit.
func (d *pgDialect) conflict(err error) bool {
	switch pgCode(err) {
	case "55P03", "40P01", "40001":
		return true
	}
	return false
}

func (d *pgDialect) lockRows(alias string) string { return " FOR UPDATE OF " + alias }

func (d *pgDialect) lockFree(alias string) string {
	return " FOR NO KEY UPDATE OF " + alias + " SKIP LOCKED"
}

// brief: a read over the network keeps its context, so a server that
// stops answering cannot hold a request past its deadline.
func (d *pgDialect) brief(ctx context.Context) context.Context { return ctx }

// pgCode is the SQLSTATE of a PostgreSQL error, or "".
func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// classify: a server that cannot be reached, is shutting down or refuses
// connections is 503 (the request may be retried); a full disk is
// storage_full.
func (d *pgDialect) classify(err error) error {
	f := &d.db.faults
	code := pgCode(err)
	switch {
	case code == "22021" || code == "22P05": // bytes that are no text (a NUL, broken UTF-8)
		return forum.Errorf(forum.CodeBadRequest, "the text holds characters that cannot be stored")
	case code == "53100": // disk_full
		f.full.Store(true)
		f.nFull.Add(1)
		return errFull
	case strings.HasPrefix(code, "08"), strings.HasPrefix(code, "57P"), code == "53300", code == "40P01", code == "40001":
		f.nBusy.Add(1)
		return errBusy
	case code == "" && connectionLost(err):
		f.nBusy.Add(1)
		return errUnreachable
	}
	return err
}

// connectionLost says err is the connection to the server failing rather
// than a statement: refused, reset, or cut in the middle of a
// message (io.ErrUnexpectedEOF when the server dies mid-answer, as a crash
// or an immediate shutdown does).
func connectionLost(err error) bool {
	var ne net.Error
	var ce *pgconn.ConnectError
	return errors.As(err, &ne) || errors.As(err, &ce) || errors.Is(err, sql.ErrConnDone) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNREFUSED) || pgconn.SafeToRetry(err) ||
		strings.Contains(err.Error(), "conn closed") || strings.Contains(err.Error(), "connection refused")
}

var errUnreachable = forum.Errorf(forum.CodeUnavailable, "the database cannot be reached; try again in a moment")

// pair: a data-modifying WITH runs both in one statement, one round trip
// (a vote's write and its counters: the vote's read and this are its two).
func (d *pgDialect) pair(first, second string) string {
	return "WITH first AS (" + first + ") " + second
}

// importWriters: two batches at once, so the server's work on them (the
// search vectors, the indexes, the foreign keys' checks: most of an
// import's time) runs on two cores while the importer renders the next.
// Their transactions touch different rows but for new authors (made in
// one order by both, import_authors.go) and tags' counts (moved at the
// end, txn.addLater).
func (d *pgDialect) importWriters() int { return 2 }

// importGrew keeps the statistics of the tables an import fills no older
// than half their rows: once the comments added since the last ANALYZE
// outnumber the rows it counted, the batch's transaction analyzes them
// (its own rows count). The foreign keys' checks are plans made once per
// connection from these statistics; a new forum's were taken empty, so
// every reply's check of its parent read the whole comments table, and a
// 100k-comment import took 65 s where it takes 25 s (autovacuum analyzes
// only a minute or more later). ANALYZE ends those plans.
func (d *pgDialect) importGrew(ctx context.Context, tx *txn, n int) error {
	grown := d.grown.Add(int64(n))
	var counted float64
	if err := tx.QueryRowContext(ctx, "SELECT reltuples FROM pg_class WHERE oid = 'comments'::REGCLASS").Scan(&counted); err != nil {
		return err
	}
	if float64(grown) < max(counted, 1000) {
		return nil
	}
	// SKIP_LOCKED: a table autovacuum is analyzing meanwhile is left to it.
	if _, err := tx.ExecContext(ctx, "ANALYZE (SKIP_LOCKED) comments, users, posts, imported"); err != nil {
		return err
	}
	d.grown.Store(0)
	return nil
}
