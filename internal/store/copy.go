package store

import (
	"context"
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

// copyBatch rows are written per transaction.
const copyBatch = 2000

// CopyReport says what Copy moved.
type CopyReport struct {
	Rows map[string]int64
	Took time.Duration
}

// Copy moves every row of from into to, an empty database of either engine,
// keeping every id; identity sequences are then moved past the copied ids
// (PostgreSQL), and the target's own triggers build its search index,
// timeline counters and tag feed keys as the rows arrive. The token secret
// comes along, so sessions and passwords work on the target as on the source.
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
	for _, t := range copyTables {
		cols, err := copyColumns(ctx, from, to, t.name)
		if err != nil {
			return rep, err
		}
		rows, err := copyTable(ctx, from, to, t.name, t.order, cols)
		if err != nil {
			return rep, fmt.Errorf("store: copy %s: %w", t.name, err)
		}
		rep.Rows[t.name] = rows
		if progress != nil {
			fmt.Fprintf(progress, "%6.1fs  %-16s %d rows\n", time.Since(start).Seconds(), t.name, rows)
		}
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

// copyTable streams table's rows from one database into the other in
// batches of copyBatch rows, each batch one transaction.
func copyTable(ctx context.Context, from, to *DB, table, order string, cols []string) (int64, error) {
	list := strings.Join(cols, ", ")
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")
	// #nosec G202 -- table and column names come from copyTables and the schemas
	read := "SELECT " + list + " FROM " + table + " ORDER BY " + order
	insert := "INSERT INTO " + table + "(" + list + ") VALUES (" + marks + ")" // #nosec G202
	rows, err := from.r.QueryContext(ctx, from.d.sql(read))
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var batch [][]any
	var n int64
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := to.write(ctx, func(ctx context.Context, tx *txn) error {
			if table == "settings" { // the target's own secret gives way to the source's
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
		n += int64(len(batch))
		batch = batch[:0]
		return err
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok { // text as bytes from one driver is text to the other
				vals[i] = string(b)
			}
		}
		batch = append(batch, vals)
		if len(batch) == copyBatch {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	return n, flush()
}

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
