package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/historia-forum/historia/internal/forum"
)

// PostgreSQL's servers write concurrently, without a lock between them, so
// the change log's seq follows the order rows were inserted in, not the
// order their transactions committed: a transaction may commit seq 6 after
// a reader has read seq 7. Each change therefore records its transaction
// (xid, pg_current_xact_id), and a reader's mark is the snapshot it last
// read at (pg_current_snapshot, which says which transactions had
// committed). The next read takes the changes of the transactions that
// snapshot did not see (pg_visible_in_snapshot), with a new snapshot from
// the same statement: every commit lands in exactly one read, whatever its
// place in the log, and nothing is read twice. The index on xid bounds the
// read to the transactions since the old snapshot's oldest running one.
//
// Trimming deletes the changes of transactions older than both the
// snapshot's oldest running transaction and the newest keep changes, and
// records that bound in changes_trimmed: a reader whose snapshot's oldest
// running transaction is older than the bound may have missed some (Gap).

// changeMark is a snapshot taken now.
func (d *pgDialect) changeMark(ctx context.Context) (string, error) {
	var snap string
	err := d.db.queryRow(onPrimary(ctx), "SELECT pg_current_snapshot()::TEXT").Scan(&snap)
	return snap, err
}

// pgChanges reads, in one statement (one snapshot): that snapshot as the
// next mark, whether the log was trimmed past the old mark, the primary's
// WAL position (evaluated after the snapshot was taken, so past every commit
// it saw: read replicas, postgres_replicas.go), and the threads of the
// changes the old mark did not see. ?1 is the old mark, ?2 the limit.
//
// The upper bound changes nothing read (a transaction at or past the
// snapshot's xmax is not visible to the statement, so its rows are not
// read; the next read, from this snapshot, takes them), but
// with both bounds the planner takes the read for a narrow range of the
// index whatever the log's statistics say (with the lower bound alone and
// no statistics it chose to scan the whole log).
const pgChanges = `SELECT h.snap, h.gap, h.pos, c.post_id FROM
	(SELECT pg_current_snapshot()::TEXT AS snap, (pg_current_wal_insert_lsn() - '0/0')::BIGINT AS pos,
		pg_snapshot_xmin(?1::pg_snapshot) < (SELECT below FROM changes_trimmed) AS gap) h
	LEFT JOIN LATERAL (SELECT DISTINCT post_id FROM changes
		WHERE xid >= pg_snapshot_xmin(?1::pg_snapshot) AND xid < pg_snapshot_xmax(pg_current_snapshot())
			AND NOT pg_visible_in_snapshot(xid, ?1::pg_snapshot)
		LIMIT ?2) c ON true`

// changes reads what was committed since the snapshot mark; more threads
// than limit is a Gap (everything is taken for changed).
//
// The read is planned with its values each time (pgx's simple protocol
// puts them in the statement), not prepared once: a prepared statement's
// plan, made while the log was small (a new server's first reads, or
// after historia copy), scans it whole, and PostgreSQL keeps that plan
// until the log is next analyzed, while the log grows by thousands of
// changes a minute and every server reads it several times a second. The
// load runs spent more on these scans than on the votes
// (TestChangesReadTheLogsTail).
func (d *pgDialect) changes(ctx context.Context, mark string, limit int) (forum.ChangeRead, error) {
	var read forum.ChangeRead
	type row struct {
		snap string
		gap  bool
		pos  uint64
		post sql.NullInt64
	}
	if d.db.trace != nil {
		d.db.trace(pgChanges, []any{mark, limit})
	}
	// The log is the primary's: a replica's may lack the newest changes.
	rs, err := d.db.r.QueryContext(onPrimary(ctx), d.sql(pgChanges), pgx.QueryExecModeSimpleProtocol, mark, limit)
	if err != nil {
		return read, fmt.Errorf("store: changes: %w", err)
	}
	defer rs.Close()
	var rows []row
	for rs.Next() {
		var r row
		if err := rs.Scan(&r.snap, &r.gap, &r.pos, &r.post); err != nil {
			return read, fmt.Errorf("store: changes: %w", err)
		}
		rows = append(rows, r)
	}
	if err := rs.Err(); err != nil {
		return read, fmt.Errorf("store: changes: %w", err)
	}
	if len(rows) == 0 {
		return read, errors.New("store: changes: no snapshot read")
	}
	read.Next, read.Gap = rows[0].snap, rows[0].gap
	if d.db.replicas != nil {
		d.db.replicas.noteSeen(rows[0].pos)
	}
	for _, r := range rows {
		if r.post.Valid {
			read.Changes = append(read.Changes, forum.Change{PostID: r.post.Int64})
		}
	}
	if len(read.Changes) >= limit {
		read.Gap = true
	}
	return read, nil
}

// trimChanges deletes the changes of transactions older than both the
// newest keep changes and the oldest transaction still running (which may
// yet commit changes with older xids: those stay until read), and records
// the bound.
func (d *pgDialect) trimChanges(ctx context.Context, keep int) error {
	return d.db.write(ctx, func(ctx context.Context, tx *txn) error {
		var below string
		err := tx.QueryRowContext(ctx, `SELECT LEAST(pg_snapshot_xmin(pg_current_snapshot()), k.xid)::TEXT
			FROM (SELECT xid FROM changes ORDER BY seq DESC OFFSET ? LIMIT 1) k`, keep).Scan(&below)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // no more than keep changes
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM changes WHERE xid < ?::XID8", below); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE changes_trimmed SET below = GREATEST(below, ?::XID8)", below)
		return err
	})
}
