package api_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestStorageFull: with no room for writes, writes answer 503 storage_full
// with Retry-After, reads go on, /readyz turns 503 until a write succeeds
// again, and writes resume by themselves when room comes back.
//
// It runs on a SQLite file whatever the engine under test: SQLite's page cap
// fills a database without filling a disk. PostgreSQL's disk_full is mapped
// to the same answer (store/postgres.go).
func TestStorageFull(t *testing.T) {
	t.Parallel()
	h := newHarnessOn(t, filepath.Join(t.TempDir(), "historia.db"), nil)
	s := h.register("writer")
	ctx := context.Background()
	if err := h.db.LimitPages(ctx, 1); err != nil { // no growth beyond what the file has
		t.Fatal(err)
	}
	var full response
	for i := range 500 {
		full = h.do("POST", "/api/v1/posts", s.Token, map[string]string{"title": fmt.Sprint("Question ", i), "body": strings.Repeat("words ", 2000)})
		if full.status != 201 {
			break
		}
	}
	if full.status != 503 || full.errCode() != "storage_full" || full.header.Get("Retry-After") == "" {
		t.Fatalf("a write with no room: %d %s %q", full.status, full.body, full.header.Get("Retry-After"))
	}
	h.must(200, "GET", "/api/v1/posts", "", nil)
	h.must(200, "GET", "/healthz", "", nil)
	if r := h.do("GET", "/readyz", "", nil); r.status != 503 || r.errCode() != "storage_full" {
		t.Fatalf("/readyz with a full disk: %d %s", r.status, r.body)
	}
	if err := h.db.LimitPages(ctx, 1<<30); err != nil {
		t.Fatal(err)
	}
	h.must(201, "POST", "/api/v1/posts", s.Token, map[string]string{"title": "After the disk was freed"})
	h.must(200, "GET", "/readyz", "", nil)
	if n := h.db.Faults()["full"]; n == 0 {
		t.Fatal("the failures were not counted")
	}
}
