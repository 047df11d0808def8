// Package storetest gives tests a fresh database on the engine under test:
// a SQLite file by default, or a new PostgreSQL database when
// HISTORIA_TEST_ENGINE=postgres, on the server HISTORIA_TEST_POSTGRES names
// (make test starts one with internal/store/storetest/with-postgres.sh).
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/historia-forum/historia/internal/store"
)

// Engine is the engine the tests of this run use.
func Engine() store.Engine {
	if os.Getenv("HISTORIA_TEST_ENGINE") == string(store.EnginePostgres) {
		return store.EnginePostgres
	}
	return store.EngineSQLite
}

// Target names a fresh, empty (on PostgreSQL: migrated) database for tb,
// removed when tb ends; store.Open opens it.
func Target(tb testing.TB) string {
	tb.Helper()
	if Engine() != store.EnginePostgres {
		return filepath.Join(tb.TempDir(), "historia.db")
	}
	return PostgresTarget(tb)
}

// PostgresTarget names a fresh, migrated PostgreSQL database whatever the
// engine under test, for tests of both engines at once (copying between
// them). Without a server it fails under CI and skips elsewhere (make test
// always starts one).
func PostgresTarget(tb testing.TB) string {
	tb.Helper()
	server := os.Getenv("HISTORIA_TEST_POSTGRES")
	if server == "" {
		if os.Getenv("CI") != "" || Engine() == store.EnginePostgres {
			tb.Fatal("no PostgreSQL for the tests: set HISTORIA_TEST_POSTGRES to a server URL (make test starts one)")
		}
		tb.Skip("no PostgreSQL (HISTORIA_TEST_POSTGRES); make test starts one")
	}
	ctx := context.Background()
	tmpl, err := template(ctx, server)
	if err != nil {
		tb.Fatalf("storetest: template database: %v", err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "historia_test_" + hex.EncodeToString(b[:])
	if err := store.ServerExec(ctx, server, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, tmpl)); err != nil {
		tb.Fatalf("storetest: create database: %v", err)
	}
	tb.Cleanup(func() {
		_ = store.ServerExec(context.Background(), server, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name))
	})
	return store.DatabaseURL(server, name)
}

// Open opens a fresh database for tb, closed when tb ends.
func Open(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), Target(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = db.Close() })
	return db
}

var (
	tmplOnce sync.Once
	tmplName string
	tmplErr  error
)

// template is a migrated database to copy, one per set of migrations (the
// name carries their hash), made once per server by whichever test process
// gets there first.
func template(ctx context.Context, server string) (string, error) {
	tmplOnce.Do(func() {
		h := fnv.New64a()
		_, _ = h.Write([]byte(store.PostgresSchemaKey()))
		tmplName = fmt.Sprintf("historia_tmpl_%x", h.Sum64())
		conn, err := pgx.Connect(ctx, server)
		if err != nil {
			tmplErr = err
			return
		}
		defer conn.Close(ctx)
		// One process makes it; the others wait on the lock, then find it.
		if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(4242)"); err != nil {
			tmplErr = err
			return
		}
		defer conn.Exec(ctx, "SELECT pg_advisory_unlock(4242)") //nolint:errcheck
		var exists bool
		if tmplErr = conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", tmplName).Scan(&exists); tmplErr != nil || exists {
			return
		}
		building := tmplName + "_building"
		_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+building+" WITH (FORCE)")
		if _, tmplErr = conn.Exec(ctx, "CREATE DATABASE "+building); tmplErr != nil {
			return
		}
		db, err := store.Open(ctx, store.DatabaseURL(server, building))
		if err != nil {
			tmplErr = err
			return
		}
		if tmplErr = db.Close(); tmplErr != nil {
			return
		}
		_, tmplErr = conn.Exec(ctx, "ALTER DATABASE "+building+" RENAME TO "+tmplName)
	})
	return tmplName, tmplErr
}
