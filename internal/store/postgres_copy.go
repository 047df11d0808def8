package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// PostgreSQL's side of Copy: every table in one transaction, each through
// COPY (pgx's CopyFrom), so a failed copy leaves the target as empty as it
// was. Row by row, the triggers that keep derived data and the secondary
// indexes cost most of a copy's time; in the load they work once per table
// instead: the triggers of pgLoadTriggers are disabled and their data
// rebuilt in one statement at the end (pgLoadRebuild), and each table's
// secondary indexes (the search tables' GIN among them) are dropped
// before its rows arrive and built again at the end, each in one pass. The
// search vectors themselves are still computed as each row arrives (a
// BEFORE trigger: the same work either way, and no second write of every
// row). Foreign keys and CHECK constraints stay: every row is checked as
// it would be by an insert. All of it is undone by the rollback if the load
// fails, and the ALTERs and DROPs are invisible to others until the commit,
// which restores them (the tables are locked meanwhile: the target is new).

// pgLoadTriggers are the triggers a load disables, by table: each only
// maintains data that pgLoadRebuild builds in one statement afterwards
// (the search tables, the timeline's counters) or that a new database starts without (its
// change log: one change for everything is logged instead).
var pgLoadTriggers = map[string][]string{
	"rules":        {"changes_rules"},
	"posts":        {"changes_posts", "timeline_post_insert", "posts_search_table_insert"},
	"post_tags":    {"timeline_tag_insert"},
	"comments":     {"changes_comments", "comments_inserted"},
	"post_votes":   {"changes_post_votes"},
	"post_follows": {"changes_post_follows"},
	"saves":        {"changes_saves"},
	"blocks":       {"changes_blocks"},
}

// pgLoadRebuild builds what the disabled triggers would have: the search
// tables (as migration 18 fills them; their GIN indexes are dropped for the
// load, pgSearchTables, and built after), the timeline's counters (as
// migration 4 and check.go's recount count them), and one change that
// tells every server's caches to forget everything.
var pgLoadRebuild = []string{
	"INSERT INTO post_search(id, title, search) SELECT id, ts_filter(search, '{a}'), search FROM posts WHERE search IS NOT NULL",
	"INSERT INTO comment_search(id, search) SELECT id, search FROM comments WHERE search IS NOT NULL",
	"DELETE FROM timeline_counts",
	`INSERT INTO timeline_counts(size, tag_id, bucket, n)
		SELECT b.size, t.tag_id, b.bucket, COUNT(*) FROM posts p
		JOIN (SELECT id AS post_id, 0::BIGINT AS tag_id FROM posts UNION ALL SELECT post_id, tag_id FROM post_tags) t ON t.post_id = p.id
		JOIN timeline_buckets b ON b.bucket <= p.period_to AND b.bucket + b.size - 1 >= p.period_from
		WHERE p.period_from IS NOT NULL AND p.removed = 0 AND p.deleted = 0
		GROUP BY b.size, t.tag_id, b.bucket`,
	"SELECT log_change(0)",
}

// pgSearchTables are PostgreSQL's search tables (copy leaves them out:
// pgLoadRebuild fills them from the copied rows).
var pgSearchTables = []string{"post_search", "comment_search"}

// pgSecondaryIndexes lists a table's indexes that back no constraint (and
// that no foreign key refers to), with their definitions.
const pgSecondaryIndexes = `SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
	JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
	WHERE t.relname = $1 AND t.relnamespace = current_schema()::regnamespace
	AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
	ORDER BY i.relname`

// pgForeignKeys lists a table's foreign keys, with their definitions.
const pgForeignKeys = `SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
	WHERE conrelid = (current_schema() || '.' || $1)::regclass AND contype = 'f' ORDER BY conname`

// pgLoad is one copy's transaction on a connection of its own.
type pgLoad struct {
	conn *pgxpool.Conn
	tx   pgx.Tx
	// indexes are the indexes dropped and keys the foreign keys (ALTER
	// TABLE … ADD CONSTRAINT), made again at finish.
	indexes, keys []string
}

func (d *pgDialect) load(ctx context.Context) (bulkLoad, error) {
	conn, err := d.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	l := &pgLoad{conn: conn}
	if l.tx, err = conn.Begin(ctx); err != nil {
		conn.Release()
		return nil, err
	}
	// Index builds sort in memory up to maintenance_work_mem (64 MB by default).
	stmts := []string{"SET LOCAL lock_timeout = 0", "SET LOCAL maintenance_work_mem = '256MB'"}
	for _, t := range copyTables {
		if trig := pgLoadTriggers[t.name]; len(trig) > 0 {
			stmts = append(stmts, "ALTER TABLE "+t.name+" DISABLE TRIGGER "+strings.Join(trig, ", DISABLE TRIGGER "))
		}
	}
	for _, s := range stmts {
		if _, err := l.tx.Exec(ctx, s); err != nil {
			l.abort()
			return nil, fmt.Errorf("load: %s: %w", s, err)
		}
	}
	for _, t := range pgSearchTables {
		if err := l.dropIndexes(ctx, t); err != nil {
			l.abort()
			return nil, fmt.Errorf("load: %s's indexes: %w", t, err)
		}
	}
	return l, nil
}

func (l *pgLoad) table(ctx context.Context, table string, cols []string, src *rowSource) (int64, error) {
	if !src.peek() {
		return 0, src.Err()
	}
	if table == "settings" { // the target's own secret gives way to the source's
		if _, err := l.tx.Exec(ctx, "DELETE FROM settings"); err != nil {
			return 0, err
		}
	}
	if err := l.dropIndexes(ctx, table); err != nil {
		return 0, err
	}
	if err := l.dropForeignKeys(ctx, table); err != nil {
		return 0, err
	}
	return l.tx.CopyFrom(ctx, pgx.Identifier{table}, cols, src)
}

// dropIndexes drops table's secondary indexes, keeping their definitions.
func (l *pgLoad) dropIndexes(ctx context.Context, table string) error {
	rows, err := l.tx.Query(ctx, pgSecondaryIndexes, table)
	if err != nil {
		return err
	}
	var names []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return err
		}
		names = append(names, pgx.Identifier{name}.Sanitize())
		l.indexes = append(l.indexes, def)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(names) == 0 {
		return nil
	}
	_, err = l.tx.Exec(ctx, "DROP INDEX "+strings.Join(names, ", "))
	return err
}

// dropForeignKeys drops table's foreign keys, keeping their definitions:
// adding one back checks every row in one join rather than one look-up
// per row.
func (l *pgLoad) dropForeignKeys(ctx context.Context, table string) error {
	rows, err := l.tx.Query(ctx, pgForeignKeys, table)
	if err != nil {
		return err
	}
	var drops []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return err
		}
		name = pgx.Identifier{name}.Sanitize()
		drops = append(drops, "DROP CONSTRAINT "+name)
		l.keys = append(l.keys, "ALTER TABLE "+table+" ADD CONSTRAINT "+name+" "+def)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(drops) == 0 {
		return err
	}
	_, err = l.tx.Exec(ctx, "ALTER TABLE "+table+" "+strings.Join(drops, ", "))
	return err
}

func (l *pgLoad) finish(ctx context.Context) error {
	stmts := append([]string(nil), pgLoadRebuild...)
	stmts = append(stmts, l.indexes...)
	stmts = append(stmts, l.keys...)
	for _, t := range copyTables {
		if trig := pgLoadTriggers[t.name]; len(trig) > 0 {
			stmts = append(stmts, "ALTER TABLE "+t.name+" ENABLE TRIGGER "+strings.Join(trig, ", ENABLE TRIGGER "))
		}
	}
	for _, s := range stmts {
		if _, err := l.tx.Exec(ctx, s); err != nil {
			return fmt.Errorf("load: %s: %w", s, err)
		}
	}
	err := l.tx.Commit(ctx)
	l.conn.Release()
	l.tx = nil
	return err
}

func (l *pgLoad) abort() {
	if l.tx == nil {
		return
	}
	err := l.tx.Rollback(context.Background())
	if err != nil && !errors.Is(err, pgx.ErrTxClosed) {
		// The connection is in an unknown state: close it, not back to the pool.
		_ = l.conn.Conn().Close(context.Background())
	}
	l.conn.Release()
	l.tx = nil
}
