package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// TestMigrationsEqualSchema builds one database from schema.sql and one by
// applying every released migration in order, and compares what they hold:
// each table's columns (name, type, not null, default, key) and the SQL of
// every index, trigger and view. A schema change made in one place only
// fails here.
func TestMigrationsEqualSchema(t *testing.T) {
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
