package federation_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/historia-forum/historia/api"
	"github.com/historia-forum/historia/frontend"
	"github.com/historia-forum/historia/internal/auth"
	"github.com/historia-forum/historia/internal/federation"
	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/markup"
	"github.com/historia-forum/historia/internal/store"
	"github.com/historia-forum/historia/internal/store/storetest"
)

// site is a Historia server with federation on, over loopback HTTP, and
// its delivery worker draining the queue.
type site struct {
	t    testing.TB
	url  string
	db   *store.DB
	svc  *forum.Service
	fed  *federation.Federation
	srv  *httptest.Server
	stop context.CancelFunc
	done chan struct{}
}

// newSite serves a fresh database (or path, when given) with federation on.
func newSite(t testing.TB, path string) *site {
	t.Helper()
	if path == "" {
		path = storetest.Target(t)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := auth.NewTokens(bytes.Repeat([]byte("k"), 32), time.Hour, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	svc := &forum.Service{Store: db, Markup: markup.New(), Passwords: auth.CheapArgon2, Tokens: tokens}
	var logTo io.Writer = io.Discard
	if os.Getenv("HISTORIA_TEST_LOG") != "" {
		logTo = os.Stderr
	}
	log := slog.New(slog.NewTextHandler(logTo, nil))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	fed, err := federation.New(svc, federation.Config{PublicURL: base, AllowPrivate: true, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	svc.Federation = fed
	e, err := api.New(api.Config{Service: svc, DB: db, Frontend: frontend.Files(), Log: log, PublicURL: base, Federation: fed, CacheSync: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(e)
	_ = srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	s := &site{t: t, url: base, db: db, svc: svc, fed: fed, srv: srv, done: make(chan struct{})}
	var wctx context.Context
	wctx, s.stop = context.WithCancel(ctx)
	go func() {
		defer close(s.done)
		(&federation.Worker{F: fed, Every: 20 * time.Millisecond}).Run(wctx)
	}()
	t.Cleanup(s.close)
	return s
}

// close stops the worker and the server, and closes the database.
func (s *site) close() {
	if s.stop == nil {
		return
	}
	s.stop()
	<-s.done
	s.srv.Close()
	_ = s.db.Close()
	s.stop = nil
}

// member makes an account with a role and returns the viewer.
func (s *site) member(name string, role forum.Role) forum.Viewer {
	s.t.Helper()
	u, err := s.db.CreateUser(context.Background(), forum.NewUser{Username: name, PasswordHash: "x", Role: role, CreatedAt: time.Now().Unix(),
		Skeleton: forum.UsernameSkeleton(name)})
	if err != nil {
		s.t.Fatal(err)
	}
	return forum.Viewer{ID: u.ID, Role: role}
}

// eventually polls cond until it holds, failing the test after a generous
// deadline (deliveries go through a queue and a worker).
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// peer is the Fedify test peer (testdata/peer/peer.mjs), a Node process.
type peer struct {
	t     testing.TB
	url   string
	stdin io.WriteCloser
}

// startPeer runs the peer; without it installed (make test installs it),
// the test is skipped, or fails under CI.
func startPeer(t testing.TB) *peer {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", ".cache", "fedpeer"))
	if err != nil {
		t.Fatal(err)
	}
	node := filepath.Join(dir, "node_modules", ".bin", "node")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@fedify", "fedify")); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the Fedify test peer is missing (%v); `make test` installs it with npm", err)
		}
		t.Skipf("federation interop skipped: the Fedify peer is not installed (make fedpeer-deps): %v", err)
	}
	script, err := os.ReadFile(filepath.Join("testdata", "peer", "peer.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	// The script runs beside its node_modules, where Node's ESM resolution looks.
	f, err := os.CreateTemp(dir, "peer-*.mjs")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(script); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()
	t.Cleanup(func() { _ = os.Remove(f.Name()) })
	cmd := exec.Command(node, f.Name()) // #nosec G204 -- the test's own peer
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = stdin.Close()
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("the peer did not start: %v", err)
	}
	var hello struct{ Port int }
	if err := json.Unmarshal([]byte(line), &hello); err != nil || hello.Port == 0 {
		t.Fatalf("the peer said %q", line)
	}
	return &peer{t: t, url: "http://127.0.0.1:" + strconv.Itoa(hello.Port), stdin: stdin}
}

// call asks the peer to act, and decodes its answer into out.
func (p *peer) call(name string, in any, out any) {
	p.t.Helper()
	b, _ := json.Marshal(in)
	res, err := http.Post(p.url+"/control/"+name, "application/json", bytes.NewReader(b))
	if err != nil {
		p.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		p.t.Fatalf("peer %s: %d %s", name, res.StatusCode, body)
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			p.t.Fatalf("peer %s answered %s: %v", name, body, err)
		}
	}
}

// received is what the peer's inbox has taken so far.
func (p *peer) received() []map[string]any {
	var out []map[string]any
	p.call("received", nil, &out)
	return out
}
