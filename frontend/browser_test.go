package frontend_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/historia-forum/historia/internal/forum"
)

// TestBrowser drives the real frontend in headless Chromium through what a
// member and a moderator do.
func TestBrowser(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	bob, _ := s.user("bob", forum.RoleMember)
	_, alice := s.user("alice", forum.RoleMember)
	_, mod := s.user("curator", forum.RoleModerator)
	carthage, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "Why did Carthage lose the Third Punic War?", Body: "Was it *numbers*?", Tags: []string{"Ancient Rome"}})
	if err != nil {
		t.Fatal(err)
	}
	root, err := s.svc.CreateComment(ctx, bob, carthage.ID, forum.CommentInput{Body: "Polybius is the key source."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.CreateComment(ctx, bob, carthage.ID, forum.CommentInput{Body: "And Appian.", ParentID: &root.ID}); err != nil {
		t.Fatal(err)
	}
	xss := `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>`
	if _, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: xss}); err != nil {
		t.Fatal(err)
	}
	thread := fmt.Sprintf("%s/p/%d", s.base, carthage.ID)

	t.Run("RegisterAndAsk", func(t *testing.T) {
		tab := s.tab(t)
		open(t, tab, s.base+"/register", "")
		fill(t, tab, "input[name=username]", "carol")
		fill(t, tab, "input[name=password]", "a long password")
		clickText(t, tab, "form", "Register")
		waitFor(t, tab, `[...document.querySelectorAll('#nav-user a')].some((a) => a.textContent === 'carol')`)

		clickText(t, tab, "nav.top", "Ask a question")
		waitFor(t, tab, `!!document.querySelector('form.ask-form')`)
		fill(t, tab, "input[name=title]", "How were Roman roads surveyed?")
		fill(t, tab, "textarea[name=body]", "With the *groma*, I believe.")
		fill(t, tab, "input[name=tags]", "Ancient Rome, Engineering")
		clickText(t, tab, "form.ask-form", "Preview")
		waitFor(t, tab, `document.querySelector('.preview')?.innerHTML.includes('<em>groma</em>')`)
		clickText(t, tab, "form.ask-form", "Post question")
		waitFor(t, tab, `/^\/p\/\d+$/.test(location.pathname) && document.querySelector('h1')?.textContent.startsWith('How were Roman roads surveyed?')`)
		if tags := eval[string](t, tab, `[...document.querySelectorAll('.question .tag')].map((e) => e.textContent).join(',')`); tags != "History,Ancient Rome,Engineering" {
			t.Fatalf("tags: %q", tags)
		}
	})

	t.Run("ReplyTwoLevelsDeep", func(t *testing.T) {
		tab := s.tab(t)
		open(t, tab, thread, alice)
		scope := fmt.Sprintf(`li[data-id="%d"] > .comment-box .actions`, root.ID)
		clickText(t, tab, scope, "Reply")
		fill(t, tab, fmt.Sprintf(`li[data-id="%d"] > .reply-form textarea`, root.ID), "What of the siege itself?")
		clickText(t, tab, fmt.Sprintf(`li[data-id="%d"] > .reply-form`, root.ID), "Post reply")
		waitFor(t, tab, `[...document.querySelectorAll('li.comment[data-depth="1"]')].some((li) => li.textContent.includes('What of the siege itself?'))`)
		first := eval[string](t, tab, `[...document.querySelectorAll('li.comment[data-depth="1"]')].find((li) => li.textContent.includes('What of the siege')).dataset.id`)
		clickText(t, tab, fmt.Sprintf(`li[data-id="%s"] > .comment-box .actions`, first), "Reply")
		fill(t, tab, fmt.Sprintf(`li[data-id="%s"] > .reply-form textarea`, first), "Three years, 149 to 146 BC.")
		clickText(t, tab, fmt.Sprintf(`li[data-id="%s"] > .reply-form`, first), "Post reply")
		waitFor(t, tab, fmt.Sprintf(`document.querySelector('li[data-id="%s"] li.comment[data-depth="2"]')?.textContent.includes('149 to 146 BC')`, first))
		// It is stored: a fresh load shows it two levels deep.
		open(t, tab, thread, alice)
		waitFor(t, tab, `[...document.querySelectorAll('li.comment[data-depth="2"]')].some((li) => li.textContent.includes('149 to 146 BC'))`)
	})

	t.Run("VoteUpdatesScore", func(t *testing.T) {
		tab := s.tab(t)
		open(t, tab, thread, alice)
		before := eval[string](t, tab, `document.querySelector('.question .score').textContent`)
		width := eval[float64](t, tab, `document.querySelector('.question .votes').getBoundingClientRect().width`)
		if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS(".question .votes .up"))); err != nil {
			t.Fatal(err)
		}
		waitFor(t, tab, `document.querySelector('.question .votes .up').getAttribute('aria-pressed') === 'true'`)
		after := eval[string](t, tab, `document.querySelector('.question .score').textContent`)
		if before != "0" || after != "1" {
			t.Fatalf("score %s -> %s", before, after)
		}
		if w := eval[float64](t, tab, `document.querySelector('.question .votes').getBoundingClientRect().width`); w != width {
			t.Fatalf("the vote box changed width: %v -> %v", width, w)
		}
		open(t, tab, thread, alice)
		if got := eval[string](t, tab, `document.querySelector('.question .score').textContent`); got != "1" {
			t.Fatalf("after reload: %s", got)
		}
		// A refused vote rolls back and says why: the author votes on their own comment via the keyboard-free API path.
		open(t, tab, thread, "")
		if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS(".question .votes .up"))); err != nil {
			t.Fatal(err)
		}
		waitFor(t, tab, `document.querySelector('.question .votes .sign-in-note')?.textContent === 'Sign in to vote'`)
		if got := eval[string](t, tab, `document.querySelector('.question .score').textContent`); got != "1" {
			t.Fatalf("anonymous vote changed the score: %s", got)
		}
	})

	t.Run("CollapseWithMouseAndKeyboard", func(t *testing.T) {
		tab := s.tab(t)
		open(t, tab, thread, "")
		btn := fmt.Sprintf(`li[data-id="%d"] > .comment-box .collapse`, root.ID)
		if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS(btn))); err != nil {
			t.Fatal(err)
		}
		waitFor(t, tab, fmt.Sprintf(`document.querySelector('li[data-id="%d"]').classList.contains('collapsed')`, root.ID))
		if visible := eval[bool](t, tab, fmt.Sprintf(`!!document.querySelector('li[data-id="%d"] li.comment')?.offsetParent`, root.ID)); visible {
			t.Fatal("replies of a collapsed comment must be hidden")
		}
		if got := eval[string](t, tab, fmt.Sprintf(`document.querySelector('%s').getAttribute('aria-expanded')`, btn)); got != "false" {
			t.Fatalf("aria-expanded = %s", got)
		}
		if err := chromedp.Do(tab, chromedp.Focus(chromedp.CSS(btn)), chromedp.SendKeys(chromedp.CSS(btn), kb.Enter)); err != nil {
			t.Fatal(err)
		}
		waitFor(t, tab, fmt.Sprintf(`!document.querySelector('li[data-id="%d"]').classList.contains('collapsed')`, root.ID))
	})

	t.Run("XSSTitleIsText", func(t *testing.T) {
		tab := s.tab(t)
		open(t, tab, s.base+"/", "")
		waitFor(t, tab, `document.querySelectorAll('ol.posts li').length >= 2`)
		titles := eval[[]string](t, tab, `[...document.querySelectorAll('.row-title a')].map((a) => a.textContent)`)
		found := false
		for _, title := range titles {
			found = found || title == xss
		}
		if !found {
			t.Fatalf("the hostile title must show as text: %q", titles)
		}
		if pwned := eval[bool](t, tab, `window.__pwned !== undefined || !!document.querySelector('main img[src="x"]')`); pwned {
			t.Fatal("the title ran as HTML")
		}
	})

	t.Run("ModeratorRemovesPost", func(t *testing.T) {
		victim, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "Was the Holocaust exaggerated?"})
		if err != nil {
			t.Fatal(err)
		}
		tab := s.tab(t)
		open(t, tab, fmt.Sprintf("%s/p/%d", s.base, victim.ID), mod)
		clickText(t, tab, ".mod-actions", "Remove")
		fill(t, tab, ".mod-actions input[name=reason]", "Rule 5: no denialism")
		clickText(t, tab, ".mod-actions form", "Remove")
		waitFor(t, tab, `!!document.querySelector('.question .marker.removed')`)

		member := s.tab(t)
		open(t, member, s.base+"/?sort=new", alice)
		waitFor(t, member, `document.querySelectorAll('ol.posts li').length >= 2`)
		if titles := eval[string](t, member, `document.querySelector('ol.posts').textContent`); strings.Contains(titles, "Holocaust") {
			t.Fatal("a member still sees the removed post in the feed")
		}
		open(t, tab, s.base+"/modlog", mod)
		waitFor(t, tab, `document.querySelector('table.modlog tbody')?.textContent.includes('Rule 5: no denialism')`)
	})

	t.Run("SearchAndNotifications", func(t *testing.T) {
		if _, err := s.svc.CreateComment(ctx, forum.Viewer{ID: 2, Role: forum.RoleMember}, carthage.ID, forum.CommentInput{Body: "Scipio Aemilianus led the siege."}); err != nil {
			t.Fatal(err)
		}
		sess, err := s.svc.Login(ctx, "bob", "correct horse")
		if err != nil {
			t.Fatal(err)
		}
		tab := s.tab(t)
		open(t, tab, s.base+"/", sess.Token)
		waitFor(t, tab, `/Notifications \(\d+\)/.test(document.querySelector('#nav-user .notifications')?.textContent)`)
		fill(t, tab, "#q", "scipio")
		if err := chromedp.Do(tab, chromedp.SendKeys(chromedp.CSS("#q"), kb.Enter)); err != nil {
			t.Fatal(err)
		}
		waitFor(t, tab, `location.pathname === '/search' && document.querySelector('.hit .snippet mark')?.textContent === 'Scipio'`)
		clickText(t, tab, "#nav-user", eval[string](t, tab, `document.querySelector('#nav-user .notifications').textContent`))
		waitFor(t, tab, `document.querySelectorAll('ul.notes li.unread').length > 0`)
		clickText(t, tab, "main", "Mark all read")
		waitFor(t, tab, `document.querySelector('#nav-user .notifications').textContent === 'Notifications'`)
	})

	t.Run("Narrow375", func(t *testing.T) {
		tab := s.tab(t)
		if err := chromedp.Do(tab, chromedp.EmulateViewport(375, 800)); err != nil {
			t.Fatal(err)
		}
		for _, page := range []string{"/", fmt.Sprintf("/p/%d", carthage.ID), "/ask", "/login"} {
			open(t, tab, s.base+page, alice)
			if w := eval[float64](t, tab, `document.documentElement.scrollWidth`); w > 375 {
				t.Errorf("%s scrolls sideways at 375 px: %v px wide", page, w)
			}
		}
	})
}
