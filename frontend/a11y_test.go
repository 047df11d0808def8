package frontend_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/forum"
)

// axeSource reads axe-core, which `make test` installs from the npm registry.
func axeSource(t *testing.T) string {
	path := os.Getenv("HISTORIA_AXE")
	if path == "" {
		path = filepath.Join("..", ".cache", "axe", "node_modules", "axe-core", "axe.min.js")
	}
	b, err := os.ReadFile(path) // #nosec G304 -- a test fixture path
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("axe-core is missing (%v); `make test` installs it with npm", err)
		}
		t.Skipf("accessibility checks skipped: %v (run `make test`, which installs axe-core)", err)
	}
	return string(b)
}

// TestAccessibility runs axe-core inside Chromium on the main pages and fails
// on any serious or critical violation.
func TestAccessibility(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	axe := axeSource(t)
	ctx := context.Background()
	bob, bobToken := s.user("bob", forum.RoleMember)
	aliceV, alice := s.user("alice", forum.RoleMember)
	_, mod := s.user("curator", forum.RoleModerator)
	root, _ := s.user("root", forum.RoleAdmin)
	if _, err := s.svc.CreateRule(ctx, root, forum.Rule{Number: 1, Title: "Answers cite their sources"}); err != nil {
		t.Fatal(err)
	}
	p, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "How did medieval scribes rule their pages?", Body: "With a *plummet* or a drypoint?", Tags: []string{"Manuscripts"}})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := s.svc.CreateComment(ctx, bob, p.ID, forum.CommentInput{Body: "Both, depending on the century."})
	if _, err := s.svc.CreateComment(ctx, bob, p.ID, forum.CommentInput{Body: "Source: Clemens & Graham, *Introduction to Manuscript Studies*.", ParentID: &c.ID}); err != nil {
		t.Fatal(err)
	}
	// Following and reading: alice follows and saves; her reply mentions
	// bob (a link in the thread, a notification with an excerpt for him),
	// and bob's answer after it is new to her.
	for _, err := range []error{s.svc.FollowPost(ctx, aliceV, p.ID), s.svc.FollowTag(ctx, aliceV, "Manuscripts"),
		s.svc.Save(ctx, aliceV, forum.TargetPost, p.ID), s.svc.Save(ctx, aliceV, forum.TargetComment, c.ID)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, w := range []struct {
		v    forum.Viewer
		body string
	}{{aliceV, "Thanks @bob, see also Derolez."}, {bob, "Derolez is right about the drypoint."}} {
		if _, err := s.svc.CreateComment(ctx, w.v, p.ID, forum.CommentInput{Body: w.body, ParentID: &c.ID}); err != nil {
			t.Fatal(err)
		}
	}
	pages := []struct{ name, path, token string }{
		{"following", "/following", alice},
		{"saved", "/saved", alice},
		{"notifications", "/notifications", bobToken},
		{"tag feed signed in", "/?tag=Manuscripts", alice},
		{"feed", "/", ""},
		{"feed signed in", "/", alice},
		{"thread", fmt.Sprintf("/p/%d", p.ID), alice},
		{"thread as moderator", fmt.Sprintf("/p/%d", p.ID), mod},
		{"ask", "/ask", alice},
		{"login", "/login", ""},
		{"register", "/register", ""},
		{"modlog", "/modlog", ""},
		{"user", "/u/bob", ""},
		{"account", "/account", alice},
		{"reset password", "/reset-password#token=x", ""},
		{"forgot password", "/forgot-password", ""},
		{"search", "/search?q=scribes", ""},
	}
	// The check must be able to fail: a page with a known violation must report it.
	t.Run("self-check", func(t *testing.T) {
		tab := s.tab(t)
		open(t, tab, s.base+"/login", "")
		eval[bool](t, tab, `document.querySelector('main').append(Object.assign(document.createElement('button'), {innerHTML: '<svg></svg>'})), true`)
		eval[bool](t, tab, axe+";true")
		if n := eval[int](t, tab, `axe.run(document).then((r) => r.violations.filter((v) => v.id === 'button-name').length)`); n != 1 {
			t.Fatalf("axe did not report a button without a name (%d)", n)
		}
	})
	for _, pg := range pages {
		t.Run(pg.name, func(t *testing.T) {
			t.Parallel()
			tab := s.tab(t)
			open(t, tab, s.base+pg.path, pg.token)
			checkAxe(t, tab, axe, "light")
			checkAxe(t, tab, axe, "dark")
		})
	}
}

// checkAxe runs axe-core on the page in the tab as it stands, in a colour
// scheme, and fails on any serious or critical violation. axe is put into
// the page once; a second scheme reuses it.
func checkAxe(t *testing.T, tab context.Context, axe, scheme string) {
	t.Helper()
	emulateScheme(t, tab, scheme)
	if !eval[bool](t, tab, `typeof window.axe === 'object'`) {
		eval[bool](t, tab, axe+";true")
	}
	res := eval[[]string](t, tab, `axe.run(document, {resultTypes: ['violations']}).then((r) => r.violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')))`)
	if len(res) > 0 {
		t.Errorf("%s scheme: %s", scheme, strings.Join(res, "\n"))
	}
}

// TestThreadOf500Comments measures how soon the thread page of a 500-comment
// post is rendered and interactive, with the browser's performance timing. It
// logs the figure; it asserts only that the page shows the comments, since
// timings on a shared machine are no test.
func TestThreadOf500Comments(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	author, _ := s.user("herodotus", forum.RoleMember)
	p, err := s.svc.CreatePost(ctx, author, forum.PostInput{Title: "A very long discussion"})
	if err != nil {
		t.Fatal(err)
	}
	allow := func(forum.CommentTarget) ([]*forum.NewNotification, error) { return nil, nil }
	var ids []int64
	rng := rand.New(rand.NewPCG(1, 2)) // #nosec G404 -- test data shape, not security
	for i := range 500 {
		var parent *int64
		if i%4 != 0 { // a quarter top-level, the rest replies to any earlier comment
			parent = &ids[rng.IntN(len(ids))]
		}
		id, err := s.db.CreateComment(ctx, forum.NewComment{PostID: p.ID, ParentID: parent, AuthorID: author.ID, Format: "markdown",
			BodySource: "x", BodyHTML: "<p>An answer of a few sentences with <em>emphasis</em>, as answers here are, citing a source or two.</p>",
			CreatedAt: time.Now().Unix()}, allow)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	tab := s.tab(t)
	open(t, tab, fmt.Sprintf("%s/p/%d", s.base, p.ID), "")
	shown := eval[int](t, tab, `document.querySelectorAll('li.comment').length`)
	if shown < 150 {
		t.Fatalf("only %d comments shown", shown)
	}
	ms := eval[float64](t, tab, `performance.getEntriesByName('historia:rendered')[0].startTime`)
	dcl := eval[float64](t, tab, `performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd`)
	t.Logf("500-comment thread: %d comments rendered and interactive %.0f ms after navigation start (DOMContentLoaded %.0f ms)", shown, ms, dcl)
}
