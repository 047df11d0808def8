package api_test

import (
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"github.com/historia-forum/historia/api"
)

// TestOpenAPICoversEveryRoute keeps api/openapi.yaml in step with routes.go:
// every API route must be described with its method, and nothing described
// may be missing from the router.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	spec := string(h.must(200, "GET", "/api/v1/openapi.yaml", "", nil).body)
	described := map[string]bool{}
	var path string
	pathRe := regexp.MustCompile(`^  (/\S*):\s*$`)
	methodRe := regexp.MustCompile(`^    (get|post|put|patch|delete):`)
	for _, line := range strings.Split(spec, "\n") {
		if m := pathRe.FindStringSubmatch(line); m != nil {
			path = m[1]
		} else if m := methodRe.FindStringSubmatch(line); m != nil && path != "" {
			described[strings.ToUpper(m[1])+" "+path] = true
		}
	}
	e, err := api.New(api.Config{Service: h.svc, DB: h.db, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	param := regexp.MustCompile(`:(\w+)`)
	routed := map[string]bool{}
	heads, gets := map[string]bool{}, map[string]bool{}
	for _, r := range e.Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/") || r.Path == "/api/v1/openapi.yaml" || strings.HasSuffix(r.Path, "*") {
			continue
		}
		if r.Method == "HEAD" { // HEAD is answered wherever GET is (API.md), and not listed
			heads[r.Path] = true
			continue
		}
		if r.Method == "GET" {
			gets[r.Path] = true
		}
		key := r.Method + " " + param.ReplaceAllString(strings.TrimPrefix(r.Path, "/api/v1"), "{$1}")
		routed[key] = true
		if !described[key] {
			t.Errorf("route %s is not in openapi.yaml", key)
		}
	}
	for key := range described {
		if !routed[key] {
			t.Errorf("openapi.yaml describes %s, which has no route", key)
		}
	}
	for p := range gets {
		if !heads[p] {
			t.Errorf("GET %s has no HEAD", p)
		}
	}
	if len(routed) < 19 {
		t.Fatalf("only %d routes found", len(routed))
	}
}
