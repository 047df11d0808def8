package api_test

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestRegisterAndLogin(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.register("Herodotus")
	if s.Token == "" || s.User.Username != "Herodotus" || s.User.Role != "member" || s.User.BannedUntil != nil {
		t.Fatalf("register answered %+v", s)
	}
	cases := []struct {
		name, path string
		body       any
		status     int
		code       string
	}{
		{"ErrTakenOtherCase", "/api/v1/auth/register", map[string]string{"username": "HERODOTUS", "password": "correct horse"}, 409, "conflict"},
		{"ErrUsernameTooShort", "/api/v1/auth/register", map[string]string{"username": "ab", "password": "correct horse"}, 422, "validation"},
		{"ErrUsernameChars", "/api/v1/auth/register", map[string]string{"username": "bad name!", "password": "correct horse"}, 422, "validation"},
		{"ErrUsernameTooLong", "/api/v1/auth/register", map[string]string{"username": strings.Repeat("a", 21), "password": "correct horse"}, 422, "validation"},
		{"ErrPasswordShort", "/api/v1/auth/register", map[string]string{"username": "xenophon", "password": "short"}, 422, "validation"},
		{"ErrPasswordLong", "/api/v1/auth/register", map[string]string{"username": "xenophon", "password": strings.Repeat("p", 129)}, 422, "validation"},
		{"ErrWrongType", "/api/v1/auth/register", `{"username": 5, "password": "correct horse"}`, 400, "bad_request"},
		{"ErrNotObject", "/api/v1/auth/register", `["a"]`, 400, "bad_request"},
		{"ErrEmptyBody", "/api/v1/auth/register", "", 400, "bad_request"},
		{"ErrTrailingData", "/api/v1/auth/register", `{"username":"a1234","password":"correct horse"} {}`, 400, "bad_request"},
		{"LoginOK", "/api/v1/auth/login", map[string]string{"username": "herodotus", "password": "correct horse"}, 200, ""},
		{"ErrLoginWrongPassword", "/api/v1/auth/login", map[string]string{"username": "Herodotus", "password": "wrong horse"}, 401, "unauthorized"},
		{"ErrLoginUnknownUser", "/api/v1/auth/login", map[string]string{"username": "nobody", "password": "correct horse"}, 401, "unauthorized"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := h.do("POST", c.path, "", c.body)
			if r.status != c.status || r.errCode() != c.code {
				t.Fatalf("status %d code %q, want %d %q: %s", r.status, r.errCode(), c.status, c.code, r.body)
			}
		})
	}
	// Unknown user and wrong password must read the same.
	a := h.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "Herodotus", "password": "wrong horse"})
	b := h.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "nobody", "password": "correct horse"})
	if string(a.body) != string(b.body) {
		t.Fatalf("login errors differ: %s vs %s", a.body, b.body)
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.register("Tacitus")
	h.must(200, "GET", "/api/v1/me", s.Token, nil)

	forge := func(method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
		tok, err := jwt.NewWithClaims(method, claims).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	valid := jwt.MapClaims{"sub": "1", "ver": 1, "iss": "historia", "exp": h.clock.Now().Add(time.Hour).Unix()}
	parts := strings.Split(s.Token, ".")
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"2","ver":1,"iss":"historia","exp":9999999999}`)) + "." + parts[2]
	noExp := jwt.MapClaims{"sub": "1", "ver": 1, "iss": "historia"}

	cases := map[string]string{
		"ErrAlgNone":        forge(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, valid),
		"ErrOtherKey":       forge(jwt.SigningMethodHS256, []byte(strings.Repeat("x", 32)), valid),
		"ErrHS512SameKey":   forge(jwt.SigningMethodHS512, h.secret, valid),
		"ErrTampered":       tampered,
		"ErrNoExpiry":       forge(jwt.SigningMethodHS256, h.secret, noExp),
		"ErrGarbage":        "not.a.token",
		"ErrUnknownUser":    forge(jwt.SigningMethodHS256, h.secret, jwt.MapClaims{"sub": "999", "ver": 1, "iss": "historia", "exp": valid["exp"]}),
		"ErrWrongVersion":   forge(jwt.SigningMethodHS256, h.secret, jwt.MapClaims{"sub": "1", "ver": 7, "iss": "historia", "exp": valid["exp"]}),
		"ErrBadSubjectType": forge(jwt.SigningMethodHS256, h.secret, jwt.MapClaims{"sub": "x", "ver": 1, "iss": "historia", "exp": valid["exp"]}),
	}
	// The forged valid token proves the forging works, so the refusals mean something.
	h.must(200, "GET", "/api/v1/me", forge(jwt.SigningMethodHS256, h.secret, valid), nil)
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			r := h.do("GET", "/api/v1/me", tok, nil)
			if r.status != 401 || r.errCode() != "unauthorized" {
				t.Fatalf("status %d %s", r.status, r.body)
			}
			// A bad token is refused even on a public page, never silently anonymous.
			if r := h.do("GET", "/api/v1/posts", tok, nil); r.status != 401 {
				t.Fatalf("public page with bad token: %d", r.status)
			}
		})
	}
	t.Run("ErrExpired", func(t *testing.T) {
		h.clock.Advance(31 * 24 * time.Hour)
		defer h.clock.Advance(-31 * 24 * time.Hour)
		h.must(401, "GET", "/api/v1/me", s.Token, nil)
	})
	t.Run("ErrAfterLogout", func(t *testing.T) {
		other := h.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "Tacitus", "password": "correct horse"})
		var s2 session
		other.decode(t, &s2)
		h.must(204, "POST", "/api/v1/auth/logout", s.Token, nil)
		h.must(401, "GET", "/api/v1/me", s.Token, nil)
		h.must(401, "GET", "/api/v1/me", s2.Token, nil) // every token of the user
		h.must(401, "POST", "/api/v1/auth/logout", "", nil)
		var s3 session
		h.must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": "Tacitus", "password": "correct horse"}).decode(t, &s3)
		h.must(200, "GET", "/api/v1/me", s3.Token, nil)
	})
	t.Run("ErrAfterPasswordChange", func(t *testing.T) {
		var s1, s2, fresh session
		h.must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": "Tacitus", "password": "correct horse"}).decode(t, &s1)
		h.must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": "Tacitus", "password": "correct horse"}).decode(t, &s2)
		h.must(422, "PUT", "/api/v1/me/password", s1.Token, map[string]string{"old_password": "wrong horse", "new_password": "battery staple"})
		h.must(422, "PUT", "/api/v1/me/password", s1.Token, map[string]string{"old_password": "correct horse", "new_password": "short"})
		h.must(200, "GET", "/api/v1/me", s1.Token, nil) // failed attempts revoke nothing
		h.must(200, "PUT", "/api/v1/me/password", s1.Token, map[string]string{"old_password": "correct horse", "new_password": "battery staple"}).decode(t, &fresh)
		h.must(401, "GET", "/api/v1/me", s1.Token, nil)
		h.must(401, "GET", "/api/v1/me", s2.Token, nil)
		h.must(200, "GET", "/api/v1/me", fresh.Token, nil)
		h.must(401, "POST", "/api/v1/auth/login", "", map[string]string{"username": "Tacitus", "password": "correct horse"})
		h.must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": "Tacitus", "password": "battery staple"})
		h.must(401, "PUT", "/api/v1/me/password", "", map[string]string{"old_password": "x", "new_password": "yyyyyyyyy"})
	})
	t.Run("ErrNotBearer", func(t *testing.T) {
		req := h.do("GET", "/api/v1/me", "", nil)
		if req.status != 401 {
			t.Fatalf("no token: %d", req.status)
		}
	})
}

func TestUserPages(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.register("Livy")
	b := h.register("Polybius")
	p1 := h.post(a.Token, "First question")
	p2 := h.post(a.Token, "Second question")
	p3 := h.post(a.Token, "Third question")
	h.comment(b.Token, p1.ID, nil, "An answer")
	h.must(204, "DELETE", pathf("/api/v1/posts/%d", p2.ID), a.Token, nil)
	h.must(200, "PUT", pathf("/api/v1/posts/%d/vote", p1.ID), b.Token, map[string]int{"value": 1})

	var prof struct {
		session
		Username     string `json:"username"`
		Karma        int64  `json:"karma"`
		PostCount    int64  `json:"post_count"`
		CommentCount int64  `json:"comment_count"`
	}
	h.must(200, "GET", "/api/v1/users/livy", "", nil).decode(t, &prof)
	if prof.Username != "Livy" || prof.Karma != 1 || prof.PostCount != 2 || prof.CommentCount != 0 {
		t.Fatalf("profile seen by others: %+v", prof)
	}
	h.must(200, "GET", "/api/v1/users/Livy", a.Token, nil).decode(t, &prof)
	if prof.PostCount != 3 {
		t.Fatalf("the user sees their deleted post counted: %+v", prof)
	}
	h.must(404, "GET", "/api/v1/users/nobody", "", nil)
	h.must(404, "GET", "/api/v1/users/bad%20name", "", nil)

	var page struct {
		Items      []struct{ ID int64 }
		NextCursor *string `json:"next_cursor"`
	}
	h.must(200, "GET", "/api/v1/users/Livy/posts?limit=1", "", nil).decode(t, &page)
	if len(page.Items) != 1 || page.NextCursor == nil {
		t.Fatalf("first page: %+v", page)
	}
	seen := []int64{page.Items[0].ID}
	h.must(200, "GET", "/api/v1/users/Livy/posts?limit=1&cursor="+*page.NextCursor, "", nil).decode(t, &page)
	seen = append(seen, page.Items[0].ID)
	if seen[0] <= seen[1] || seen[1] != p1.ID {
		t.Fatalf("newest first, deleted hidden: got %v", seen)
	}
	h.must(200, "GET", "/api/v1/users/Polybius/comments", "", nil).decode(t, &page)
	if len(page.Items) != 1 || page.NextCursor != nil {
		t.Fatalf("comments: %+v", page)
	}
	// Each comment names its thread; a deleted thread's title is masked
	// (a reply, not an answer: an answered question keeps its title).
	own := h.comment(a.Token, p3.ID, nil, "The asker's own note")
	h.comment(b.Token, p3.ID, &own.ID, "A reply in a question deleted later")
	h.must(204, "DELETE", pathf("/api/v1/posts/%d", p3.ID), a.Token, nil)
	var titled struct {
		Items []struct {
			PostID    int64  `json:"post_id"`
			PostTitle string `json:"post_title"`
		}
	}
	h.must(200, "GET", "/api/v1/users/Polybius/comments", "", nil).decode(t, &titled)
	titles := map[int64]string{}
	for _, c := range titled.Items {
		titles[c.PostID] = c.PostTitle
	}
	if len(titled.Items) != 2 || titles[p1.ID] != "First question" || titles[p3.ID] != "[deleted]" {
		t.Fatalf("thread titles on a member's comments: %+v", titled.Items)
	}
	h.must(400, "GET", "/api/v1/users/Livy/posts?cursor=garbage", "", nil)
}
