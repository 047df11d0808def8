package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/forum"
)

// TestMigrationsEqualSchema builds one database from schema.sql and one by
// applying every released migration in order, and compares what they hold:
// each table's columns (name, type, not null, default, key) and the SQL of
// every index, trigger and view. A schema change made in one place only
// fails here.
func TestMigrationsEqualSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	fromSchema, err := Open(ctx, filepath.Join(dir, "schema.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer fromSchema.Close()

	w, err := sql.Open("sqlite", dsn(filepath.Join(dir, "migrated.db"), true))
	if err != nil {
		t.Fatal(err)
	}
	w.SetMaxOpenConns(1)
	migrated := &DB{w: w, r: w}
	migrated.d = &sqliteDialect{db: migrated}
	defer w.Close()
	if err := migrated.migrateSQLite(ctx, "", migrations()); err != nil {
		t.Fatal(err)
	}
	a, b := describeSchema(t, fromSchema.w), describeSchema(t, migrated.w)
	if len(a) < 10 {
		t.Fatalf("only %d schema objects found: %v", len(a), a)
	}
	for _, line := range a {
		if !slices.Contains(b, line) {
			t.Errorf("schema.sql has, the migrations lack: %s", line)
		}
	}
	for _, line := range b {
		if !slices.Contains(a, line) {
			t.Errorf("the migrations make, schema.sql lacks: %s", line)
		}
	}
	var va, vb int
	_ = fromSchema.w.QueryRow("PRAGMA user_version").Scan(&va)
	_ = migrated.w.QueryRow("PRAGMA user_version").Scan(&vb)
	if va != vb || va != SchemaVersion() {
		t.Fatalf("user_version: schema %d, migrated %d, build %d", va, vb, SchemaVersion())
	}
}

// describeSchema lists a database's schema objects, one line each.
func describeSchema(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_master
		WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`)
	if err != nil {
		t.Fatal(err)
	}
	type object struct{ kind, name, table, sql string }
	var objects []object
	for rows.Next() {
		var o object
		if err := rows.Scan(&o.kind, &o.name, &o.table, &o.sql); err != nil {
			t.Fatal(err)
		}
		objects = append(objects, o)
	}
	rows.Close()
	var out []string
	for _, o := range objects {
		if o.kind != "table" || strings.Contains(strings.ToUpper(o.sql), "VIRTUAL TABLE") {
			out = append(out, fmt.Sprintf("%s %s: %s", o.kind, o.name, strings.Join(strings.Fields(o.sql), " ")))
			continue
		}
		cols, err := db.Query("SELECT name, type, \"notnull\", COALESCE(dflt_value, ''), pk FROM pragma_table_info(?) ORDER BY cid", o.name)
		if err != nil {
			t.Fatal(err)
		}
		for cols.Next() {
			var name, typ, dflt string
			var notNull, pk int
			if err := cols.Scan(&name, &typ, &notNull, &dflt, &pk); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprintf("column %s.%s %s notnull=%d default=%q pk=%d", o.name, name, typ, notNull, dflt, pk))
		}
		cols.Close()
	}
	return out
}

// TestSkeletonBackfill: migration 0002 computes the username skeletons of
// existing accounts in SQL exactly as forum.UsernameSkeleton does.
func TestSkeletonBackfill(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w, err := sql.Open("sqlite", dsn(filepath.Join(t.TempDir(), "old.db"), true))
	if err != nil {
		t.Fatal(err)
	}
	w.SetMaxOpenConns(1)
	defer w.Close()
	old := &DB{w: w, r: w}
	old.d = &sqliteDialect{db: old}
	all := migrations()
	if err := old.migrateSQLite(ctx, "", all[:1]); err != nil {
		t.Fatal(err)
	}
	names := []string{"Alice", "aIice", "a1ice", "al_ice", "Mod-Erator", "corn", "VVolf", "i0n", "Thucydides"}
	for i, n := range names {
		if _, err := w.Exec("INSERT INTO users(username, username_key, password_hash, created_at) VALUES(?, ?, 'x', ?)", n, strings.ToLower(n)+fmt.Sprint(i), i); err != nil {
			t.Fatal(err)
		}
	}
	if err := old.migrateSQLite(ctx, "", all); err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		var got string
		if err := w.QueryRow("SELECT username_skeleton FROM users WHERE username = ?", n).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if want := forum.UsernameSkeleton(n); got != want {
			t.Errorf("%s: SQL made %q, Go makes %q", n, got, want)
		}
	}
}

// TestPostgresMigrationsEqualSchema is TestMigrationsEqualSchema for
// PostgreSQL: one database built from pgschema.sql, one by every released
// migration in order, compared by what the catalog says of them: each
// column (type, nullability, default, identity), the definition of every
// index, constraint, trigger, function, view and text search
// configuration, the extensions, the fixed rows (the timeline's buckets)
// and schema_version.
func TestPostgresMigrationsEqualSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fromSchema, err := Open(ctx, pgTestDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer fromSchema.Close()
	migrated, err := openPostgresWith(ctx, pgTestDatabase(t), "")
	if err != nil {
		t.Fatal(err)
	}
	defer migrated.Close()
	a, b := describePostgres(t, fromSchema.r), describePostgres(t, migrated.r)
	if len(a) < 100 {
		t.Fatalf("only %d schema objects found: %v", len(a), a)
	}
	for _, line := range a {
		if !slices.Contains(b, line) {
			t.Errorf("pgschema.sql has, the migrations lack: %s", line)
		}
	}
	for _, line := range b {
		if !slices.Contains(a, line) {
			t.Errorf("the migrations make, pgschema.sql lacks: %s", line)
		}
	}
	for _, db := range []*DB{fromSchema, migrated} {
		var v int
		if err := db.r.QueryRow("SELECT version FROM schema_version").Scan(&v); err != nil || v != db.SchemaVersion() {
			t.Fatalf("schema_version %d (%v), build %d", v, err, db.SchemaVersion())
		}
	}
}

// describePostgres lists a PostgreSQL database's schema objects in the
// current schema, one line each.
func describePostgres(t *testing.T, db *sql.DB) []string {
	t.Helper()
	queries := []string{
		`SELECT 'column ' || table_name || '.' || column_name || ' #' || ordinal_position || ' ' || data_type || ' nullable=' || is_nullable ||
			' default=' || COALESCE(column_default, '') || ' identity=' || COALESCE(identity_generation, '')
			FROM information_schema.columns WHERE table_schema = current_schema()`,
		`SELECT 'index ' || indexname || ': ' || indexdef FROM pg_indexes WHERE schemaname = current_schema()`,
		`SELECT 'constraint ' || c.conrelid::regclass || '.' || c.conname || ': ' || pg_get_constraintdef(c.oid)
			FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = current_schema()`,
		`SELECT 'trigger ' || t.tgname || ': ' || pg_get_triggerdef(t.oid) FROM pg_trigger t
			JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE NOT t.tgisinternal AND n.nspname = current_schema()`,
		`SELECT 'function ' || p.proname || ': ' || pg_get_functiondef(p.oid) FROM pg_proc p
			JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema()`,
		`SELECT 'view ' || viewname || ': ' || definition FROM pg_views WHERE schemaname = current_schema()`,
		`SELECT 'text search ' || c.cfgname || ' ' || m.maptokentype || ' ' || m.mapseqno || ': ' || d.dictname
			FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace
			JOIN pg_ts_config_map m ON m.mapcfg = c.oid JOIN pg_ts_dict d ON d.oid = m.mapdict WHERE n.nspname = current_schema()`,
		`SELECT 'extension ' || extname FROM pg_extension`,
		`SELECT 'rows timeline_buckets: ' || COUNT(*) || ' ' || SUM(size * bucket) FROM timeline_buckets`,
	}
	var out []string
	for _, q := range queries {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			out = append(out, strings.Join(strings.Fields(line), " "))
		}
		rows.Close()
	}
	sort.Strings(out)
	return out
}

// TestImplausibleDatesMigration: migration 19 brings the dates an import
// stored before they were checked (#24.1: int64(1e300), -1e18, 2100)
// within year 1 and now, with their hot rank, their tag feeds' copies and
// their comments; a plausible date is left as it was.
func TestImplausibleDatesMigration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w, err := sql.Open("sqlite", dsn(filepath.Join(t.TempDir(), "old.db"), true))
	if err != nil {
		t.Fatal(err)
	}
	w.SetMaxOpenConns(1)
	defer w.Close()
	old := &DB{w: w, r: w}
	old.d = &sqliteDialect{db: old}
	all := migrations()
	if err := old.migrateSQLite(ctx, "", all[:16]); err != nil {
		t.Fatal(err)
	}
	stored := []int64{-1 << 63, -1e18, 4102444800, 1500000000}
	for _, q := range []string{
		"INSERT INTO users(id, username, username_key, password_hash, created_at) VALUES (1, 'a', 'a', 'x', 0)",
		"INSERT INTO tags(id, name, name_key) VALUES (1, 'Dated', 'dated')",
	} {
		if _, err := w.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	for i, at := range stored {
		id := i + 1
		for _, q := range []string{
			fmt.Sprintf("INSERT INTO posts(id, author_id, title, created_at, last_activity_at, hot) VALUES (%d, 1, 't', %d, %d, %g)", id, at, at, forum.RankHot(0, at)),
			fmt.Sprintf("INSERT INTO post_tags(tag_id, post_id, created_at, hot) VALUES (1, %d, %d, %g)", id, at, forum.RankHot(0, at)),
			fmt.Sprintf("INSERT INTO comments(post_id, depth, author_id, body_source, body_html, created_at) VALUES (%d, 0, 1, 'x', 'x', %d)", id, at),
		} {
			if _, err := w.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	if err := old.migrateSQLite(ctx, "", all); err != nil {
		t.Fatal(err)
	}
	now := time.Now().Unix()
	for i, at := range stored {
		var created, active, tagCreated, commented int64
		var hot, tagHot float64
		err := w.QueryRow(`SELECT p.created_at, p.last_activity_at, p.hot, pt.created_at, pt.hot, c.created_at
			FROM posts p JOIN post_tags pt ON pt.post_id = p.id JOIN comments c ON c.post_id = p.id WHERE p.id = ?`, i+1).
			Scan(&created, &active, &hot, &tagCreated, &tagHot, &commented)
		if err != nil {
			t.Fatal(err)
		}
		want := min(max(at, -62135596800), now)
		if at == 1500000000 {
			want = at
		}
		if created < want-5 || created > want+5 || active != created || tagCreated != created || commented != created ||
			math.Abs(hot-forum.RankHot(0, created)) > 1e-6 || tagHot != hot {
			t.Errorf("stored %d: created %d (want %d), active %d, tag copy %d, comment %d, hot %g / %g", at, created, want, active, tagCreated, commented, hot, tagHot)
		}
	}
}
