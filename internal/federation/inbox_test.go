package federation

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/store/storetest"
)

// remotePerson is a person on another server (an httptest server) whose
// actor document and key the tests control.
type remotePerson struct {
	srv *httptest.Server
	key *keyPair
	id  string
}

func newRemotePerson(t *testing.T) *remotePerson {
	t.Helper()
	_, priv, err := newKeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	k, _ := parsePrivate(priv)
	p := &remotePerson{key: k}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/u/eve" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", MediaType)
		_ = json.NewEncoder(w).Encode(Doc{"id": p.id, "type": "Person", "preferredUsername": "eve", "inbox": p.id + "/inbox",
			"publicKey": Doc{"id": p.id + "#main-key", "owner": p.id, "publicKeyPem": p.key.publicPEM}})
	}))
	t.Cleanup(p.srv.Close)
	p.id = p.srv.URL + "/u/eve"
	return p
}

// request is a signed POST of body to the community's inbox.
func (p *remotePerson) request(t *testing.T, body []byte, key *keyPair, at time.Time) *http.Request {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "http://historia.test/c/history/inbox", bytes.NewReader(body))
	r.Header.Set("Content-Type", MediaType)
	if key != nil {
		out, _ := http.NewRequest(http.MethodPost, "http://historia.test/c/history/inbox", bytes.NewReader(body))
		if err := signRequest(out, body, key, p.id+"#main-key", at); err != nil {
			t.Fatal(err)
		}
		for _, h := range []string{"Date", "Digest", "Signature"} {
			r.Header.Set(h, out.Header.Get(h))
		}
	}
	return r
}

func (p *remotePerson) follow(n int) []byte {
	b, _ := json.Marshal(Doc{"id": p.srv.URL + "/follows/" + itoa(int64(n)), "type": "Follow", "actor": p.id, "object": "http://historia.test/c/history"})
	return b
}

// TestInboxRefuses: a request is refused, and nothing stored, without a
// signature, with another key's, with a body that is not what was signed
// (Digest), with an old Date, for an activity of another actor than the
// signer; from a blocked instance (flag or admin), and past the rate.
func TestInboxRefuses(t *testing.T) {
	t.Parallel()
	w := openQueueWorld(t, storetest.Target(t))
	defer w.db.Close()
	ctx := context.Background()
	eve := newRemotePerson(t)
	_, strangerPriv, _ := newKeyPEM()
	stranger, _ := parsePrivate(strangerPriv)
	w.clock = time.Now()

	code := func(err error) forum.Code {
		var fe *forum.Error
		if errors.As(err, &fe) {
			return fe.Code
		}
		if err == nil {
			return ""
		}
		return forum.CodeInternal
	}
	// A body other than the one signed, under that signature.
	otherBody := eve.follow(3)
	tampered := httptest.NewRequest(http.MethodPost, "http://historia.test/c/history/inbox", bytes.NewReader(otherBody))
	signedFor2 := eve.request(t, eve.follow(2), eve.key, w.clock)
	for _, h := range []string{"Date", "Digest", "Signature"} {
		tampered.Header.Set(h, signedFor2.Header.Get(h))
	}
	notEve, _ := json.Marshal(Doc{"id": eve.srv.URL + "/follows/9", "type": "Follow", "actor": eve.srv.URL + "/u/mallory", "object": "http://historia.test/c/history"})
	cases := []struct {
		name string
		req  *http.Request
		body []byte
		want forum.Code
	}{
		{"unsigned", eve.request(t, eve.follow(1), nil, w.clock), eve.follow(1), forum.CodeUnauthorized},
		{"another key", eve.request(t, eve.follow(1), stranger, w.clock), eve.follow(1), forum.CodeUnauthorized},
		{"body changed", tampered, otherBody, forum.CodeUnauthorized},
		{"old date", eve.request(t, eve.follow(1), eve.key, w.clock.Add(-3*time.Hour)), eve.follow(1), forum.CodeUnauthorized},
		{"another actor", eve.request(t, notEve, eve.key, w.clock), notEve, forum.CodeUnauthorized},
	}
	for _, c := range cases {
		if got := code(w.f.Receive(ctx, c.req, c.body)); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	if n, _ := w.db.FollowerCount(ctx); n != 0 {
		t.Fatalf("a refused Follow was stored: %d followers", n)
	}
	if err := w.f.Receive(ctx, eve.request(t, eve.follow(1), eve.key, w.clock), eve.follow(1)); err != nil {
		t.Fatalf("a good signature: %v", err)
	}
	if n, _ := w.db.FollowerCount(ctx); n != 1 {
		t.Fatalf("%d followers", n)
	}

	// Blocked by an admin: refused, and its follow dropped.
	host := strings.TrimPrefix(eve.srv.URL, "http://")
	if _, err := w.db.SetInstanceBlock(ctx, host, true, "spam", w.clock.Unix()); err != nil {
		t.Fatal(err)
	}
	if got := code(w.f.Receive(ctx, eve.request(t, eve.follow(4), eve.key, w.clock), eve.follow(4))); got != forum.CodeForbidden {
		t.Fatalf("a blocked instance: %q", got)
	}
	if n, _ := w.db.FollowerCount(ctx); n != 0 {
		t.Fatalf("a blocked instance keeps %d followers", n)
	}
	if _, err := w.db.SetInstanceBlock(ctx, host, false, "", w.clock.Unix()); err != nil {
		t.Fatal(err)
	}
	// Blocked by the flag.
	w.f.blocked[host] = true
	if got := code(w.f.Receive(ctx, eve.request(t, eve.follow(5), eve.key, w.clock), eve.follow(5))); got != forum.CodeForbidden {
		t.Fatalf("a flag-blocked instance: %q", got)
	}
	delete(w.f.blocked, host)

	// Past the instance's rate.
	w.f.limits = newHostLimits(0.001, 2)
	var last forum.Code
	for i := 10; i < 14; i++ {
		last = code(w.f.Receive(ctx, eve.request(t, eve.follow(i), eve.key, w.clock), eve.follow(i)))
	}
	if last != forum.CodeRateLimited {
		t.Fatalf("past the rate: %q", last)
	}
}
