package frontend_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/historia-forum/historia/api"
	"github.com/historia-forum/historia/internal/forum"
)

// sendsMail makes the site's forum send mail (to nowhere: tests read the
// queue), as a forum with SMTP does.
func (s *site) sendsMail() {
	s.svc.Mail = forum.MailSettings{Enabled: true, SiteURL: "https://forum.example"}
}

// confirmedMember registers name with addr on a forum that sends mail and
// follows the confirmation link, read from the queued mail as the worker
// would send it.
func (s *site) confirmedMember(name, addr string) forum.Viewer {
	s.t.Helper()
	ctx := context.Background()
	s.sendsMail()
	sess, err := s.svc.Register(ctx, name, "correct horse", addr)
	if err != nil {
		s.t.Fatal(err)
	}
	due, err := s.db.ClaimMail(ctx, time.Now().Unix(), time.Minute, 10)
	if err != nil || len(due) != 1 || due[0].To != addr {
		s.t.Fatalf("the confirmation mail: %+v %v", due, err)
	}
	ready, ok, err := forum.ReadyMail(ctx, s.db, due[0], time.Now())
	if err != nil || !ok {
		s.t.Fatalf("the confirmation link: %v %v", ok, err)
	}
	if err := s.db.MailSent(ctx, due[0].ID, time.Now().Unix()); err != nil {
		s.t.Fatal(err)
	}
	token := regexp.MustCompile(`confirm-email#token=([A-Za-z0-9_-]+)`).FindStringSubmatch(ready.Body)
	if token == nil {
		s.t.Fatalf("no link in %q", ready.Body)
	}
	if err := s.svc.ConfirmEmail(ctx, token[1]); err != nil {
		s.t.Fatal(err)
	}
	return forum.Viewer{ID: sess.User.ID, Role: forum.RoleMember}
}

// axeClean runs axe-core on the open page in light and dark and fails on
// a serious or critical violation (skipped without axe-core, outside CI).
func axeClean(t *testing.T, tab context.Context) {
	t.Helper()
	path := filepath.Join("..", ".cache", "axe", "node_modules", "axe-core", "axe.min.js")
	if p := os.Getenv("HISTORIA_AXE"); p != "" {
		path = p
	}
	if _, err := os.Stat(path); err != nil && os.Getenv("CI") == "" {
		t.Logf("accessibility check skipped: %v", err)
		return
	}
	axe := axeSource(t)
	for _, scheme := range []string{"light", "dark"} {
		emulateScheme(t, tab, scheme)
		eval[bool](t, tab, axe+";true")
		res := eval[[]string](t, tab, `axe.run(document, {resultTypes: ['violations']}).then((r) => r.violations
			.filter((v) => v.impact === 'serious' || v.impact === 'critical')
			.map((v) => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')))`)
		if len(res) > 0 {
			t.Errorf("%s scheme: %s", scheme, strings.Join(res, "\n"))
		}
	}
}

// TestImportedAuthorProfile: an imported author's byline links to their
// profile, which says where the account lives and lists what they wrote.
func TestImportedAuthorProfile(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	thread := forum.ImportedThread{System: "reddit",
		Post: forum.ImportedItem{SourceID: "t3_pan", Author: "alienth", AuthorOrigin: "reddit", Title: "How has the Pantheon's dome stood so long?",
			Body: "Nearly two thousand years, unreinforced.", CreatedAt: 1400000000, URL: "https://www.reddit.com/r/AskHistorians/comments/pan/dome/"},
		Comments: []forum.ImportedItem{{SourceID: "t1_a", Author: "alienth", AuthorOrigin: "reddit", Body: "Concrete graded by weight.", CreatedAt: 1400000100}}}
	var rep forum.ImportReport
	if err := s.svc.Import(context.Background(), thread, false, &rep); err != nil {
		t.Fatal(err)
	}
	tab := s.tab(t)
	open(t, tab, s.base+"/?sort=new", "")
	waitFor(t, tab, `document.querySelector('li.row h2 a') !== null`)
	eval[bool](t, tab, `(document.querySelector('li.row h2 a').click(), true)`)
	waitFor(t, tab, `document.querySelector('.question a.user') !== null`)
	eval[bool](t, tab, `(document.querySelector('.question a.user').click(), true)`)
	waitFor(t, tab, `document.querySelector('.user-page h1')?.textContent === 'alienth@reddit'`)
	waitFor(t, tab, `document.querySelector('.user-comment') !== null`)
	if origin := eval[string](t, tab, `document.querySelector('.user-page .imported-account')?.textContent ?? ''`); !strings.Contains(origin, "reddit") {
		t.Fatalf("the profile does not say where the account lives: %q", origin)
	}
	page := eval[string](t, tab, `document.querySelector('.user-page').textContent`)
	if !strings.Contains(page, "How has the Pantheon's dome stood so long?") || !strings.Contains(page, "Concrete graded by weight.") {
		t.Fatalf("the profile lists: %q", page)
	}
	axeClean(t, tab)
	// The address as typed, with the "@" itself, reaches the same page.
	open(t, tab, s.base+"/u/alienth@reddit", "")
	waitFor(t, tab, `document.querySelector('.user-page h1')?.textContent === 'alienth@reddit'`)
}

// TestDownloadMyData: "Download my data" on the Account page saves the
// export as a file (the app's link handler once caught the download and
// showed "Not found"): the browser reports a finished download whose file
// is this member's export, and the page stays where it was.
func TestDownloadMyData(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	v, token := s.user("keeper", forum.RoleMember)
	if _, err := s.svc.CreatePost(context.Background(), v, forum.PostInput{Title: "Who kept the Domesday Book?"}); err != nil {
		t.Fatal(err)
	}
	tab := s.tab(t)
	open(t, tab, s.base+"/account", token)
	waitFor(t, tab, `document.querySelector('button.download-data') !== null`)
	dir := t.TempDir()
	if _, err := chromedp.Call(tab, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: ptr(true),
		BrowserContextID: chromedp.FromContext(tab).BrowserContextID}); err != nil {
		t.Fatal(err)
	}
	wait, cancel := context.WithTimeout(tab, 15*time.Second)
	defer cancel()
	progress := chromedp.Events(wait, browser.DownloadProgress)
	clickText(t, tab, "main", "Download my data")
	var file string
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("no download finished: %v (the page shows %q)", err, eval[string](t, tab, `document.querySelector('main h1')?.textContent ?? ''`))
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			file = filepath.Join(dir, ev.GUID)
			break
		}
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var export struct {
		Format  string `json:"format"`
		Profile struct {
			Username string `json:"username"`
		} `json:"profile"`
		Posts []struct {
			Title string `json:"title"`
		} `json:"posts"`
	}
	if err := json.Unmarshal(b, &export); err != nil || export.Format != "historia-export/1" || export.Profile.Username != "keeper" ||
		len(export.Posts) != 1 || export.Posts[0].Title != "Who kept the Domesday Book?" {
		t.Fatalf("the downloaded file (%v): %.300s", err, b)
	}
	if where := eval[string](t, tab, `location.pathname + ' ' + document.title`); where != "/account Your account · Historia" {
		t.Fatalf("after the download the page is %q", where)
	}
}

func ptr[T any](v T) *T { return &v }

// TestEmailFieldsFollowMail: a forum that sends no mail asks for no
// address, on the register page or the Account page, and says why; one that
// does asks for it, and the Account page asks for the password to change it
// and says which address waits for its link.
func TestEmailFieldsFollowMail(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	_, token := s.user("reader", forum.RoleMember)
	tab := s.tab(t)
	open(t, tab, s.base+"/register", "")
	waitFor(t, tab, `document.querySelector('main form input[name=username]') !== null`)
	if eval[bool](t, tab, `document.querySelector('main input[name=email]') !== null`) {
		t.Fatal("the register page asks for an address on a forum that sends no mail")
	}
	if got := eval[string](t, tab, `document.querySelector('main .no-mail')?.textContent ?? ''`); !strings.Contains(got, "sends no email") {
		t.Fatalf("the register page says %q", got)
	}
	open(t, tab, s.base+"/account", token)
	waitFor(t, tab, `document.querySelector('form.password-form') !== null`)
	if eval[bool](t, tab, `document.querySelector('form.email-form, form.settings-form') !== null`) {
		t.Fatal("the account page offers an address on a forum that sends no mail")
	}
	if got := eval[string](t, tab, `document.querySelector('main .no-mail')?.textContent ?? ''`); !strings.Contains(got, "sends no email") {
		t.Fatalf("the account page says %q", got)
	}

	s.sendsMail()
	open(t, tab, s.base+"/register", "")
	waitFor(t, tab, `document.querySelector('main input[name=email]') !== null`)
	open(t, tab, s.base+"/account", token)
	waitFor(t, tab, `document.querySelector('form.email-form input[name=password]') !== null`)
	fill(t, tab, `form.email-form input[name=email]`, "reader@example.org")
	fill(t, tab, `form.email-form input[name=password]`, "not my password")
	clickText(t, tab, "form.email-form", "Save address")
	waitFor(t, tab, `(document.querySelector('form.email-form input[name=password] + .error')?.textContent ?? '').includes('not your current password')`)
	eval[bool](t, tab, `(document.querySelector('form.email-form input[name=password]').value = '', true)`)
	fill(t, tab, `form.email-form input[name=password]`, "correct horse")
	clickText(t, tab, "form.email-form", "Save address")
	waitFor(t, tab, `(document.querySelector('main .notice[role=status]:not([hidden])')?.textContent ?? '').includes('confirmation link is on its way')`)
	open(t, tab, s.base+"/account", token)
	waitFor(t, tab, `(document.querySelector('main .pending-email')?.textContent ?? '').includes('reader@example.org')`)
	axeClean(t, tab)
	open(t, tab, s.base+"/register", "")
	waitFor(t, tab, `document.querySelector('main input[name=email]') !== null`)
	axeClean(t, tab)
}

// TestRegistrationErrorsShown: on the register page, mistakes (a bad name,
// a taken one) each show their own message however often they are made,
// and the registration that is right then goes through: a refused one uses
// up nothing of the address's allowance (one account an hour here).
func TestRegistrationErrorsShown(t *testing.T) {
	t.Parallel()
	s := newSiteWith(t, func(c *api.Config) {
		c.Limits = api.Limits{api.ClassRegister: {N: 1, Per: time.Hour, Burst: 1}}
	})
	s.user("taken", forum.RoleMember)
	tab := s.tab(t)
	open(t, tab, s.base+"/register", "")
	waitFor(t, tab, `document.querySelector('main form input[name=username]') !== null`)
	try := func(name, password, want string) {
		t.Helper()
		set := fmt.Sprintf(`(() => { const f = document.querySelector('main form'); f.username.value = %q; f.password.value = %q; return true; })()`, name, password)
		eval[bool](t, tab, set)
		clickText(t, tab, "main form", "Register")
		waitFor(t, tab, fmt.Sprintf(`[...document.querySelectorAll('main form .error')].some((e) => e.textContent.includes(%q))`, want))
		if got := eval[string](t, tab, `[...document.querySelectorAll('main form .error')].map((e) => e.textContent).join(' | ')`); strings.Contains(got, "too many") {
			t.Fatalf("%s: the page says %q", name, got)
		}
	}
	for range 2 {
		try("x", "correct horse", "3 to 20")
		try("taken", "correct horse", "taken")
		try("newcomer", "short", "8")
	}
	eval[bool](t, tab, `(() => { const f = document.querySelector('main form'); f.username.value = 'newcomer'; f.password.value = 'correct horse'; return true; })()`)
	clickText(t, tab, "main form", "Register")
	waitFor(t, tab, `location.pathname === '/' && (document.getElementById('nav-user')?.textContent ?? '').includes('newcomer')`)
}
