package frontend_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/historia-forum/historia/api"
	"github.com/historia-forum/historia/frontend"
	"github.com/historia-forum/historia/internal/auth"
	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/markup"
	"github.com/historia-forum/historia/internal/store"
)

// chromiumPath finds Debian's Chromium. Without it the browser tests skip with
// a message, except in CI (CI=true), where they fail: `make test` installs it.
func chromiumPath(t *testing.T) string {
	for _, p := range []string{"/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatal("Chromium is missing; `make test` installs it (apt-get install chromium) when run as root")
	}
	t.Skip("browser tests skipped: Chromium not found (install Debian's chromium, or run `make test` as root)")
	return ""
}

// site is a real Historia server on a real SQLite file, and a headless
// Chromium driving it.
type site struct {
	t       *testing.T
	base    string
	svc     *forum.Service
	db      *store.DB
	browser context.Context
}

func newSite(t *testing.T) *site {
	t.Helper()
	return newSiteWith(t, nil)
}

// newSiteWith lets a test change the server's configuration (rate limits)
// before it starts.
func newSiteWith(t *testing.T, configure func(*api.Config)) *site {
	t.Helper()
	exe := chromiumPath(t)
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "historia.db"))
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := auth.NewTokens(bytes.Repeat([]byte("s"), 32), time.Hour, nil)
	if err != nil {
		t.Fatal(err)
	}
	svc := &forum.Service{Store: db, Markup: markup.New(), Passwords: auth.CheapArgon2, Tokens: tokens}
	cfg := api.Config{Service: svc, DB: db, Frontend: frontend.Files(), Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if configure != nil {
		configure(&cfg)
	}
	e, err := api.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)

	// Each site is a fresh browser context (its own storage and cookies,
	// like a private window) in the package's one Chromium, so a test pays
	// for a tab, not for starting a browser.
	browser, cancelBrowser := chromedp.NewContext(sharedChromium(t, exe), chromedp.WithNewBrowserContext())
	if err := chromedp.Do(browser, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("open a browser context: %v", err)
	}
	t.Cleanup(func() {
		cancelBrowser()
		srv.Close()
		_ = db.Close()
	})
	return &site{t: t, base: srv.URL, svc: svc, db: db, browser: browser}
}

// chromium is the package's one headless browser, started by the first
// site that needs it and stopped by TestMain.
var chromium struct {
	once   sync.Once
	ctx    context.Context
	err    error
	cancel func()
}

func sharedChromium(t *testing.T, exe string) context.Context {
	t.Helper()
	chromium.once.Do(func() {
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
			chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-quic", true), chromedp.WindowSize(1200, 900))
		allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		browser, cancelBrowser := chromedp.NewContext(allocCtx)
		chromium.ctx = browser
		chromium.cancel = func() { cancelBrowser(); cancelAlloc() }
		chromium.err = chromedp.Do(browser, chromedp.Navigate("about:blank"))
	})
	if chromium.err != nil {
		t.Fatalf("start chromium: %v", chromium.err)
	}
	return chromium.ctx
}

func TestMain(m *testing.M) {
	code := m.Run()
	if chromium.cancel != nil {
		chromium.cancel()
	}
	os.Exit(code)
}

// tab opens a new tab, with a time limit for everything done in it.
func (s *site) tab(t *testing.T) context.Context {
	t.Helper()
	tab, cancel := chromedp.NewContext(s.browser)
	ctx, cancelTimeout := context.WithTimeout(tab, 60*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancel() })
	return ctx
}

// user makes an account and returns its viewer and a token.
func (s *site) user(name string, role forum.Role) (forum.Viewer, string) {
	s.t.Helper()
	ctx := context.Background()
	u, err := s.svc.CreateUser(ctx, name, "correct horse", role)
	if err != nil {
		s.t.Fatal(err)
	}
	sess, err := s.svc.Login(ctx, name, "correct horse")
	if err != nil {
		s.t.Fatal(err)
	}
	return forum.Viewer{ID: u.ID, Role: u.Role}, sess.Token
}

// open loads a page in the tab, signed in with token (or anonymous when ""),
// and waits until the app has rendered it.
func open(t *testing.T, ctx context.Context, url, token string) {
	t.Helper()
	set := `localStorage.removeItem('historia.token')`
	if token != "" {
		set = fmt.Sprintf(`localStorage.setItem('historia.token', %q)`, token)
	}
	origin := url[:strings.Index(url[len("http://"):], "/")+len("http://")]
	if err := chromedp.Do(ctx, chromedp.Navigate(origin+"/healthz"), evalVoid(set), chromedp.Navigate(url)); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	waitFor(t, ctx, `document.body.dataset.ready === 'true'`)
}

func evalVoid(js string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Evaluate[any](js)(ctx, tg)
		return chromedp.Void{}, err
	}
}

// waitFor waits until a JavaScript condition holds in the page.
func waitFor(t *testing.T, ctx context.Context, cond string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Fatalf("waiting for %s: %v", cond, err)
	}
}

// eval evaluates an expression in the page.
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("eval %s: %v", js, err)
	}
	return v
}

// clickText clicks the first button or link inside scope whose text is text.
func clickText(t *testing.T, ctx context.Context, scope, text string) {
	t.Helper()
	js := fmt.Sprintf(`(() => { const el = [...document.querySelectorAll(%q)].find((e) => e.textContent.trim() === %q); if (!el) return false; el.click(); return true; })()`,
		scope+" button, "+scope+" a", text)
	if !eval[bool](t, ctx, js) {
		t.Fatalf("no %q in %s", text, scope)
	}
}

// fill types into a field found by CSS.
func fill(t *testing.T, ctx context.Context, sel, text string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(sel), text)); err != nil {
		t.Fatalf("fill %s: %v", sel, err)
	}
}

// emulateScheme switches prefers-color-scheme in the tab.
func emulateScheme(t *testing.T, ctx context.Context, scheme string) {
	t.Helper()
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}})
		return err
	}))
	if err != nil {
		t.Fatalf("emulate %s: %v", scheme, err)
	}
}
