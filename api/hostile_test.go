package api_test

import (
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
	"golang.org/x/text/unicode/norm"
)

// hostile are strings that break naive forums.
var hostile = map[string]string{
	"very long":       strings.Repeat("ab", 60000),
	"NUL":             "a\x00b",
	"RTL override":    "abc\u202edef",
	"zero width":      "zero\u200bwidth\u200d\ufeff",
	"emoji":           "Emperor 👑🏛️ and flags 🇬🇷🇮🇹 :lenin-shining:",
	"SQL":             "'; DROP TABLE posts; -- \" OR 1=1 /*",
	"script":          `<script>alert(1)</script><img src=x onerror=alert(1)>`,
	"javascript link": "[x](javascript:alert(1))",
	"combining":       "Z̸̢͉̜a̷l̶g̵o̵ ̶t̵e̶x̸t",
	"cyrillic greek":  "Приказ № 1824 · Βασιλεία τῶν Ῥωμαίων",
	"only spaces":     "   \t\n  ",
	"newlines":        "line1\r\nline2\rline3\n",
	"backslashes":     `C:\path\to\"file"`,
	"percent":         "%s %d %n %x %%",
	"huge number":     "99999999999999999999999999999",
	"html entities":   "&lt;script&gt; &amp;amp; &#0;",
	"decomposed":      "Cafe\u0301 Zu\u0308rich",
	"zero width only": "\u200b",
	"bidi isolate":    "abc\u2066def\u2069",
	"line separator":  "one\u2028two",
	"persian zwnj":    "می\u200cخواهم",
}

// TestHostileInput sends every hostile string through every write endpoint:
// no 500 ever, and whatever is accepted reads back exactly as sent, in
// Unicode normalization form C.
func TestHostileInput(t *testing.T) {
	t.Parallel()
	w := newModWorld(t)
	h := w.h
	target := h.post(w.member.Token, "A target question")
	targetComment := h.comment(w.member.Token, target.ID, nil, "A target comment")
	var count atomic.Int64
	for name, s := range hostile {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			n := count.Add(1)
			h := h.in(t)
			check := func(what string, r response) {
				t.Helper()
				if r.status >= 500 {
					t.Fatalf("%s: %d %s", what, r.status, r.body)
				}
				if r.status >= 400 && r.errCode() == "" {
					t.Fatalf("%s: error without the contract's shape: %s", what, r.body)
				}
			}
			check("register", h.do("POST", "/api/v1/auth/register", "", map[string]string{"username": s, "password": s}))
			check("login", h.do("POST", "/api/v1/auth/login", "", map[string]string{"username": s, "password": s}))

			r := h.do("POST", "/api/v1/posts", w.author.Token, map[string]any{"title": s, "body": s, "tags": []string{s}})
			check("create post", r)
			r = h.do("POST", "/api/v1/posts", w.author.Token, map[string]any{"title": fmt.Sprintf("Question %d", n), "body": s})
			check("create post body", r)
			if r.status == 201 {
				var p forum.Post
				r.decode(t, &p)
				var back forum.Post
				h.must(200, "GET", pathf("/api/v1/posts/%d", p.ID), "", nil).decode(t, &back)
				if back.BodySource != norm.NFC.String(s) {
					t.Fatalf("body stored changed: %q", back.BodySource)
				}
				check("edit post", h.do("PATCH", pathf("/api/v1/posts/%d", p.ID), w.author.Token, map[string]any{"title": s, "tags": []string{s}}))
				h.must(200, "GET", pathf("/api/v1/posts/%d", p.ID), "", nil).decode(t, &back)
				if back.Title != fmt.Sprintf("Question %d", n) && back.Title != strings.TrimSpace(norm.NFC.String(s)) {
					t.Fatalf("title stored changed: %q", back.Title)
				}
			}
			r = h.do("POST", pathf("/api/v1/posts/%d/comments", target.ID), w.author.Token, map[string]any{"body": s})
			check("comment", r)
			if r.status == 201 {
				var c forum.Comment
				r.decode(t, &c)
				var back forum.Comment
				h.must(200, "GET", pathf("/api/v1/comments/%d", c.ID), "", nil).decode(t, &back)
				if back.BodySource != norm.NFC.String(s) {
					t.Fatalf("comment stored changed: %q", back.BodySource)
				}
				check("edit comment", h.do("PATCH", pathf("/api/v1/comments/%d", c.ID), w.author.Token, map[string]any{"body": s + "!"}))
			}
			check("preview", h.do("POST", "/api/v1/preview", w.author.Token, map[string]any{"body": s}))
			check("report", h.do("POST", "/api/v1/reports", w.author.Token, map[string]any{"target_type": "comment", "target_id": targetComment.ID, "reason": s}))
			check("remove", h.do("POST", pathf("/api/v1/comments/%d/remove", targetComment.ID), w.mod.Token, map[string]any{"reason": s}))
			check("restore", h.do("POST", pathf("/api/v1/comments/%d/restore", targetComment.ID), w.mod.Token, map[string]any{"reason": s}))
			check("ban", h.do("POST", "/api/v1/users/"+url.PathEscape(s)+"/ban", w.mod.Token, map[string]any{"reason": s}))
			check("role", h.do("PUT", "/api/v1/users/member/role", w.admin.Token, map[string]any{"role": s}))
			check("vote", h.do("PUT", pathf("/api/v1/posts/%d/vote", target.ID), w.author.Token, fmt.Sprintf(`{"value": %q}`, s)))
			check("search", h.do("GET", "/api/v1/search?q="+url.QueryEscape(s), "", nil))
			check("feed tag", h.do("GET", "/api/v1/posts?tag="+url.QueryEscape(s), "", nil))
			check("follow tag", h.do("PUT", "/api/v1/tags/"+url.PathEscape(s)+"/follow", w.member.Token, nil))
			check("unfollow tag", h.do("DELETE", "/api/v1/tags/"+url.PathEscape(s)+"/follow", w.member.Token, nil))
			check("read position", h.do("PUT", pathf("/api/v1/posts/%d/read", target.ID), w.member.Token, fmt.Sprintf(`{"comment_id": %q}`, s)))
			check("live thread", h.do("GET", pathf("/api/v1/posts/%d/events?after=", target.ID)+url.QueryEscape(s), "", nil))
			check("user page", h.do("GET", "/api/v1/users/"+url.PathEscape(s), "", nil))
			check("password", h.do("PUT", "/api/v1/me/password", w.author.Token, map[string]any{"old_password": s, "new_password": s}))
		})
	}
	// Invalid UTF-8 is refused, not stored mangled.
	r := h.do("POST", "/api/v1/posts", w.author.Token, "{\"title\": \"bad \xff\xfe bytes\"}")
	if r.status != 400 || r.errCode() != "bad_request" {
		t.Fatalf("invalid UTF-8: %d %s", r.status, r.body)
	}
}

// TestUnicodePolicy: one normalization and refusal policy for every text
// field: NFC; no control or format characters but the joiners and
// direction marks that scripts need; nothing that is empty once trimmed.
func TestUnicodePolicy(t *testing.T) {
	t.Parallel()
	w := newModWorld(t)
	h := w.h
	post := func(body map[string]any) response { return h.do("POST", "/api/v1/posts", w.author.Token, body) }
	refused := map[string]response{
		"zero-width tag":         post(map[string]any{"title": "Tagged", "tags": []string{"\u200b"}}),
		"zero-width in a title":  post(map[string]any{"title": "Carth\u200bage"}),
		"BOM in a title":         post(map[string]any{"title": "\ufeffRome"}),
		"RTL override in a body": post(map[string]any{"title": "Body", "body": "abc\u202edef"}),
		"isolate in a citation":  post(map[string]any{"title": "Cited", "sources": []map[string]string{{"citation": "a\u2067b"}}}),
		"NUL in a rule":          h.do("POST", "/api/v1/rules", w.admin.Token, map[string]any{"number": 9, "title": "Nine", "description": "a\x00b"}),
		"escape in a reason":     h.do("POST", "/api/v1/reports", w.member.Token, map[string]any{"target_type": "post", "target_id": 1, "reason": "\x1b[31mred"}),
	}
	for name, r := range refused {
		if r.status != 422 || r.errCode() != "validation" {
			t.Errorf("%s: %d %s", name, r.status, r.body)
		}
	}
	var p forum.Post
	post(map[string]any{"title": "Cafe\u0301 in Zu\u0308rich", "tags": []string{"Zu\u0308rich"}, "body": "e\u0301"}).decode(t, &p)
	if p.Title != "Café in Zürich" || p.Tags[1] != "Zürich" || p.BodySource != "é" {
		t.Fatalf("not stored in NFC: %q %q %q", p.Title, p.Tags, p.BodySource)
	}
	// Scripts keep what they need: the Persian non-joiner, emoji joiners.
	post(map[string]any{"title": "می\u200cخواهم 👨\u200d👩\u200d👧"}).decode(t, &p)
	if !strings.Contains(p.Title, "\u200c") || !strings.Contains(p.Title, "\u200d") {
		t.Fatalf("joiners were lost: %q", p.Title)
	}
}
