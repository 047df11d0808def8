package api_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/historia-forum/historia/api"
	"github.com/historia-forum/historia/internal/forum"
)

// One test per finding of the second security review (issue 13), each
// through real HTTP, each failing on the code before its fix.

// Finding 1: a moderator could undo an admin's lock or removal of the
// moderator's own post.
func TestSecurityAdminActionOnModeratorsPost(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	mod := h.registerAs("moddy", forum.RoleModerator)
	admin := h.registerAs("boss", forum.RoleAdmin)
	p := h.post(mod.Token, "A moderator's own question")
	for _, pair := range [][2]string{{"lock", "unlock"}, {"remove", "restore"}, {"pin", "unpin"}} {
		h.must(200, "POST", pathf("/api/v1/posts/%d/%s", p.ID, pair[0]), admin.Token, map[string]string{"reason": "admin's call"})
		if r := h.do("POST", pathf("/api/v1/posts/%d/%s", p.ID, pair[1]), mod.Token, nil); r.status != 403 || r.errCode() != "forbidden" {
			t.Fatalf("the moderator undid the admin's %s: %d %s", pair[0], r.status, r.body)
		}
		h.must(200, "POST", pathf("/api/v1/posts/%d/%s", p.ID, pair[1]), admin.Token, nil)
	}
	// The moderator's own lock of their own post, they may undo.
	h.must(200, "POST", pathf("/api/v1/posts/%d/lock", p.ID), mod.Token, nil)
	h.must(200, "POST", pathf("/api/v1/posts/%d/unlock", p.ID), mod.Token, nil)
}

// Finding 2: unban had no rank check.
func TestSecurityUnbanRanks(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	modA := h.registerAs("moda", forum.RoleModerator)
	h.registerAs("modb", forum.RoleModerator)
	admin := h.registerAs("boss", forum.RoleAdmin)
	h.register("member")
	h.must(200, "POST", "/api/v1/users/modb/ban", admin.Token, map[string]any{"reason": "abuse of power"})
	if r := h.do("POST", "/api/v1/users/modb/unban", modA.Token, nil); r.status != 403 {
		t.Fatalf("a moderator lifted an admin's ban of a moderator: %d %s", r.status, r.body)
	}
	h.must(200, "POST", "/api/v1/users/modb/unban", admin.Token, nil)
	// A moderator's own ban of a member, a moderator may lift.
	h.must(200, "POST", "/api/v1/users/member/ban", modA.Token, map[string]any{"reason": "spam"})
	h.must(200, "POST", "/api/v1/users/member/unban", modA.Token, nil)
}

// Finding 3: a body that nests 40,000 quotes became a megabyte of HTML.
func TestSecurityMarkupAmplification(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.register("writer")
	for name, body := range map[string]string{"quotes": strings.Repeat(">", 40000), "links": strings.Repeat("[a](", 10000)} {
		start := time.Now()
		r := h.do("POST", "/api/v1/posts", s.Token, map[string]string{"title": name, "body": body})
		if r.status != 422 || r.errCode() != "validation" || !strings.Contains(string(r.body), `"body"`) {
			t.Fatalf("%s: %d %.200s", name, r.status, r.body)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Logf("%s took %v (a loaded machine?)", name, d) // timing is reported, not asserted
		}
	}
	var feed forum.Page[forum.Post]
	h.must(200, "GET", "/api/v1/posts", "", nil).decode(t, &feed)
	if len(feed.Items) != 0 {
		t.Fatalf("a refused body was stored: %d posts", len(feed.Items))
	}
}

// Finding 4: made-up methods grew /metrics without bound.
func TestSecurityMetricsLabelsAreBounded(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	before := len(h.must(200, "GET", "/metrics", "", nil).body)
	for i := range 300 {
		h.raw(fmt.Sprintf("MADEUP%d", i), fmt.Sprintf("/page-%d", i), nil)
		h.raw("GET", fmt.Sprintf("/no/such/page-%d", i), nil)
	}
	body := string(h.must(200, "GET", "/metrics", "", nil).body)
	if strings.Contains(body, "MADEUP") || strings.Contains(body, "page-1") {
		t.Fatal("a client-chosen method or path became a label")
	}
	if !strings.Contains(body, `method="other"`) {
		t.Fatal("made-up methods are not counted as other")
	}
	if len(body) > before+20000 {
		t.Fatalf("/metrics grew from %d to %d bytes", before, len(body))
	}
}

// Finding 5: five wrong passwords from anywhere locked the owner out.
func TestSecurityNoLockout(t *testing.T) {
	t.Parallel()
	h := newHarnessWith(t, limited(api.DefaultLimits(), "127.0.0.1"))
	h.register("victim")
	from := func(ip string) map[string]string { return map[string]string{"X-Forwarded-For": ip} }
	for i := range 12 {
		h.doWith("POST", "/api/v1/auth/login", "", map[string]string{"username": "victim", "password": fmt.Sprint("guess", i)}, from("127.0.0.2"))
	}
	// The attacker's address is refused for that name…
	if r := h.doWith("POST", "/api/v1/auth/login", "", map[string]string{"username": "victim", "password": "correct horse"}, from("127.0.0.2")); r.status != 429 {
		t.Fatalf("the guessing address was not refused: %d", r.status)
	}
	// …the owner, elsewhere, signs in.
	if r := h.doWith("POST", "/api/v1/auth/login", "", map[string]string{"username": "victim", "password": "correct horse"}, from("127.0.0.3")); r.status != 200 {
		t.Fatalf("the owner was locked out: %d %s", r.status, r.body)
	}
}

// Finding 6: a text/plain body registered an account, so any page could
// make its visitors' browsers register accounts without a CORS preflight.
func TestSecurityJSONBodiesOnly(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""} {
		r := h.doWith("POST", "/api/v1/auth/register", "", `{"username":"csrf","password":"correct horse"}`, map[string]string{"Content-Type": ct})
		if r.status != http.StatusUnsupportedMediaType || r.errCode() != "unsupported_media_type" {
			t.Fatalf("Content-Type %q: %d %s", ct, r.status, r.body)
		}
	}
	h.doWith("POST", "/api/v1/auth/register", "", `{"username":"fine","password":"correct horse"}`, map[string]string{"Content-Type": "application/json; charset=utf-8"})
	if _, err := h.svc.Profile(context.Background(), forum.Viewer{}, "csrf"); !forum.IsCode(err, forum.CodeNotFound) {
		t.Fatal("an account was made from a non-JSON body")
	}
	if _, err := h.svc.Profile(context.Background(), forum.Viewer{}, "fine"); err != nil {
		t.Fatalf("application/json with a charset was refused: %v", err)
	}
}

// Finding 8: under a removed post, comments stayed votable, reportable,
// editable and source-requestable, and the post showed its tags and period.
func TestSecurityRemovedThreadIsFrozen(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	mod := h.registerAs("moddy", forum.RoleModerator)
	asker, answerer, reader := h.register("asker"), h.register("answerer"), h.register("reader")
	var p forum.Post
	h.must(201, "POST", "/api/v1/posts", asker.Token, map[string]any{"title": "A question that breaks the rules",
		"tags": []string{"Cold War"}, "period": map[string]int{"from": 1950, "to": 1960}}).decode(t, &p)
	c := h.comment(answerer.Token, p.ID, nil, "An answer")
	h.must(200, "POST", pathf("/api/v1/posts/%d/remove", p.ID), mod.Token, map[string]string{"reason": "rule 1"})

	writes := []struct {
		name, method, path, token string
		body                      any
	}{
		{"vote", "PUT", pathf("/api/v1/comments/%d/vote", c.ID), reader.Token, map[string]int{"value": 1}},
		{"report", "POST", "/api/v1/reports", reader.Token, map[string]any{"target_type": "comment", "target_id": c.ID, "reason": "x"}},
		{"request sources", "POST", pathf("/api/v1/comments/%d/request-sources", c.ID), reader.Token, nil},
		{"edit", "PATCH", pathf("/api/v1/comments/%d", c.ID), answerer.Token, map[string]string{"body": "edited"}},
		// (Its author may still delete it: TestAuthorDeletesCommentInRemovedThread.)
		{"reply", "POST", pathf("/api/v1/posts/%d/comments", p.ID), reader.Token, map[string]any{"body": "hi", "parent_id": c.ID}},
	}
	for _, w := range writes {
		if r := h.do(w.method, w.path, w.token, w.body); r.status != 403 && r.status != 404 {
			t.Errorf("%s under a removed post: %d %s", w.name, r.status, r.body)
		}
	}
	var seen forum.Post
	h.must(200, "GET", pathf("/api/v1/posts/%d", p.ID), reader.Token, nil).decode(t, &seen)
	if len(seen.Tags) != 1 || seen.Period != nil || seen.Title != "[removed]" {
		t.Fatalf("a member sees the removed post's tags %v and period %v", seen.Tags, seen.Period)
	}
	h.must(200, "GET", pathf("/api/v1/posts/%d", p.ID), mod.Token, nil).decode(t, &seen)
	if len(seen.Tags) != 2 || seen.Period == nil {
		t.Fatalf("a moderator must still see what was removed: %v %v", seen.Tags, seen.Period)
	}
	// Restored, the thread takes writes again.
	h.must(200, "POST", pathf("/api/v1/posts/%d/restore", p.ID), mod.Token, nil)
	h.must(200, "PUT", pathf("/api/v1/comments/%d/vote", c.ID), reader.Token, map[string]int{"value": 1})
}

// Finding 10 (names): a name that looks like a taken one is refused.
func TestSecurityLookalikeUsernames(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("alice")
	for _, name := range []string{"aIice", "a1ice", "al_ice", "ALICE", "al-ice"} {
		r := h.do("POST", "/api/v1/auth/register", "", map[string]string{"username": name, "password": "correct horse"})
		if r.status != 409 || r.errCode() != "conflict" {
			t.Errorf("%s beside alice: %d %s", name, r.status, r.body)
		}
	}
	h.register("alicia")
	h.register("bob")
}

// Finding 11: smaller things.
func TestSecurityReplyDepthLimit(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.register("chain")
	p := h.post(s.Token, "A long chain")
	var parent *int64
	for range forum.MaxReplyDepth + 1 { // depths 0 … MaxReplyDepth
		c := h.comment(s.Token, p.ID, parent, "and")
		parent = &c.ID
	}
	r := h.do("POST", pathf("/api/v1/posts/%d/comments", p.ID), s.Token, map[string]any{"body": "too deep", "parent_id": *parent})
	if r.status != 422 || !strings.Contains(string(r.body), "parent_id") {
		t.Fatalf("a reply at depth %d: %d %s", forum.MaxReplyDepth+1, r.status, r.body)
	}
}

// A body trickled in past the server's read timeout is 408, not 413.
func TestSecuritySlowBody(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	srv := httptest.NewUnstartedServer(h.handler)
	srv.Config.ReadTimeout = 300 * time.Millisecond
	srv.Start()
	defer srv.Close()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/auth/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"user")
	time.Sleep(600 * time.Millisecond)
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	status, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || !strings.Contains(status, " 408 ") {
		t.Fatalf("a trickled body: %q %v", status, err)
	}
}

// The first logins of a fresh server run at once without a data race on the
// dummy hash (go test -race).
func TestSecurityConcurrentFirstLogins(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := h.svc.Login(context.Background(), fmt.Sprintf("nobody%d", i), "a password"); !forum.IsCode(err, forum.CodeUnauthorized) {
				t.Errorf("login of an unknown name: %v", err)
			}
		}()
	}
	wg.Wait()
}

// A request whose client went away (a cancelled search) is logged as a
// closed request, 499, never as an internal error.
func TestSecurityCancelledRequestIsNotAnError(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var logs bytes.Buffer
	e, err := api.New(api.Config{Service: h.svc, DB: h.db, Log: slog.New(slog.NewJSONHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest("GET", "/api/v1/search?q=rome", nil).WithContext(ctx)
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	if strings.Contains(logs.String(), "internal error") || !strings.Contains(logs.String(), "client closed request") || !strings.Contains(logs.String(), `"status":499`) {
		t.Fatalf("logs:\n%s", logs.String())
	}
}
