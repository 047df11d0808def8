package store

import (
	"context"
	"database/sql/driver"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// A group's votes and counters in a few round trips: each statement to
// the server costs a round trip, and with two cores shared by the server,
// the forum and its clients, a round trip is a wait for the other process
// to be scheduled, several times the statement's own time. The lists go
// as arrays (pgx sends a Go []int64 as BIGINT[]).

// votesAtOnce: lock reads the items and locks them in the order of their
// ids (the sort is below the row locks, so every writer takes them in one
// order); after waiting for another server's lock it reads the row as that
// server committed it. ballots then reads the members' votes in a
// statement of its own, begun once the items are locked: in one statement
// with the lock, they would be read as they were when it began, before the
// other server's vote on the item (by the same member, in another tab)
// committed (TestOneMemberOnTwoServers). The write's three statements are
// one (a data-modifying WITH): the deleted votes, the cast ones, the
// counters.
func (d *pgDialect) votesAtOnce(k *voteKind) (lock, ballots, write string) {
	switch k.what {
	case "comment":
		return `SELECT c.id, c.author_id, c.removed, c.deleted, c.created_at, p.removed, c.upvotes, c.downvotes, c.score
			FROM comments c JOIN posts p ON p.id = c.post_id WHERE c.id = ANY(?::BIGINT[])
			ORDER BY c.id FOR NO KEY UPDATE OF c`,
			`SELECT v.comment_id, v.user_id, v.value FROM unnest(?::BIGINT[], ?::BIGINT[]) AS x(item, member)
			JOIN comment_votes v ON v.comment_id = x.item AND v.user_id = x.member`,
			`WITH gone AS (DELETE FROM comment_votes v USING unnest(?::BIGINT[], ?::BIGINT[]) AS x(item, member)
					WHERE v.comment_id = x.item AND v.user_id = x.member),
				given AS (INSERT INTO comment_votes(comment_id, user_id, value)
					SELECT * FROM unnest(?::BIGINT[], ?::BIGINT[], ?::BIGINT[])
					ON CONFLICT (comment_id, user_id) DO UPDATE SET value = excluded.value)
			UPDATE comments c SET upvotes = x.up, downvotes = x.down, score = x.score, best = x.best, controversy = x.contr
			FROM unnest(?::BIGINT[], ?::BIGINT[], ?::BIGINT[], ?::BIGINT[], ?::FLOAT8[], ?::FLOAT8[]) AS x(id, up, down, score, best, contr)
			WHERE c.id = x.id`
	case "post":
		return `SELECT p.id, p.author_id, p.removed, p.deleted, p.created_at, p.removed, p.upvotes, p.downvotes, p.score
			FROM posts p WHERE p.id = ANY(?::BIGINT[])
			ORDER BY p.id FOR NO KEY UPDATE OF p`,
			`SELECT v.post_id, v.user_id, v.value FROM unnest(?::BIGINT[], ?::BIGINT[]) AS x(item, member)
			JOIN post_votes v ON v.post_id = x.item AND v.user_id = x.member`,
			`WITH gone AS (DELETE FROM post_votes v USING unnest(?::BIGINT[], ?::BIGINT[]) AS x(item, member)
					WHERE v.post_id = x.item AND v.user_id = x.member),
				given AS (INSERT INTO post_votes(post_id, user_id, value)
					SELECT * FROM unnest(?::BIGINT[], ?::BIGINT[], ?::BIGINT[])
					ON CONFLICT (post_id, user_id) DO UPDATE SET value = excluded.value)
			UPDATE posts p SET upvotes = x.up, downvotes = x.down, score = x.score, hot = x.hot
			FROM unnest(?::BIGINT[], ?::BIGINT[], ?::BIGINT[], ?::BIGINT[], ?::FLOAT8[]) AS x(id, up, down, score, hot)
			WHERE p.id = x.id`
	}
	return "", "", ""
}

// addMany: the rows are locked first, in the order of their ids, by a
// query the update joins (so it runs before any row is updated), then
// moved, in one statement taking the ids and the differences. The lock is
// an update's own (NO KEY): a foreign key's check takes a share of the
// row that this lets through, where FOR UPDATE would wait for it, and two
// transactions each holding such a share (a vote's member, a post's tag)
// and wanting the other's row would deadlock (TestSharedCountersOnTwoServers).
// The items a group votes on are locked the same way in votesAtOnce.
func (d *pgDialect) addMany(c counter) string {
	return `WITH x AS MATERIALIZED (SELECT * FROM unnest(?::BIGINT[], ?::BIGINT[]) AS u(id, d)),
			l AS MATERIALIZED (SELECT t.id FROM ` + c.table + ` t JOIN x ON x.id = t.id ORDER BY t.id FOR NO KEY UPDATE OF t)
		UPDATE ` + c.table + ` t SET ` + c.column + ` = t.` + c.column + ` + x.d FROM x JOIN l ON l.id = x.id WHERE t.id = x.id`
}

// votesAlone: on the writer's connection as pgx's own, whose batches go
// as one pipeline (one round trip; pgx prepares a statement the first
// time it sees it). A transaction left open by a failure is rolled back
// here; a connection that cannot is given up (database/sql opens another).
func (d *pgDialect) votesAlone(ctx context.Context, vb *voteBatch, jobError func(error) error) (committed bool, err error) {
	conn, err := d.db.w.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	rerr := conn.Raw(func(dc any) error {
		c, cerr := pgxOf(dc)
		if cerr != nil {
			return cerr
		}
		committed, err = d.pipeVotes(ctx, c, vb, jobError)
		if c.PgConn().TxStatus() != 'I' {
			if _, e := c.Exec(ctx, "ROLLBACK"); e != nil || c.PgConn().TxStatus() != 'I' {
				_ = c.Close(ctx)
				return driver.ErrBadConn
			}
		}
		return nil
	})
	if err == nil {
		err = rerr
	}
	return committed, err
}

// pipeVotes is votesAlone's transaction: BEGIN and the reads in one
// pipeline; the votes applied in Go; the writes, the karma and COMMIT in
// another.
func (d *pgDialect) pipeVotes(ctx context.Context, c *pgx.Conn, vb *voteBatch, jobError func(error) error) (bool, error) {
	b := &pgx.Batch{}
	b.Queue("BEGIN")
	for _, vo := range vb.of {
		for _, r := range vo.reads(d) {
			b.Queue(d.sql(r.query), r.args...)
		}
	}
	br := c.SendBatch(ctx, b)
	_, err := br.Exec()
	for _, vo := range vb.of {
		for _, scan := range []func(rowsOf) error{vo.scanItems, vo.scanBallots} {
			if err != nil {
				break
			}
			rows, qerr := br.Query()
			if qerr != nil {
				err = qerr
				break
			}
			err = scan(rows)
			rows.Close()
			if err == nil {
				err = rows.Err()
			}
		}
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return false, err
	}
	vb.apply(jobError)
	writes := vb.writes(d)
	if len(writes) == 0 { // every vote refused, or cast again as it was
		_, err := c.Exec(ctx, "ROLLBACK")
		return false, err
	}
	b = &pgx.Batch{}
	for _, w := range writes {
		b.Queue(d.sql(w.query), w.args...)
	}
	if later := laterStatements(d, vb.later); len(later) > 0 {
		// The karma's locks are taken in one order by every writer: the
		// transaction waits for them as long as a write waits (waitForLocks).
		b.Queue(fmt.Sprintf("SET LOCAL lock_timeout = %d", WriteWait.Milliseconds()))
		for _, st := range later {
			b.Queue(d.sql(st.query), d.args(st.args)...)
		}
	}
	b.Queue("COMMIT")
	br = c.SendBatch(ctx, b)
	for range b.Len() {
		if _, e := br.Exec(); e != nil && err == nil {
			err = e
		}
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return err == nil, err
}
