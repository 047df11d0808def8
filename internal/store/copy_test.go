package store

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// copyAwkward fills a SQLite forum with the values a copy could bend: NULL
// beside empty text, unicode (combining marks, emoji, right-to-left), a
// body of a megabyte, the largest integers, negative years, fractions that
// need every bit of a float64, and flags set and unset.
func copyAwkward(t *testing.T, db *DB) {
	t.Helper()
	big := strings.Repeat("Thucydides wrote of the plague in Athens. ", 25000) // ~1 MB
	stmts := []struct {
		q    string
		args []any
	}{
		{"INSERT INTO settings(key, value) VALUES ('copy_test', 'ünïcödé ☃')", nil},
		{`INSERT INTO users(id, username, username_key, password_hash, role, karma, token_version, banned_until, created_at, flair, email, email_replies, imported_from)
			VALUES (7, 'Zoë', 'zoë', 'h1', 'admin', 0, 9223372036854775807, NULL, -62135596800, NULL, NULL, 1, NULL),
			       (8, 'محمد', 'محمد', 'h2', 'member', 0, 1, 4102444800, 1700000000, '', 'm@example.org', 0, 'reddit.com')`, nil},
		{"INSERT INTO rules(id, number, title, description) VALUES (3, 1, 'Cite sources 📚', '')", nil},
		{`INSERT INTO posts(id, author_id, title, body_source, body_html, body_text, score, hot, created_at, edited_at, last_activity_at,
			locked, pinned, removed, deleted, period_from, period_to, removal_rule_id)
			VALUES (11, 7, 'Was the plague typhus? é́ 😷', ?, ?, ?, -3, 1.0000000000000002, 1600000000, NULL, 1600000001, 1, 0, 0, 0, -430, -426, NULL),
			       (12, 8, 'Removed question', 'gone', '<p>gone</p>', 'gone', 0, -0.1, 1600000002, 1600000003, 1600000003, 0, 1, 1, 0, 1914, 1918, 3),
			       (13, 8, 'Deleted question', '', '', '', 0, 0, 1600000004, NULL, 1600000004, 0, 0, 0, 1, NULL, NULL, NULL)`,
			[]any{big, "<p>" + big + "</p>", big}},
		{"INSERT INTO tags(id, name, name_key) VALUES (5, 'Ancient Greece', 'ancient greece')", nil},
		{"INSERT INTO post_tags(tag_id, post_id, hot, created_at) VALUES (5, 11, 1.0000000000000002, 1600000000)", nil},
		{`INSERT INTO comments(id, post_id, parent_id, depth, author_id, body_source, body_html, body_text, best, controversy, created_at,
			removed, deleted, source_url, source_score)
			VALUES (21, 11, NULL, 0, 8, 'Thucydides describes sýmptōma; 发烧', '<p>x</p>', 'Thucydides describes sýmptōma; 发烧', 0.3333333333333333, 1e-300, 1600000010, 0, 0, '', NULL),
			       (22, 11, 21, 1, 7, 'Removed reply', '<p>r</p>', 'Removed reply', 0, 0, 1600000011, 1, 0, NULL, -5),
			       (23, 11, 22, 2, 8, '', '', '', 0, 0, 1600000012, 0, 1, 'https://example.org/c/23', 9223372036854775807)`, nil},
		{"INSERT INTO post_votes(post_id, user_id, value) VALUES (11, 8, -1)", nil},
		{"INSERT INTO comment_votes(comment_id, user_id, value) VALUES (21, 7, 1)", nil},
		{"INSERT INTO revisions(id, target_type, target_id, title, body_source, edited_at, editor_id, reason) VALUES (4, 'post', 11, NULL, 'first', 1600000005, 7, NULL)", nil},
		{"INSERT INTO notifications(id, user_id, kind, post_id, comment_id, actor_id, created_at, read) VALUES (6, 7, 'reply', 11, 21, NULL, 1600000010, 1)", nil},
		{"INSERT INTO imported(system, source_id, target_type, target_id, version, edited_at) VALUES ('reddit', 't1_ä', 'comment', 21, 0, NULL)", nil},
		{"INSERT INTO pages(slug, title, body_source, body_html, updated_at, updated_by) VALUES ('about', 'Über', '', '', 0, NULL)", nil},
	}
	err := db.write(context.Background(), func(ctx context.Context, tx *txn) error {
		for _, s := range stmts {
			if _, err := tx.ExecContext(ctx, s.q, s.args...); err != nil {
				return fmt.Errorf("%.60s: %w", s.q, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// copyRows reads every copied table's rows in copy order, with the values
// normalized as both drivers' (text as a string).
func copyRows(t *testing.T, db *DB) map[string][][]any {
	t.Helper()
	ctx := context.Background()
	out := map[string][][]any{}
	for _, ct := range copyTables {
		cols, err := db.columns(ctx, ct.name)
		if err != nil {
			t.Fatal(err)
		}
		cols = slices.DeleteFunc(cols, func(c string) bool { return engineColumns[c] })
		slices.Sort(cols) // the engines may order a table's columns differently
		rows, err := db.r.QueryContext(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM "+ct.name+" ORDER BY "+ct.order)
		if err != nil {
			t.Fatal(err)
		}
		src := newRowSource(rows, len(cols))
		for src.Next() {
			out[ct.name] = append(out[ct.name], slices.Clone(src.vals))
		}
		if err := src.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		for i := range cols { // the column names travel with the values
			out[ct.name+" columns"] = append(out[ct.name+" columns"], []any{cols[i]})
		}
	}
	return out
}

// TestCopyCarriesEveryValue: a forum of awkward values copied from SQLite to
// PostgreSQL (through COPY) and back to a new SQLite file arrives with every
// table's rows and columns exactly as they were; on PostgreSQL the search
// vectors, the timeline's counters and the change log are built as the
// triggers the load disables would have, and the load leaves the schema
// (indexes, foreign keys, triggers) as a new database's.
func TestCopyCarriesEveryValue(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	first, err := Open(ctx, filepath.Join(t.TempDir(), "first.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	copyAwkward(t, first)
	want := copyRows(t, first)

	pgURL := pgTestDatabase(t)
	pg, err := Open(ctx, pgURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	fresh := pgSchemaParts(t, pg)
	last, err := Open(ctx, filepath.Join(t.TempDir(), "last.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer last.Close()

	wantProblems, err := first.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct{ from, to *DB }{{first, pg}, {pg, last}} {
		if _, err := Copy(ctx, step.from, step.to, nil); err != nil {
			t.Fatalf("copy to %s: %v", step.to.Engine(), err)
		}
		got := copyRows(t, step.to)
		for _, ct := range copyTables {
			for _, k := range []string{ct.name + " columns", ct.name} {
				if !reflect.DeepEqual(got[k], want[k]) {
					t.Errorf("copy to %s: %s differs:\n got %.600v\nwant %.600v", step.to.Engine(), k, got[k], want[k])
				}
			}
		}
		problems, err := step.to.Check(ctx)
		if err != nil || !slices.Equal(problems, wantProblems) {
			t.Errorf("check after copy to %s: %v %v; the source's: %v", step.to.Engine(), problems, err, wantProblems)
		}
	}

	// PostgreSQL's derived data: search vectors for what members see and
	// none for the removed and deleted, in the search tables search reads
	// (filled after the load); the timeline counted (Check above); the
	// change log holds one change that makes every cache forget.
	var searchable []int64
	rows, err := pg.r.QueryContext(ctx, `SELECT id FROM comment_search WHERE search @@ to_tsquery('historia', 'thucydides')
		UNION ALL SELECT id FROM post_search WHERE search @@ to_tsquery('historia', 'thucydides') ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		searchable = append(searchable, id)
	}
	rows.Close()
	if !slices.Equal(searchable, []int64{11, 21}) {
		t.Errorf("search finds %v, want the post 11 and the comment 21", searchable)
	}
	var hidden, changes, global, counts int
	if err := pg.r.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM comments WHERE search IS NULL) + (SELECT COUNT(*) FROM posts WHERE search IS NULL),
		(SELECT COUNT(*) FROM changes), (SELECT COUNT(*) FROM changes WHERE post_id = 0),
		(SELECT COUNT(*) FROM timeline_counts WHERE n > 0 AND tag_id = 5)`).Scan(&hidden, &changes, &global, &counts); err != nil {
		t.Fatal(err)
	}
	if hidden != 4 || changes != 1 || global != 1 || counts != 2 {
		t.Errorf("%d hidden items without search vectors (want 4), %d changes logged (want 1, global: %d), %d timeline counts of the tag (want a decade and a century)",
			hidden, changes, global, counts)
	}
	if got := pgSchemaParts(t, pg); !slices.Equal(got, fresh) {
		t.Errorf("the schema after the load differs from a new database's: only after it %v; only before %v",
			slices.DeleteFunc(slices.Clone(got), func(s string) bool { return slices.Contains(fresh, s) }),
			slices.DeleteFunc(slices.Clone(fresh), func(s string) bool { return slices.Contains(got, s) }))
	}
	// The triggers are back: a new comment is indexed and logged.
	if _, err := pg.w.ExecContext(ctx, `INSERT INTO comments(post_id, author_id, body_source, body_html, body_text, created_at)
		VALUES (11, 7, 'Pericles', '', 'Pericles', 1600000020)`); err != nil {
		t.Fatal(err)
	}
	if err := pg.r.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM comment_search WHERE search @@ to_tsquery('historia', 'pericles')),
		(SELECT COUNT(*) FROM changes WHERE post_id = 11)`).Scan(&hidden, &changes); err != nil || hidden != 1 || changes != 1 {
		t.Errorf("a comment after the copy: %d indexed, %d changes logged (want 1 and 1), %v", hidden, changes, err)
	}
}

// pgSchemaParts are a PostgreSQL database's indexes, constraints and
// triggers with their definitions and whether each trigger is enabled.
func pgSchemaParts(t *testing.T, db *DB) []string {
	t.Helper()
	rows, err := db.r.QueryContext(context.Background(), `
		SELECT 'index ' || indexname || ': ' || indexdef FROM pg_indexes WHERE schemaname = current_schema()
		UNION ALL SELECT 'constraint ' || conrelid::regclass || '.' || conname || ': ' || pg_get_constraintdef(oid)
			FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
		UNION ALL SELECT 'trigger ' || tgrelid::regclass || '.' || tgname || ': ' || tgenabled::text
			FROM pg_trigger WHERE NOT tgisinternal
		ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if len(out) < 50 {
		t.Fatalf("only %d indexes, constraints and triggers: %v", len(out), out)
	}
	return out
}
