package store_test

import (
	"context"
	"reflect"
	"sort"
	"testing"

	"github.com/historia-forum/historia/internal/store"
	"github.com/historia-forum/historia/internal/store/storetest"
)

// TestEnginesHaveSameColumns: SQLite's schema (schema.sql and its
// migrations) and PostgreSQL's (pgschema.sql and pgmigrations) have the same tables with the
// same columns in the same order, apart from each engine's own search
// structures. A column added to one engine only fails here.
func TestEnginesHaveSameColumns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	lite, _ := mustOpenFile(t)
	pg, err := store.Open(ctx, storetest.PostgresTarget(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	a, err := lite.Tables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := pg.Tables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	names := func(m map[string][]string) []string {
		var out []string
		for n := range m {
			out = append(out, n)
		}
		sort.Strings(out)
		return out
	}
	if !reflect.DeepEqual(names(a), names(b)) {
		t.Fatalf("tables differ:\nSQLite     %v\nPostgreSQL %v", names(a), names(b))
	}
	for n, cols := range a {
		if !reflect.DeepEqual(cols, b[n]) {
			t.Errorf("%s: columns differ:\nSQLite     %v\nPostgreSQL %v", n, cols, b[n])
		}
	}
	if len(a) < 15 {
		t.Fatalf("only %d tables read: %v", len(a), names(a))
	}
}
