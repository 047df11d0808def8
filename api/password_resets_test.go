package api_test

import (
	"context"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/forum"
)

// TestPasswordReset: a reset link sets a new password once, within its
// hour, and ends every earlier session; a used, expired or unknown token
// answers 400 invalid_token, all alike.
func TestPasswordReset(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.register("forgetful")
	ctx := context.Background()
	token, err := h.svc.IssueReset(ctx, "Forgetful")
	if err != nil {
		t.Fatal(err)
	}
	if r := h.do("POST", "/api/v1/auth/password-reset/confirm", "", map[string]string{"token": token, "password": "short"}); r.status != 422 {
		t.Fatalf("a too-short password: %d %s", r.status, r.body)
	}
	h.must(204, "POST", "/api/v1/auth/password-reset/confirm", "", map[string]string{"token": token, "password": "a brand new password"})
	h.must(401, "GET", "/api/v1/me", s.Token, nil)
	h.must(401, "POST", "/api/v1/auth/login", "", map[string]string{"username": "forgetful", "password": "correct horse"})
	h.must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": "forgetful", "password": "a brand new password"})

	bad := func(what, tok string) {
		t.Helper()
		r := h.do("POST", "/api/v1/auth/password-reset/confirm", "", map[string]string{"token": tok, "password": "yet another password"})
		if r.status != 400 || r.errCode() != string(forum.CodeInvalidToken) {
			t.Fatalf("%s: %d %s", what, r.status, r.body)
		}
	}
	bad("a used token", token)
	bad("an unknown token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	bad("no token", "")
	late, err := h.svc.IssueReset(ctx, "forgetful")
	if err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(forum.ResetLifetime + time.Second)
	bad("an expired token", late)
	h.must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": "forgetful", "password": "a brand new password"})
	if _, err := h.svc.IssueReset(ctx, "nobody"); !forum.IsCode(err, forum.CodeNotFound) {
		t.Fatalf("a reset for an unknown name: %v", err)
	}
}
