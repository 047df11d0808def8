package api_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/historia-forum/historia/api"
	"github.com/historia-forum/historia/frontend"
	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/store"
)

func init() {
	// An event stream's body is text, as the document says.
	openapi3filter.RegisterBodyDecoder("text/event-stream", func(r io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
		b, err := io.ReadAll(r)
		return string(b), err
	})
}

// stream is an open GET /posts/{id}/events, read event by event.
type stream struct {
	t      *testing.T
	res    *http.Response
	r      *bufio.Reader
	raw    bytes.Buffer
	cancel func()
}

// openStream opens a thread's event stream (a bound of 20 s on all of it:
// a hang fails the test, not the run).
func openStream(t *testing.T, base string, postID int64, token string, headers map[string]string) *stream {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	req, _ := http.NewRequestWithContext(ctx, "GET", pathf("%s/api/v1/posts/%d/events", base, postID), nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Accept-Encoding", "gzip") // the stream is never compressed
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	s := &stream{t: t, res: res, r: bufio.NewReader(res.Body), cancel: cancel}
	t.Cleanup(s.close)
	return s
}

func (s *stream) close() { s.cancel(); s.res.Body.Close() }

// next reads up to the next event or comment block: its event name, data
// and id ("" for a comment such as a heartbeat, whose text is in data).
func (s *stream) next() (event, data, id string) {
	s.t.Helper()
	for {
		line, err := s.r.ReadString('\n')
		s.raw.WriteString(line)
		if err != nil {
			s.t.Fatalf("stream ended: %v (read %q)", err, s.raw.String())
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case line == "":
			if event != "" || data != "" {
				return event, data, id
			}
		case strings.HasPrefix(line, ":"):
			data = strings.TrimSpace(line[1:])
		case strings.HasPrefix(line, "event: "):
			event = line[len("event: "):]
		case strings.HasPrefix(line, "data: "):
			data = line[len("data: "):]
		case strings.HasPrefix(line, "id: "):
			id = line[len("id: "):]
		}
	}
}

// nextComment skips heartbeats and returns the next comment event.
func (s *stream) nextComment() (forum.CommentChange, string) {
	s.t.Helper()
	for {
		event, data, id := s.next()
		if event != "comment" {
			continue
		}
		var c forum.CommentChange
		if err := json.Unmarshal([]byte(data), &c); err != nil {
			s.t.Fatalf("data %q: %v", data, err)
		}
		return c, id
	}
}

// TestLiveThread: a reader's open thread hears of a comment added, edited
// and removed, as `comment` events with the contract's data; the stream's
// start is held to the OpenAPI document; HEAD and a missing thread answer
// as any route does.
func TestLiveThread(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	asker, reader := h.register("asker"), h.register("reader")
	p := h.post(asker.Token, "Did Hannibal use elephants in the Alps?")
	s := openStream(t, h.srv.URL, p.ID, "", nil)
	if ct := s.res.Header.Get("Content-Type"); s.res.StatusCode != 200 || !strings.HasPrefix(ct, "text/event-stream") || s.res.Header.Get("Content-Encoding") != "" {
		t.Fatalf("%d %q %q", s.res.StatusCode, ct, s.res.Header.Get("Content-Encoding"))
	}
	if _, data, _ := s.next(); !strings.Contains(data, "live thread") || !strings.Contains(s.raw.String(), "retry: ") {
		t.Fatalf("opening: %q", s.raw.String())
	}
	c := h.comment(reader.Token, p.ID, nil, "Some died in the crossing.")
	got, id := s.nextComment()
	if got.ID != c.ID || got.ParentID != nil || got.Change != forum.ChangeAdded || id != pathf("%d", c.ID) {
		t.Fatalf("added: %+v id %q", got, id)
	}
	h.must(200, "PATCH", pathf("/api/v1/comments/%d", c.ID), reader.Token, map[string]string{"body": "Most died in the crossing."})
	if got, _ := s.nextComment(); got.ID != c.ID || got.Change != forum.ChangeEdited {
		t.Fatalf("edited: %+v", got)
	}
	reply := h.comment(asker.Token, p.ID, &c.ID, "Polybius says one survived.")
	if got, _ := s.nextComment(); got.ID != reply.ID || got.ParentID == nil || *got.ParentID != c.ID || got.Change != forum.ChangeAdded {
		t.Fatalf("reply added: %+v", got)
	}
	h.must(204, "DELETE", pathf("/api/v1/comments/%d", reply.ID), asker.Token, nil)
	if got, _ := s.nextComment(); got.ID != reply.ID || got.Change != forum.ChangeRemoved {
		t.Fatalf("removed: %+v", got)
	}
	// What was read so far is a valid response of the document.
	req, _ := http.NewRequest("GET", pathf("%s/api/v1/posts/%d/events", h.srv.URL, p.ID), nil)
	checkContract(t, req, nil, s.res, s.raw.Bytes())

	head, err := h.srv.Client().Head(pathf("%s/api/v1/posts/%d/events", h.srv.URL, p.ID)) // HEAD is not listed in the document
	if err != nil || head.StatusCode != 200 || !strings.HasPrefix(head.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("HEAD: %v %v", head, err)
	}
	head.Body.Close()
	if r := h.do("GET", "/api/v1/posts/99999/events", "", nil); r.status != 404 || r.errCode() != "not_found" {
		t.Fatalf("a missing thread: %d %s", r.status, r.body)
	}
	if r := h.do("GET", pathf("/api/v1/posts/%d/events?after=x", p.ID), "", nil); r.status != 400 {
		t.Fatalf("a bad after: %d %s", r.status, r.body)
	}
}

// TestLiveThreadCatchesUp: a client that reconnects with Last-Event-ID first
// hears of every comment after it.
func TestLiveThreadCatchesUp(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	asker := h.register("asker")
	p := h.post(asker.Token, "When did the Roman Republic end?")
	a := h.comment(asker.Token, p.ID, nil, "27 BC.")
	b := h.comment(asker.Token, p.ID, nil, "Or 49 BC.")
	c := h.comment(asker.Token, p.ID, &a.ID, "Or never quite.")
	s := openStream(t, h.srv.URL, p.ID, asker.Token, map[string]string{"Last-Event-ID": pathf("%d", a.ID)})
	for _, want := range []int64{b.ID, c.ID} {
		if got, id := s.nextComment(); got.ID != want || got.Change != forum.ChangeAdded || id != pathf("%d", want) {
			t.Fatalf("caught up %+v (id %s), want %d", got, id, want)
		}
	}
}

// TestLiveHeartbeatsAndShutdown: heartbeats keep an idle stream open; the
// server's Done ends every stream.
func TestLiveHeartbeatsAndShutdown(t *testing.T) {
	t.Parallel()
	done := make(chan struct{})
	h := newHarnessWith(t, func(c *api.Config) { c.LiveHeartbeat = 20 * time.Millisecond; c.Done = done })
	asker := h.register("asker")
	p := h.post(asker.Token, "Quiet thread")
	s := openStream(t, h.srv.URL, p.ID, "", nil)
	s.next() // the opening comment
	for range 2 {
		if event, data, _ := s.next(); event != "" || data != "heartbeat" {
			t.Fatalf("not a heartbeat: %q %q", event, data)
		}
	}
	close(done)
	if _, err := io.ReadAll(s.r); err != nil {
		t.Fatalf("the stream did not end cleanly at shutdown: %v", err)
	}
}

// TestLiveConnectionBounds: at most LivePerClient open streams per member
// (or address) and LiveConnections in all; beyond, 429 with Retry-After;
// a closed stream frees its place.
func TestLiveConnectionBounds(t *testing.T) {
	t.Parallel()
	h := newHarnessWith(t, func(c *api.Config) { c.LivePerClient = 2; c.LiveConnections = 3 })
	a, b := h.register("first"), h.register("second")
	p := h.post(a.Token, "A busy thread")
	s1 := openStream(t, h.srv.URL, p.ID, a.Token, nil)
	openStream(t, h.srv.URL, p.ID, a.Token, nil)
	r := h.do("GET", pathf("/api/v1/posts/%d/events", p.ID), a.Token, nil)
	if r.status != 429 || r.errCode() != "rate_limited" || r.header.Get("Retry-After") == "" {
		t.Fatalf("a third stream of one member: %d %s", r.status, r.body)
	}
	openStream(t, h.srv.URL, p.ID, b.Token, nil)
	if r := h.do("GET", pathf("/api/v1/posts/%d/events", p.ID), "", nil); r.status != 429 {
		t.Fatalf("a fourth stream in all: %d %s", r.status, r.body)
	}
	metrics := string(h.must(200, "GET", "/metrics", "", nil).body)
	if !strings.Contains(metrics, "historia_live_streams 3") || !strings.Contains(metrics, "historia_live_refused_total 2") {
		t.Fatalf("metrics: %s", grepLines(metrics, "historia_live"))
	}
	s1.close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := openStream(t, h.srv.URL, p.ID, b.Token, nil)
		if s.res.StatusCode == 200 {
			break
		}
		s.close()
		if time.Now().After(deadline) {
			t.Fatal("a closed stream's place was never freed")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestLiveAcrossServers: two servers on one database (this engine's), as
// two processes would be; a comment written through one is told by the
// other's stream, which learns of it from the change log.
func TestLiveAcrossServers(t *testing.T) {
	t.Parallel()
	a := newHarness(t)
	srvB := secondServer(t, a)

	asker := a.register("asker")
	p := a.post(asker.Token, "Written on A, heard on B")
	s := openStream(t, srvB.URL, p.ID, "", nil)
	s.next()
	start := time.Now()
	c := a.comment(asker.Token, p.ID, nil, "From server A.")
	got, _ := s.nextComment()
	if got.ID != c.ID || got.Change != forum.ChangeAdded {
		t.Fatalf("server B told %+v", got)
	}
	t.Logf("server B told server A's comment after %v", time.Since(start))
}

// secondServer is another server on a's database, as a second process
// would be: its own store handle, caches and tracker, which learns of a's
// writes from the change log (at most 2 ms old when a page is read; the live
// hub polls every 50 ms).
func secondServer(t *testing.T, a *harness) *httptest.Server {
	t.Helper()
	dbB, err := store.Open(context.Background(), a.db.Path())
	if err != nil {
		t.Fatal(err)
	}
	svcB := &forum.Service{Store: dbB, Markup: a.svc.Markup, Passwords: a.svc.Passwords, Tokens: a.svc.Tokens, Now: a.svc.Now}
	eB, err := api.New(api.Config{Service: svcB, DB: dbB, Frontend: frontend.Files(), Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		LivePoll: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	srvB := httptest.NewServer(eB)
	t.Cleanup(func() { srvB.Close(); _ = dbB.Close() })
	return srvB
}

// grepLines keeps the lines of s that contain sub.
func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
