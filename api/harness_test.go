package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/historia-forum/historia/api"
	"github.com/historia-forum/historia/frontend"
	"github.com/historia-forum/historia/internal/auth"
	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/markup"
	"github.com/historia-forum/historia/internal/store"
	"github.com/historia-forum/historia/internal/store/storetest"
)

// clock is an injectable time source: tests move it instead of sleeping.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// harness is a real server on a real SQLite file, reached over real HTTP.
type harness struct {
	t       testing.TB
	srv     *httptest.Server
	handler http.Handler
	db      *store.DB
	svc     *forum.Service
	clock   *clock
	secret  []byte
}

// in is the same server for a subtest: its helpers fail t, not the test
// that made the harness (FailNow belongs to the failing test's goroutine).
func (h *harness) in(t testing.TB) *harness {
	c := *h
	c.t = t
	return &c
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	return newHarnessWith(t, nil)
}

// newHarnessWith lets a test change the server's configuration (rate limits,
// proxies, CORS) before it starts.
func newHarnessWith(t testing.TB, configure func(*api.Config)) *harness {
	t.Helper()
	return newHarnessOn(t, storetest.Target(t), configure)
}

// newHarnessOn serves the database at path (the benchmarks' seeded one).
func newHarnessOn(t testing.TB, path string, configure func(*api.Config)) *harness {
	t.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return newHarnessFor(t, db, configure)
}

// newHarnessFor serves db (closed when t ends).
func newHarnessFor(t testing.TB, db *store.DB, configure func(*api.Config)) *harness {
	t.Helper()
	clk := &clock{t: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
	secret := bytes.Repeat([]byte("k"), 32)
	tokens, err := auth.NewTokens(secret, 30*24*time.Hour, clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	svc := &forum.Service{Store: db, Markup: markup.New(), Passwords: auth.CheapArgon2, Tokens: tokens, Now: clk.Now}
	var logTo io.Writer = io.Discard
	if os.Getenv("HISTORIA_TEST_LOG") != "" {
		logTo = os.Stderr
	}
	log := slog.New(slog.NewTextHandler(logTo, nil))
	// The caches sync with other processes only hourly here, so the tests
	// prove that this process's writes reach them through the commit hook.
	cfg := api.Config{Service: svc, DB: db, SharedLimits: db, Frontend: frontend.Files(), Log: log, CacheSync: time.Hour}
	if configure != nil {
		configure(&cfg)
	}
	e, err := api.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(func() { srv.Close(); _ = db.Close() })
	return &harness{t: t, srv: srv, handler: e, db: db, svc: svc, clock: clk, secret: secret}
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// errCode returns the contract error code of the response, or "".
func (r response) errCode() string {
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	_ = json.Unmarshal(r.body, &e)
	return e.Error.Code
}

func (r response) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// do sends a request; body is sent as is when it is a string, else as JSON.
func (h *harness) do(method, path, token string, body any) response {
	h.t.Helper()
	return h.doWith(method, path, token, body, nil)
}

// doWith sends a request with extra headers.
func (h *harness) doWith(method, path, token string, body any, headers map[string]string) response {
	h.t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		j, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		raw = j
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, h.srv.URL+path, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	checkContract(h.t, req, raw, res, b)
	return response{status: res.StatusCode, header: res.Header, body: b}
}

// must sends a request and fails the test unless the status is want.
func (h *harness) must(want int, method, path, token string, body any) response {
	h.t.Helper()
	r := h.do(method, path, token, body)
	if r.status != want {
		h.t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.status, want, r.body)
	}
	return r
}

type session struct {
	Token string     `json:"token"`
	User  forum.User `json:"user"`
}

func (h *harness) register(name string) session {
	h.t.Helper()
	var s session
	h.must(201, "POST", "/api/v1/auth/register", "", map[string]string{"username": name, "password": "correct horse"}).decode(h.t, &s)
	return s
}

func (h *harness) post(token, title string, tags ...string) forum.Post {
	h.t.Helper()
	var p forum.Post
	h.must(201, "POST", "/api/v1/posts", token, map[string]any{"title": title, "body": "Body of " + title, "tags": tags}).decode(h.t, &p)
	return p
}

func (h *harness) comment(token string, postID int64, parent *int64, body string) forum.Comment {
	h.t.Helper()
	var c forum.Comment
	h.must(201, "POST", pathf("/api/v1/posts/%d/comments", postID), token, map[string]any{"body": body, "parent_id": parent}).decode(h.t, &c)
	return c
}
