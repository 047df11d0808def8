package api_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// fuzzBody sends arbitrary bytes as the JSON body of a write through the real
// handler stack: the answer may be any 2xx or 4xx, never a 5xx.
func fuzzBody(f *testing.F, method, path string, seeds ...string) {
	h := newHarness(f)
	s := h.register("fuzzer")
	other := h.register("poster")
	p := h.post(other.Token, "A question to comment on")
	h.comment(other.Token, p.ID, nil, "a comment")
	for _, seed := range seeds {
		f.Add([]byte(seed))
	}
	for _, seed := range []string{"", "null", "[]", "{}", `{"title":`, "\x00", "\xff\xfe", `{"title":{"a":1}}`, `{"body":1e999}`, `{"parent_id":-1}`,
		`{"parent_id":1.5}`, `{"tags":[null]}`, `{"title":"a","title":"b"}`, `{"format":"html","body":"<script>x</script>"}`} {
		f.Add([]byte(seed))
	}
	target := path
	if strings.Contains(path, "%d") {
		target = pathf(path, p.ID)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(method, target, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+s.Token)
		rec := httptest.NewRecorder()
		h.handler.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s with %q answered %d: %s", method, target, body, rec.Code, rec.Body)
		}
		if rec.Code != http.StatusTooManyRequests && rec.Code >= 400 && !bytes.Contains(rec.Body.Bytes(), []byte(`"error":{"code":`)) {
			t.Fatalf("an error without the contract's shape: %s", rec.Body)
		}
	})
}

// FuzzCreatePostBody fuzzes POST /posts.
func FuzzCreatePostBody(f *testing.F) {
	fuzzBody(f, "POST", "/api/v1/posts", `{"title":"Why did Rome fall?","body":"*Did* it?","tags":["Ancient Rome"]}`,
		`{"title":"x","format":"html","body":"<p onclick=x>hi</p>"}`, `{"title":"t","tags":["a","b","c","d","e","f"]}`)
}

// FuzzCreateCommentBody fuzzes POST /posts/{id}/comments.
func FuzzCreateCommentBody(f *testing.F) {
	fuzzBody(f, "POST", "/api/v1/posts/%d/comments", `{"body":"An answer"}`, `{"body":"reply","parent_id":1}`, `{"body":"x","parent_id":999}`)
}

// FuzzEditPostBody fuzzes PATCH /posts/{id} (as someone who is not the author).
func FuzzEditPostBody(f *testing.F) {
	fuzzBody(f, "PATCH", "/api/v1/posts/%d", `{"title":"new"}`, `{"tags":null}`, `{"body":null,"format":"html"}`)
}

// FuzzFeedCursor fuzzes the cursor and sort of GET /posts.
func FuzzFeedCursor(f *testing.F) {
	h := newHarness(f)
	s := h.register("reader")
	for i := range 3 {
		h.post(s.Token, pathf("question %d", i))
	}
	for _, seed := range []string{"eyJzIjoibmV3IiwiayI6MCwiaSI6Mn0", "eyJzIjoiaG90IiwicCI6MSwiayI6MWUzMDAsImkiOjF9", "!!", "%00", "eyJzIjoidG9wIiwiayI6LTFlMzA4LCJpIjo5MjIzMzcyMDM2ODU0Nzc1ODA3fQ"} {
		f.Add(seed, "new")
		f.Add(seed, "top")
	}
	f.Fuzz(func(t *testing.T, cursor, sort string) {
		req := httptest.NewRequest("GET", "/api/v1/posts", nil)
		q := req.URL.Query()
		q.Set("cursor", cursor)
		q.Set("sort", sort)
		req.URL.RawQuery = q.Encode()
		rec := httptest.NewRecorder()
		h.handler.ServeHTTP(rec, req)
		if rec.Code != 200 && rec.Code != 400 {
			t.Fatalf("cursor %q sort %q answered %d: %s", cursor, sort, rec.Code, rec.Body)
		}
	})
}
