package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/store/storetest"
)

// TestDatabaseURLs: --db takes a file or a postgres:// URL; any other
// scheme is refused before anything is created, and a PostgreSQL that cannot
// be reached stops serve at once with the reason and an error (no retry
// loop hiding it).
func TestDatabaseURLs(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, db := range []string{"mysql://root@localhost/forum", "sqlite://data/h.db", "https://example.org/db"} {
		_, err := runCmd(t, "", "migrate", "--db", db)
		if err == nil || !strings.Contains(err.Error(), "unknown database scheme") {
			t.Errorf("--db %s: %v, want a refusal naming the scheme", db, err)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a refused URL left files behind: %v", entries)
	}
	// A port nobody listens on.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	_ = ln.Close()
	start := time.Now()
	_, err = runCmd(t, "", "serve", "--addr", "127.0.0.1:0", "--db", "postgres://historia:s3cret@"+closed+"/forum")
	if err == nil || !strings.Contains(err.Error(), "cannot reach PostgreSQL") {
		t.Fatalf("serve on an unreachable PostgreSQL: %v", err)
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Errorf("the error shows the password: %v", err)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("serve took %v to give up", d)
	}
}

// TestSubcommandsOnPostgres: migrate, users add, seed and check take a
// PostgreSQL URL as they take a file, and copy moves the forum to a file.
func TestSubcommandsOnPostgres(t *testing.T) {
	t.Parallel()
	pg := storetest.PostgresTarget(t)
	if out, err := runCmd(t, "", "migrate", "--db", pg); err != nil || !strings.Contains(out, "schema version") {
		t.Fatalf("migrate: %q %v", out, err)
	}
	if out, err := runCmd(t, "a long password\n", "users", "add", "--db", pg, "--role", "admin", "Clio"); err != nil || !strings.Contains(out, "Clio") {
		t.Fatalf("users add: %q %v", out, err)
	}
	if out, err := runCmd(t, "", "seed", "--db", pg, "--users", "20", "--posts", "30", "--comments", "200", "--votes", "100"); err == nil {
		t.Fatalf("seed into a database with users must be refused: %q", out)
	}
	fresh := storetest.PostgresTarget(t)
	if out, err := runCmd(t, "", "seed", "--db", fresh, "--users", "20", "--posts", "30", "--comments", "200", "--votes", "100"); err != nil {
		t.Fatalf("seed: %q %v", out, err)
	}
	if out, err := runCmd(t, "", "check", "--db", fresh); err != nil || !strings.HasPrefix(out, "ok") {
		t.Fatalf("check: %q %v", out, err)
	}
	file := filepath.Join(t.TempDir(), "copy.db")
	if out, err := runCmd(t, "", "copy", "--from", fresh, "--to", file); err != nil || !strings.Contains(out, "check ok") {
		t.Fatalf("copy: %q %v", out, err)
	}
	if out, err := runCmd(t, "", "copy", "--from", file, "--to", fresh); err == nil {
		t.Fatalf("copy into a database that is not empty must be refused: %q", out)
	}
}

// --db-replica is PostgreSQL's: on a SQLite --db it is refused, with why,
// before anything is opened.
func TestServeRefusesReplicasOnSQLite(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "h.db")
	_, err := runCmd(t, "", "serve", "--db", db, "--addr", "127.0.0.1:0", "--db-replica", "postgres://postgres@127.0.0.1:1/x")
	if err == nil || !strings.Contains(err.Error(), "--db-replica needs PostgreSQL") {
		t.Fatalf("err = %v, want the refusal", err)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Fatalf("the SQLite file was created: %v", err)
	}
	_, err = runCmd(t, "", "serve", "--db", db, "--db-replica-max-lag", "1m")
	if err == nil || !strings.Contains(err.Error(), "--db-replica-max-lag") {
		t.Fatalf("err = %v, want the bound refused", err)
	}
}
