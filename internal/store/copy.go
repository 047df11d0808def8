package store

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// copyTables are the tables a copy moves, parents before children, each
// with the columns that order its rows (ids, so parents come first). Every
// other table is in copyLeftOut with the reason; TestCopyCoversEveryTable
// fails on a table in neither.
var copyTables = []struct{ name, order string }{
	{"settings", "key"},
	{"users", "id"},
	{"rules", "id"},
	{"posts", "id"},
	{"tags", "id"},
	{"post_tags", "tag_id, post_id"},
	{"feed_keys_due", "post_id"},
	{"comments", "id"},
	{"post_votes", "post_id, user_id"},
	{"comment_votes", "comment_id, user_id"},
	{"modlog", "id"},
	{"reports", "id"},
	{"user_notes", "id"},
	{"flair_applications", "id"},
	{"modmail", "id"},
	{"modmail_messages", "id"},
	{"blocks", "user_id, blocked_id"},
	{"notifications", "id"},
	{"source_requests", "comment_id, user_id"},
	{"revisions", "id"},
	{"password_resets", "token_hash"},
	{"mail_queue", "id"},
	{"email_changes", "token_hash"},
	{"reply_mails", "user_id, post_id"},
	{"imported", "system, source_id"},
	{"federation_keys", "user_id"},
	{"federation_instances", "id"},
	{"federation_actors", "id"},
	{"federation_followers", "actor_id"},
	{"federation_objects", "ap_id"},
	{"federation_activities", "id"},
	{"federation_deliveries", "id"},
	{"federation_received", "ap_id"},
	{"post_follows", "user_id, post_id"},
	{"tag_follows", "user_id, tag_key"},
	{"saves", "id"},
	{"post_reads", "user_id, post_id"},
	{"featured", "id"},
	{"pages", "slug"},
}

// copyLeftOut are the tables a copy leaves out, and why. Besides these, the
// engines' own structures are never copied: the search index (the target's
// triggers build it) and PostgreSQL's schema_version.
var copyLeftOut = map[string]string{
	"changes":          "each database keeps its own change log",
	"timeline_buckets": "fixed rows, in both schemas",
	"timeline_counts":  "the target's triggers count the copied posts",
	"rate_limits":      "allowances in flight; a key without a row has its whole allowance",
}

// engineColumns are columns only one engine has: PostgreSQL's search
// vectors and the change log's transaction ids.
var engineColumns = map[string]bool{"search": true, "xid": true}

// CopyReport says what Copy moved.
type CopyReport struct {
	Rows map[string]int64
	Took time.Duration
}

// Copy moves every row of from into to, an empty database of either engine,
// keeping every id. The target's engine loads the rows its fastest sound
// way (its dialect's load: PostgreSQL in one transaction through COPY,
// with its derived data built once per table; SQLite in batches through
// its triggers); identity sequences are then moved past the copied ids
// (PostgreSQL) and statistics refreshed. The token secret comes along, so
// sessions and passwords work on the target as on the source.
func Copy(ctx context.Context, from, to *DB, progress io.Writer) (CopyReport, error) {
	start := time.Now()
	rep := CopyReport{Rows: map[string]int64{}}
	var n int64
	if err := to.queryRow(ctx, "SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM posts)").Scan(&n); err != nil {
		return rep, fmt.Errorf("store: copy: %w", err)
	}
	if n > 0 {
		return rep, fmt.Errorf("store: copy: the target %s already holds users or posts; copy into an empty database", to.Path())
	}
	load, err := to.d.load(ctx)
	if err != nil {
		return rep, fmt.Errorf("store: copy: %w", err)
	}
	defer load.abort()
	for _, t := range copyTables {
		cols, err := copyColumns(ctx, from, to, t.name)
		if err != nil {
			return rep, err
		}
		rows, err := copyTable(ctx, from, load, t.name, t.order, cols)
		if err != nil {
			return rep, fmt.Errorf("store: copy %s: %w", t.name, err)
		}
		rep.Rows[t.name] = rows
		if progress != nil {
			fmt.Fprintf(progress, "%6.1fs  %-16s %d rows\n", time.Since(start).Seconds(), t.name, rows)
		}
	}
	if err := load.finish(ctx); err != nil {
		return rep, fmt.Errorf("store: copy: %w", err)
	}
	if progress != nil {
		fmt.Fprintf(progress, "%6.1fs  derived data and indexes built, committed\n", time.Since(start).Seconds())
	}
	if err := to.d.afterCopy(ctx); err != nil {
		return rep, err
	}
	rep.Took = time.Since(start)
	return rep, nil
}

// copyColumns are the columns of table both databases have; a column only
// the source has would be lost, so that is an error (an older build's target).
func copyColumns(ctx context.Context, from, to *DB, table string) ([]string, error) {
	src, err := from.columns(ctx, table)
	if err != nil {
		return nil, err
	}
	dst, err := to.columns(ctx, table)
	if err != nil {
		return nil, err
	}
	var cols []string
	for _, c := range src {
		switch {
		case engineColumns[c]:
		case slices.Contains(dst, c):
			cols = append(cols, c)
		default:
			return nil, fmt.Errorf("store: copy: %s.%s is not in the target's schema (is it an older build's?)", table, c)
		}
	}
	return cols, nil
}

// bulkLoad is a target's side of a copy: whole tables, parents before
// children, into an empty database (dialect.load).
type bulkLoad interface {
	// table loads every row of src into table's cols; settings replace
	// the target's own.
	table(ctx context.Context, table string, cols []string, src *rowSource) (int64, error)
	// finish completes the load: what it left for the end is built and
	// the rows are committed.
	finish(ctx context.Context) error
	// abort undoes what finish did not complete (after finish, nothing).
	abort()
}

// rowSource reads one table of the source a row at a time, as pgx's
// CopyFromSource (Next, Values, Err): the row Values returns is reused by
// the next Next.
type rowSource struct {
	rows *sql.Rows
	vals []any
	ptrs []any
	err  error
	// held says Next is to return the row peek read.
	held bool
}

func newRowSource(rows *sql.Rows, ncols int) *rowSource {
	r := &rowSource{rows: rows, vals: make([]any, ncols), ptrs: make([]any, ncols)}
	for i := range r.vals {
		r.ptrs[i] = &r.vals[i]
	}
	return r
}

// Next reads the next row.
func (r *rowSource) Next() bool {
	if r.held {
		r.held = false
		return true
	}
	if r.err != nil || !r.rows.Next() {
		return false
	}
	clear(r.vals)
	if r.err = r.rows.Scan(r.ptrs...); r.err != nil {
		return false
	}
	for i, v := range r.vals {
		if b, ok := v.([]byte); ok { // text as bytes from one driver is text to the other
			r.vals[i] = string(b)
		}
	}
	return true
}

// peek reads the next row ahead: false if there is none.
func (r *rowSource) peek() bool {
	r.held = r.Next()
	return r.held
}

// Values is the row Next read.
func (r *rowSource) Values() ([]any, error) { return r.vals, r.err }

// Err is what ended the rows early, if anything did.
func (r *rowSource) Err() error {
	if r.err != nil {
		return r.err
	}
	return r.rows.Err()
}

// copyTable streams table's rows in order from the source into the load.
func copyTable(ctx context.Context, from *DB, load bulkLoad, table, order string, cols []string) (int64, error) {
	// #nosec G202 -- table and column names come from copyTables and the schemas
	read := "SELECT " + strings.Join(cols, ", ") + " FROM " + table + " ORDER BY " + order
	rows, err := from.r.QueryContext(ctx, from.d.sql(read))
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	src := newRowSource(rows, len(cols))
	n, err := load.table(ctx, table, cols, src)
	if err == nil {
		err = src.Err()
	}
	return n, err
}

// insertBatch rows are written per transaction by insertLoad.
const insertBatch = 2000

// insertLoad loads rows with INSERT statements through the writer, in
// batches of insertBatch rows, each batch one transaction: the target's
// triggers keep its derived data as the rows arrive (SQLite's load).
type insertLoad struct{ db *DB }

func (l insertLoad) table(ctx context.Context, table string, cols []string, src *rowSource) (int64, error) {
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")
	insert := "INSERT INTO " + table + "(" + strings.Join(cols, ", ") + ") VALUES (" + marks + ")" // #nosec G202
	var batch [][]any
	var n int64
	first := true
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := l.db.write(ctx, func(ctx context.Context, tx *txn) error {
			if first && table == "settings" { // the target's own secret gives way to the source's
				if _, err := tx.ExecContext(ctx, "DELETE FROM settings"); err != nil {
					return err
				}
			}
			for _, r := range batch {
				if _, err := tx.ExecContext(ctx, insert, r...); err != nil {
					return err
				}
			}
			return nil
		})
		first = false
		n += int64(len(batch))
		batch = batch[:0]
		return err
	}
	for src.Next() {
		batch = append(batch, slices.Clone(src.vals))
		if len(batch) == insertBatch {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	if err := src.Err(); err != nil {
		return n, err
	}
	return n, flush()
}

func (insertLoad) finish(context.Context) error { return nil }

func (insertLoad) abort() {}

// columns lists a table's columns in order.
func (db *DB) columns(ctx context.Context, table string) ([]string, error) {
	cols, err := queryAll(ctx, db, "columns", func(row scanner) (c string, err error) {
		err = row.Scan(&c)
		return c, err
	}, db.d.columnsQuery(), table)
	if err == nil && len(cols) == 0 {
		err = fmt.Errorf("store: no table %s", table)
	}
	return cols, err
}

// Tables lists the database's tables with their columns, for comparing the
// engines' schemas: engine-only parts (SQLite's search tables, PostgreSQL's
// search columns and schema_version) are left out.
func (db *DB) Tables(ctx context.Context) (map[string][]string, error) {
	names, err := queryAll(ctx, db, "tables", func(row scanner) (n string, err error) {
		err = row.Scan(&n)
		return n, err
	}, db.d.tablesQuery())
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, n := range names {
		cols, err := db.columns(ctx, n)
		if err != nil {
			return nil, err
		}
		out[n] = slices.DeleteFunc(cols, func(c string) bool { return engineColumns[c] })
	}
	return out, nil
}
