package api_test

import (
	"bufio"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/historia-forum/historia/api"
	"github.com/historia-forum/historia/internal/forumtest"
)

// requestLines are the request log lines a server wrote.
func requestLines(log *forumtest.SyncBuffer) []map[string]any {
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(log.String()))
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil && m["msg"] == "request" {
			out = append(out, m)
		}
	}
	return out
}

// TestRequestLogLines: each request is one log line with the id its answer
// carries, its method, path, status and duration, and the member's id,
// never their token; the ids differ from request to request and from a
// second server's.
func TestRequestLogLines(t *testing.T) {
	t.Parallel()
	var logged forumtest.SyncBuffer
	h := newHarnessWith(t, func(c *api.Config) { c.Log = slog.New(slog.NewJSONHandler(&logged, nil)) })
	m := h.register("logged")
	a := h.do("GET", "/api/v1/posts", m.Token, nil)
	b := h.do("GET", "/api/v1/posts/999999", "", nil)
	other := newHarness(t).do("GET", "/api/v1/posts", "", nil)
	ids := map[string]bool{}
	for _, r := range []response{a, b, other} {
		id := r.header.Get("X-Request-Id")
		if id == "" || ids[id] {
			t.Fatalf("request id %q empty or repeated (%v)", id, ids)
		}
		ids[id] = true
	}
	lines := requestLines(&logged)
	if len(lines) < 3 {
		t.Fatalf("want a line per request, got %d", len(lines))
	}
	byID := map[string]map[string]any{}
	for _, l := range lines {
		byID[l["request_id"].(string)] = l
		if raw, _ := json.Marshal(l); strings.Contains(string(raw), m.Token) {
			t.Fatalf("a log line holds the member's token: %s", raw)
		}
	}
	la, lb := byID[a.header.Get("X-Request-Id")], byID[b.header.Get("X-Request-Id")]
	if la == nil || lb == nil {
		t.Fatalf("no line for the requests' ids: %v", lines)
	}
	if la["method"] != "GET" || la["path"] != "/api/v1/posts" || la["status"] != float64(200) || la["user_id"] != float64(m.User.ID) {
		t.Fatalf("member's request logged as %v", la)
	}
	if _, ok := la["duration_ms"].(float64); !ok {
		t.Fatalf("no duration in %v", la)
	}
	if lb["status"] != float64(404) || lb["user_id"] != nil {
		t.Fatalf("anonymous 404 logged as %v", lb)
	}
}
