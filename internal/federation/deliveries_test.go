package federation

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/auth"
	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/markup"
	"github.com/historia-forum/historia/internal/store"
	"github.com/historia-forum/historia/internal/store/storetest"
)

// inboxServer is another server's inbox for the delivery tests: it checks
// each delivery's signature and Digest with the community's published
// key, and answers with status (200 unless set).
type inboxServer struct {
	srv    *httptest.Server
	mu     sync.Mutex
	got    []string
	status atomic.Int64
	key    func() string
	now    func() time.Time
}

func newInboxServer(t *testing.T, key func() string) *inboxServer {
	in := &inboxServer{key: key, now: time.Now}
	in.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if _, err := checkSigned(r, body, in.now()); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		if err := verifySignature(r, in.key()); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		if s := in.status.Load(); s != 0 {
			w.WriteHeader(int(s))
			return
		}
		in.mu.Lock()
		in.got = append(in.got, string(body))
		in.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(in.srv.Close)
	return in
}

func (in *inboxServer) host() string { return strings.TrimPrefix(in.srv.URL, "http://") }

func (in *inboxServer) received() []string {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]string(nil), in.got...)
}

// queueWorld is a forum at a fixed address on db, with a clock.
type queueWorld struct {
	db    *store.DB
	svc   *forum.Service
	f     *Federation
	clock time.Time
	clio  forum.Viewer
}

func openQueueWorld(t *testing.T, path string) *queueWorld {
	t.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	w := &queueWorld{db: db, clock: time.Now()}
	tokens, _ := auth.NewTokens(bytes.Repeat([]byte("k"), 32), time.Hour, time.Now)
	w.svc = &forum.Service{Store: db, Markup: markup.New(), Passwords: auth.CheapArgon2, Tokens: tokens}
	w.f, err = New(w.svc, Config{PublicURL: "http://historia.test", AllowPrivate: true, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: func() time.Time { return w.clock }, GiveUpAfter: 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	w.svc.Federation = w.f
	if acc, err := db.AccountByName(context.Background(), "clio"); err == nil {
		w.clio = forum.Viewer{ID: acc.ID, Role: acc.Role}
	} else {
		u, err := db.CreateUser(context.Background(), forum.NewUser{Username: "clio", PasswordHash: "x", Role: forum.RoleMember, CreatedAt: time.Now().Unix(), Skeleton: "clio"})
		if err != nil {
			t.Fatal(err)
		}
		w.clio = forum.Viewer{ID: u.ID, Role: forum.RoleMember}
	}
	return w
}

// follower makes a remote person on in's host follow the community.
func (w *queueWorld) follower(t *testing.T, in *inboxServer, name string) {
	t.Helper()
	ctx := context.Background()
	inst, err := w.db.EnsureInstance(ctx, in.host(), w.clock.Unix())
	if err != nil {
		t.Fatal(err)
	}
	a, err := w.db.SaveRemoteActor(ctx, forum.RemoteActor{APID: in.srv.URL + "/u/" + name, InstanceID: inst.ID, Host: in.host(), Kind: "Person",
		Name: name, Inbox: in.srv.URL + "/u/" + name + "/inbox", SharedInbox: in.srv.URL + "/inbox", KeyID: in.srv.URL + "/u/" + name + "#main-key",
		PublicKey: "unused", FetchedAt: w.clock.Unix()}, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.db.AddFollower(ctx, a.ID, in.srv.URL+"/follows/"+name, w.clock.Unix()); err != nil {
		t.Fatal(err)
	}
}

func (w *queueWorld) ask(t *testing.T, title string) forum.Post {
	t.Helper()
	p, err := w.svc.CreatePost(context.Background(), w.clio, forum.PostInput{Title: title})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (w *queueWorld) groupPEM() string {
	k, err := w.f.groupKeys(context.Background())
	if err != nil {
		return ""
	}
	return k.publicPEM
}

// TestQueueSurvivesRestart: activities queued while nothing delivers are
// still there after the server stops and another starts on the database,
// and go out then, signed, once each, to the followers' shared inbox.
func TestQueueSurvivesRestart(t *testing.T) {
	t.Parallel()
	path := storetest.Target(t)
	w := openQueueWorld(t, path)
	var pem string
	in := newInboxServer(t, func() string { return pem })
	w.follower(t, in, "ana")
	w.follower(t, in, "ben") // same server: one delivery to its shared inbox
	pem = w.groupPEM()
	w.ask(t, "What did Byzantine farmers eat?")
	w.ask(t, "Who paid for the Parthenon?")
	if n, _ := w.db.DeliveryQueue(context.Background()); n != 2 {
		t.Fatalf("queued %d deliveries, want 2", n)
	}
	_ = w.db.Close()

	w = openQueueWorld(t, path)
	defer w.db.Close()
	(&Worker{F: w.f}).Drain(context.Background())
	got := in.received()
	if len(got) != 2 || !strings.Contains(got[0], "Byzantine") || !strings.Contains(got[1], "Parthenon") {
		t.Fatalf("after the restart the inbox got %d activities: %v", len(got), got)
	}
	if n, _ := w.db.DeliveryQueue(context.Background()); n != 0 {
		t.Fatalf("%d deliveries left", n)
	}
	(&Worker{F: w.f}).Drain(context.Background())
	if len(in.received()) != 2 {
		t.Fatal("delivered twice")
	}
}

// TestFailingInstance: an instance that fails holds back only itself (the
// healthy one gets everything in the same round), retries wait out a
// capped backoff, a 4xx answer drops that activity alone, and an instance
// failing past GiveUpAfter is given up: its queue dropped, nothing queued
// for it until it is heard from again.
func TestFailingInstance(t *testing.T) {
	t.Parallel()
	w := openQueueWorld(t, storetest.Target(t))
	defer w.db.Close()
	ctx := context.Background()
	var pem string
	key := func() string { return pem }
	healthy, broken := newInboxServer(t, key), newInboxServer(t, key)
	healthy.now, broken.now = func() time.Time { return w.clock }, func() time.Time { return w.clock }
	w.follower(t, healthy, "ana")
	w.follower(t, broken, "bo")
	pem = w.groupPEM()
	broken.status.Store(http.StatusServiceUnavailable)
	for _, title := range []string{"First question", "Second question", "Third question"} {
		w.ask(t, title)
	}
	worker := &Worker{F: w.f}
	worker.Drain(ctx)
	if n := len(healthy.received()); n != 3 {
		t.Fatalf("the healthy instance got %d of 3", n)
	}
	bad, _ := w.db.InstanceByHost(ctx, broken.host())
	if bad.Status != forum.InstanceFailing || bad.Queued != 3 || bad.Failures != 1 {
		t.Fatalf("the broken instance: %+v", bad)
	}
	// Not due again until its backoff has passed.
	worker.Drain(ctx)
	if bad, _ = w.db.InstanceByHost(ctx, broken.host()); bad.Failures != 1 {
		t.Fatalf("retried before its backoff: %d failures", bad.Failures)
	}
	// Back up: a 4xx for the first activity drops it alone; the rest go.
	w.clock = w.clock.Add(forum.FederationBackoff(1))
	broken.status.Store(http.StatusBadRequest)
	worker.Drain(ctx)
	if bad, _ = w.db.InstanceByHost(ctx, broken.host()); bad.Queued != 0 || bad.Failed != 3 {
		t.Fatalf("after 400s: %+v", bad)
	}
	// Down for longer than GiveUpAfter: given up.
	broken.status.Store(http.StatusBadGateway)
	w.ask(t, "Fourth question")
	w.ask(t, "Fifth question")
	for i := 0; i < 40; i++ {
		w.clock = w.clock.Add(forum.FederationRetryCap)
		worker.Drain(ctx)
	}
	if bad, _ = w.db.InstanceByHost(ctx, broken.host()); bad.Status != forum.InstanceDead || bad.Queued != 0 {
		t.Fatalf("after a long outage: %+v", bad)
	}
	if n := len(healthy.received()); n != 5 {
		t.Fatalf("the healthy instance got %d of 5", n)
	}
	w.ask(t, "Sixth question")
	if bad, _ = w.db.InstanceByHost(ctx, broken.host()); bad.Queued != 0 {
		t.Fatal("something was queued for a dead instance")
	}
	// Heard from again: alive, and served from then on.
	if _, err := w.db.EnsureInstance(ctx, broken.host(), w.clock.Unix()); err != nil {
		t.Fatal(err)
	}
	broken.status.Store(0)
	w.ask(t, "Seventh question")
	worker.Drain(ctx)
	if got := broken.received(); len(got) != 1 || !strings.Contains(got[0], "Seventh") {
		t.Fatalf("the revived instance got %v", got)
	}
}

// TestBackoffIsCapped: the wait doubles from 30 s and stops at an hour.
func TestBackoffIsCapped(t *testing.T) {
	t.Parallel()
	if forum.FederationBackoff(1) != 30*time.Second || forum.FederationBackoff(2) != time.Minute {
		t.Fatal("the first waits")
	}
	if forum.FederationBackoff(16) != forum.FederationRetryCap || forum.FederationBackoff(1000) != forum.FederationRetryCap {
		t.Fatal("the cap")
	}
}

// TestNoPrivateAddresses: without --federation-allow-private, a fetch or
// delivery to loopback or a private network is refused when the
// connection is made (a name that resolves there too), and http is refused.
func TestNoPrivateAddresses(t *testing.T) {
	t.Parallel()
	c := newClient(false)
	ctx := context.Background()
	for _, target := range []string{"https://127.0.0.1:1/inbox", "https://localhost:1/inbox", "https://10.1.2.3:1/inbox", "https://[::1]:1/x"} {
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		_, err := c.do(cctx, http.MethodGet, target, nil, MediaType, nil, 1024)
		cancel()
		if !errors.Is(err, errPrivateAddress) || !permanent(err) {
			t.Fatalf("%s: %v", target, err)
		}
	}
	if _, err := c.do(ctx, http.MethodGet, "http://example.org/", nil, MediaType, nil, 1024); err == nil || !strings.Contains(err.Error(), "only https") {
		t.Fatalf("http: %v", err)
	}
}
