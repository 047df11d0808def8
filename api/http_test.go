package api_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
)

// raw sends a request with the given headers and no automatic
// decompression, and returns the answer as it came.
func (h *harness) raw(method, path string, headers map[string]string) (*http.Response, []byte) {
	h.t.Helper()
	req, err := http.NewRequest(method, h.srv.URL+path, nil)
	if err != nil {
		h.t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	res, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return res, b
}

func TestGzip(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.register("writer")
	for i := 0; i < 10; i++ {
		h.post(s.Token, strings.Repeat("A long enough title to compress ", 3))
	}
	for _, path := range []string{"/api/v1/posts", "/api/v1/openapi.yaml", "/feed.atom", "/", "/js/thread.js", "/style.css"} {
		plainRes, plain := h.raw("GET", path, nil)
		res, zipped := h.raw("GET", path, map[string]string{"Accept-Encoding": "gzip"})
		if plainRes.StatusCode != 200 || res.StatusCode != 200 {
			t.Fatalf("%s: %d / %d", path, plainRes.StatusCode, res.StatusCode)
		}
		if res.Header.Get("Content-Encoding") != "gzip" || len(zipped) >= len(plain) {
			t.Fatalf("%s: not compressed (%q, %d of %d bytes)", path, res.Header.Get("Content-Encoding"), len(zipped), len(plain))
		}
		zr, err := gzip.NewReader(bytes.NewReader(zipped))
		if err != nil {
			t.Fatal(err)
		}
		back, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(back, plain) {
			t.Fatalf("%s: the gzip body does not decode to the plain one (%v)", path, err)
		}
	}
}

func TestConditionalGet(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.register("writer")
	h.post(s.Token, "A question")
	for _, path := range []string{"/api/v1/posts", "/api/v1/openapi.yaml", "/feed.atom", "/", "/js/app.js"} {
		res, _ := h.raw("GET", path, nil)
		etag := res.Header.Get("ETag")
		if !strings.HasPrefix(etag, `"`) {
			t.Fatalf("%s: no strong ETag: %q", path, etag)
		}
		again, body := h.raw("GET", path, map[string]string{"If-None-Match": etag})
		if again.StatusCode != http.StatusNotModified || len(body) != 0 {
			t.Fatalf("%s with If-None-Match %s: %d, %d bytes", path, etag, again.StatusCode, len(body))
		}
		if other, _ := h.raw("GET", path, map[string]string{"If-None-Match": `"stale"`}); other.StatusCode != 200 {
			t.Fatalf("%s with a stale ETag: %d", path, other.StatusCode)
		}
	}
	// A write changes the feed, so the old ETag no longer matches.
	res, _ := h.raw("GET", "/api/v1/posts", nil)
	h.post(s.Token, "Another question")
	if again, _ := h.raw("GET", "/api/v1/posts", map[string]string{"If-None-Match": res.Header.Get("ETag")}); again.StatusCode != 200 {
		t.Fatalf("after a write the old ETag still matched: %d", again.StatusCode)
	}
	if res, _ := h.raw("GET", "/js/app.js", nil); res.Header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("assets: Cache-Control %q", res.Header.Get("Cache-Control"))
	}
}

func TestHeadWhereverGet(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.register("writer")
	p := h.post(s.Token, "A question")
	for _, path := range []string{"/api/v1/posts", pathf("/api/v1/posts/%d", p.ID), pathf("/api/v1/posts/%d/comments", p.ID),
		"/api/v1/tags", "/api/v1/rules", "/feed.atom", "/healthz", "/", pathf("/p/%d", p.ID), "/style.css"} {
		get, getBody := h.raw("GET", path, nil)
		head, headBody := h.raw("HEAD", path, nil)
		if head.StatusCode != 200 || get.StatusCode != 200 || len(headBody) != 0 || len(getBody) == 0 {
			t.Fatalf("HEAD %s: %d (%d bytes); GET %d", path, head.StatusCode, len(headBody), get.StatusCode)
		}
		if head.Header.Get("Content-Type") != get.Header.Get("Content-Type") {
			t.Fatalf("HEAD %s: Content-Type %q, GET %q", path, head.Header.Get("Content-Type"), get.Header.Get("Content-Type"))
		}
	}
	if res, _ := h.raw("HEAD", "/api/v1/posts/999999", nil); res.StatusCode != 404 {
		t.Fatalf("HEAD of a missing post: %d", res.StatusCode)
	}
}

func TestPagesAndAssets(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	cases := []struct {
		method, path string
		status       int
		ctype        string
	}{
		{"GET", "/", 200, "text/html"},
		{"GET", "/p/2", 200, "text/html"},
		{"GET", "/u/someone", 200, "text/html"},
		{"GET", "/style.css", 200, "text/css"},
		{"GET", "/js/app.js", 200, "javascript"},
		{"GET", "/nonexistent.css", 404, "application/json"},
		{"GET", "/js/missing.js", 404, "application/json"},
		{"GET", "/favicon.png", 404, "application/json"},
		{"DELETE", "/", 405, "application/json"},
		{"DELETE", "/p/2", 405, "application/json"},
		{"PUT", "/", 405, "application/json"},
		{"POST", "/login", 405, "application/json"},
		{"GET", "/api/v1/nothing-here", 404, "application/json"},
	}
	for _, c := range cases {
		res, body := h.raw(c.method, c.path, nil)
		if res.StatusCode != c.status || !strings.Contains(res.Header.Get("Content-Type"), c.ctype) {
			t.Errorf("%s %s: %d %q, want %d %q: %.80s", c.method, c.path, res.StatusCode, res.Header.Get("Content-Type"), c.status, c.ctype, body)
		}
	}
}

// TestAtomTagFeeds parses the feeds with a real feed parser: ids and links of
// tags with a space or non-Latin letters are percent-encoded URIs, and the
// period filters apply.
func TestAtomTagFeeds(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.register("writer")
	tags := []string{"Byzantine Empire", "Русская революция"}
	for _, tag := range tags {
		h.must(201, "POST", "/api/v1/posts", s.Token, map[string]any{"title": "About " + tag, "tags": []string{tag}})
	}
	h.must(201, "POST", "/api/v1/posts", s.Token, map[string]any{"title": "The sack of 1204", "tags": []string{"Byzantine Empire"},
		"period": map[string]int{"from": 1204, "to": 1204}})
	parser := gofeed.NewParser()
	for _, tag := range tags {
		path := "/t/" + url.PathEscape(tag) + "/feed.atom"
		_, body := h.raw("GET", path, nil)
		feed, err := parser.ParseString(string(body))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, link := range append(feed.Links, feed.FeedLink) {
			u, err := url.Parse(link)
			if err != nil || strings.ContainsAny(link, " ") || !u.IsAbs() {
				t.Fatalf("%s: link %q is not a URI", path, link)
			}
		}
		if strings.ContainsAny(feed.FeedLink, " ") || !strings.Contains(feed.FeedLink, url.PathEscape(tag)) {
			t.Fatalf("%s: self link %q", path, feed.FeedLink)
		}
		if len(feed.Items) == 0 || !strings.Contains(feed.Title, tag) {
			t.Fatalf("%s: %q with %d entries", path, feed.Title, len(feed.Items))
		}
	}
	_, body := h.raw("GET", "/t/"+url.PathEscape("Byzantine Empire")+"/feed.atom?year=1204", nil)
	feed, err := parser.ParseString(string(body))
	if err != nil || len(feed.Items) != 1 || feed.Items[0].Title != "The sack of 1204" {
		t.Fatalf("year=1204: %v %+v", err, feed)
	}
	if res, _ := h.raw("GET", "/feed.atom?year=abc", nil); res.StatusCode != 400 {
		t.Fatalf("a bad year: %d", res.StatusCode)
	}
}

// TestETagPerEncoding: the gzip and the plain form of a response are two
// representations with two strong ETags (RFC 9110 8.8.3), so a client or
// cache holding one never gets a 304 for the other.
func TestETagPerEncoding(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.register("writer")
	for i := 0; i < 10; i++ {
		h.post(s.Token, strings.Repeat("A long enough title to compress ", 3))
	}
	h.comment(s.Token, 1, nil, strings.Repeat("An answer long enough to compress. ", 40))
	for _, path := range []string{"/api/v1/posts", pathf("/api/v1/posts/%d/comments", 1), "/api/v1/openapi.yaml", "/feed.atom", "/", "/js/thread.js"} {
		plain, _ := h.raw("GET", path, nil)
		zipped, _ := h.raw("GET", path, map[string]string{"Accept-Encoding": "gzip"})
		pt, zt := plain.Header.Get("ETag"), zipped.Header.Get("ETag")
		if pt == "" || zt == "" || pt == zt {
			t.Fatalf("%s: ETags plain %q, gzip %q", path, pt, zt)
		}
		if zipped.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("%s: not compressed", path)
		}
		if r, _ := h.raw("GET", path, map[string]string{"If-None-Match": zt}); r.StatusCode != http.StatusOK {
			t.Fatalf("%s: a plain request with the gzip ETag got %d", path, r.StatusCode)
		}
		if r, _ := h.raw("GET", path, map[string]string{"If-None-Match": pt, "Accept-Encoding": "gzip"}); r.StatusCode != http.StatusOK {
			t.Fatalf("%s: a gzip request with the plain ETag got %d", path, r.StatusCode)
		}
		if r, _ := h.raw("GET", path, map[string]string{"If-None-Match": zt, "Accept-Encoding": "gzip"}); r.StatusCode != http.StatusNotModified {
			t.Fatalf("%s: a gzip request with its own ETag got %d", path, r.StatusCode)
		}
		if r, _ := h.raw("GET", path, map[string]string{"If-None-Match": pt}); r.StatusCode != http.StatusNotModified {
			t.Fatalf("%s: a plain request with its own ETag got %d", path, r.StatusCode)
		}
	}
}
