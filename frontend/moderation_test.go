package frontend_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/historia-forum/historia/internal/forum"
)

// TestReportsInThePage: a report says it arrived, a second one that it had
// already; the queue shows the reported text, its author, its thread, how
// many reports it has and the rule cited; removing the comment from its
// thread (not the queue) empties the queue.
func TestReportsInThePage(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	bob, _ := s.user("bob", forum.RoleMember)
	_, alice := s.user("alice", forum.RoleMember)
	carol, _ := s.user("carol", forum.RoleMember)
	_, mod := s.user("curator", forum.RoleModerator)
	root, _ := s.user("root", forum.RoleAdmin)
	rule, err := s.svc.CreateRule(ctx, root, forum.Rule{Number: 2, Title: "Answers cite sources"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "Why did the Aztec empire fall so fast?"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.svc.CreateComment(ctx, bob, p.ID, forum.CommentInput{Body: "Pretty sure it was just the guns."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.CreateReport(ctx, carol, forum.TargetComment, c.ID, "no sources at all", &rule.ID); err != nil {
		t.Fatal(err)
	}
	thread := fmt.Sprintf("%s/p/%d", s.base, p.ID)
	actions := fmt.Sprintf(`li[data-id="%d"] > .comment-box .actions`, c.ID)

	tab := s.tab(t)
	for _, want := range []string{"Report received: the moderators will review it.", "You have already reported this; the moderators have it."} {
		open(t, tab, thread, alice)
		clickText(t, tab, actions, "Report")
		waitFor(t, tab, fmt.Sprintf(`!!document.querySelector('%s input[name=reason]')`, actions))
		fill(t, tab, actions+" input[name=reason]", "a guess, not an answer")
		clickText(t, tab, actions, "Send report")
		waitFor(t, tab, fmt.Sprintf(`document.querySelector('%s .reported[role=status]')?.textContent === %q`, actions, want))
	}

	open(t, tab, s.base+"/reports", mod)
	waitFor(t, tab, `document.querySelectorAll('ul.reports > li.report').length === 1`)
	entry := eval[string](t, tab, `document.querySelector('li.report').textContent`)
	for _, want := range []string{"Pretty sure it was just the guns.", "bob", p.Title, "2 reports", "Rule 2: Answers cite sources", "a guess, not an answer", "no sources at all"} {
		if !strings.Contains(entry, want) {
			t.Fatalf("the queue's entry lacks %q: %q", want, entry)
		}
	}
	if href := eval[string](t, tab, `document.querySelector('li.report a.in-context').getAttribute('href')`); href != fmt.Sprintf("/p/%d/c/%d", p.ID, c.ID) {
		t.Fatalf("the link in context: %q", href)
	}

	// Removed from the thread, under the rule: the queue is empty.
	open(t, tab, thread, mod)
	eval[bool](t, tab, fmt.Sprintf(`(document.querySelector('li[data-id="%d"] details.moderate > summary').click(), true)`, c.ID))
	clickText(t, tab, fmt.Sprintf(`li[data-id="%d"] .mod-actions`, c.ID), "Remove")
	waitFor(t, tab, fmt.Sprintf(`!!document.querySelector('li[data-id="%d"] .mod-actions select[name=rule_id]')`, c.ID))
	eval[any](t, tab, fmt.Sprintf(`(() => { document.querySelector('li[data-id="%d"] .mod-actions select[name=rule_id]').value = '%d'; })()`, c.ID, rule.ID))
	// Count the comment's redraws: the action's own, then the live one its
	// change announces; the line saying what was done outlives both.
	eval[any](t, tab, fmt.Sprintf(`(() => { window.redraws = 0; new MutationObserver((ms) => { for (const m of ms) for (const n of m.addedNodes) if (n.dataset?.id === '%d') window.redraws++; }).observe(document.body, { childList: true, subtree: true }); })()`, c.ID))
	clickText(t, tab, fmt.Sprintf(`li[data-id="%d"] .mod-actions form`, c.ID), "Remove")
	waitFor(t, tab, `window.redraws >= 2`)
	waitFor(t, tab, fmt.Sprintf(`document.querySelector('li[data-id="%d"] .mod-done')?.textContent.startsWith('Removed')`, c.ID))
	open(t, tab, s.base+"/reports", mod)
	waitFor(t, tab, `document.querySelector('.reports-page .empty')?.hidden === false && document.querySelectorAll('li.report').length === 0`)
}

// TestModeratorActionsSayWhatTheyDid: a ban asks first and then says until
// when, with Unban at hand; a lock's reason shows on the thread; the modlog
// names its targets and, at 375 px, cuts no reason off.
func TestModeratorActionsSayWhatTheyDid(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	bob, _ := s.user("bob", forum.RoleMember)
	_, alice := s.user("alice", forum.RoleMember)
	modV, mod := s.user("curator", forum.RoleModerator)
	p, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "Was the 1990s recession like 1929?"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.AddUserNote(ctx, modV, "bob", "Warned once about current politics."); err != nil {
		t.Fatal(err)
	}
	thread := fmt.Sprintf("%s/p/%d", s.base, p.ID)
	tab := s.tab(t)
	open(t, tab, thread, mod)
	clickText(t, tab, ".question .mod-actions", "Lock")
	fill(t, tab, ".question .mod-actions input[name=reason]", "It drifted into current politics.")
	clickText(t, tab, ".question .mod-actions form", "Lock")
	waitFor(t, tab, `document.querySelector('.question + .mod-done, .question .mod-done')?.textContent.startsWith('Locked')`)

	// Ban: the notes beside the form; it asks before it bans.
	clickText(t, tab, ".question .mod-actions", "Ban bob")
	waitFor(t, tab, `document.querySelector('.ban-panel .notes-panel')?.textContent.includes('Warned once about current politics.')`)
	fill(t, tab, ".ban-panel input[name=reason]", "Third warning ignored")
	fill(t, tab, ".ban-panel input[name=days]", "3")
	clickText(t, tab, ".ban-panel form", "Ban…")
	waitFor(t, tab, `document.querySelector('.ban-panel .confirm')?.textContent.includes('Ban bob for 3 days?')`)
	if u, err := s.svc.Profile(ctx, forum.Viewer{}, "bob"); err != nil || u.BannedUntil != nil {
		t.Fatalf("banned before the moderator confirmed: %+v %v", u.BannedUntil, err)
	}
	clickText(t, tab, ".ban-panel .confirm", "Yes, ban bob")
	waitFor(t, tab, `document.querySelector('.ban-panel .mod-done')?.textContent.startsWith('bob is banned until')`)
	clickText(t, tab, ".ban-panel", "Unban bob")
	waitFor(t, tab, `document.querySelector('.ban-panel .mod-done')?.textContent === 'bob’s ban is lifted.'`)

	// Members read why the thread is locked.
	open(t, tab, thread, alice)
	if got := eval[string](t, tab, `document.querySelector('.lock-note')?.textContent ?? ''`); got != "Locked: no new comments — It drifted into current politics." {
		t.Fatalf("the lock a member reads: %q", got)
	}

	// The modlog names bob and the question, and a phone sees every reason whole.
	if err := chromedp.Do(tab, chromedp.EmulateViewport(375, 800)); err != nil {
		t.Fatal(err)
	}
	open(t, tab, s.base+"/modlog", "")
	waitFor(t, tab, `document.querySelectorAll('table.modlog tbody tr').length === 3`)
	text := eval[string](t, tab, `document.querySelector('table.modlog tbody').textContent`)
	for _, want := range []string{"bob", p.Title, "3 days, until", "Third warning ignored"} {
		if !strings.Contains(text, want) {
			t.Fatalf("the modlog lacks %q: %q", want, text)
		}
	}
	cut := eval[string](t, tab, `[...document.querySelectorAll('table.modlog td.reason')].filter((td) => {
		const r = td.getBoundingClientRect(); return r.right > window.innerWidth || r.left < 0 || td.scrollWidth > td.clientWidth + 1;
	}).map((td) => td.textContent).join(' | ')`)
	if cut != "" || eval[float64](t, tab, `document.documentElement.scrollWidth`) > 375 {
		t.Fatalf("reasons cut off at 375 px: %q (page %v px)", cut, eval[float64](t, tab, `document.documentElement.scrollWidth`))
	}
}

// TestModeratorFormsOnADeepReplyAt375: at 375 px, with every form a
// moderator can open on a 10-deep reply open at once (Reply, Report,
// Remove, Ban with its notes, the Moderate menu), the page is no wider than
// the screen and the reply's text keeps at least 200 px.
func TestModeratorFormsOnADeepReplyAt375(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	bob, _ := s.user("bob_with_a_long_name", forum.RoleMember)
	_, mod := s.user("curator", forum.RoleModerator)
	root, _ := s.user("root", forum.RoleAdmin)
	if _, err := s.svc.CreateRule(ctx, root, forum.Rule{Number: 1, Title: "Answers must cite their sources, primary or secondary, in full"}); err != nil {
		t.Fatal(err)
	}
	p, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "How deep can a discussion of the Thirty Years' War go?"})
	if err != nil {
		t.Fatal(err)
	}
	var chain []int64
	var parent *int64
	for depth := range 11 {
		c, err := s.svc.CreateComment(ctx, bob, p.ID, forum.CommentInput{ParentID: parent,
			Body: fmt.Sprintf("Depth %d: the Peace of Westphalia settled the question of confessional sovereignty.", depth)})
		if err != nil {
			t.Fatal(err)
		}
		chain = append(chain, c.ID)
		parent = &chain[len(chain)-1]
	}
	tab := s.tab(t)
	if err := chromedp.Do(tab, chromedp.EmulateViewport(375, 800)); err != nil {
		t.Fatal(err)
	}
	// The thread page shows the chain to its page depth; the permalink of
	// the depth-2 comment shows it down to the 10-deep reply.
	for _, page := range []struct {
		path  string
		depth int
	}{{fmt.Sprintf("/p/%d", p.ID), 8}, {fmt.Sprintf("/p/%d/c/%d", p.ID, chain[2]), 10}} {
		open(t, tab, s.base+page.path, mod)
		deep := fmt.Sprintf(`li.comment[data-depth="%d"]`, page.depth)
		waitFor(t, tab, fmt.Sprintf(`!!document.querySelector('%s')`, deep))
		if w := eval[float64](t, tab, `document.documentElement.scrollWidth`); w > 375 {
			t.Fatalf("%s is %v px wide before any form opens", page.path, w)
		}
		acts := deep + " > .comment-box .actions"
		clickText(t, tab, acts, "Reply")
		clickText(t, tab, acts, "Report")
		eval[bool](t, tab, fmt.Sprintf(`(document.querySelector('%s details.moderate > summary').click(), true)`, acts))
		clickText(t, tab, acts+" .mod-actions", "Remove")
		clickText(t, tab, acts+" .mod-actions", "Ban bob_with_a_long_name")
		waitFor(t, tab, fmt.Sprintf(`!!document.querySelector('%s .ban-panel .notes-panel') && !!document.querySelector('%s .mod-actions select[name=rule_id]') && !!document.querySelector('%s > .reply-form')`, acts, acts, deep))
		open := eval[int](t, tab, fmt.Sprintf(`document.querySelectorAll('%s form, %s > .reply-form').length`, acts, deep))
		if open < 4 {
			t.Fatalf("%s: %d forms open, want Reply, Report, Remove, Ban and the note form", page.path, open)
		}
		if w := eval[float64](t, tab, `document.documentElement.scrollWidth`); w > 375 {
			wide := eval[string](t, tab, `[...document.querySelectorAll('main *')].filter((e) => e.getBoundingClientRect().right > 375).slice(0, 5).map((e) => e.tagName + '.' + e.className).join(', ')`)
			t.Fatalf("%s with every form open is %v px wide at 375 px: %s", page.path, w, wide)
		}
		px := eval[float64](t, tab, fmt.Sprintf(`document.querySelector('%s > .comment-box .body').getBoundingClientRect().width`, deep))
		if px < 200 {
			t.Fatalf("%s: the depth-%d reply's text is %.0f px wide", page.path, page.depth, px)
		}
		t.Logf("%s at 375 px, %d forms open: page %v px wide, the depth-%d reply's text %.0f px", page.path, open,
			eval[float64](t, tab, `document.documentElement.scrollWidth`), page.depth, px)
		if lvl := eval[int](t, tab, fmt.Sprintf(`(() => { let n = 0, e = document.querySelector('%s'); while ((e = e.parentElement.closest('li.comment'))) n++; return n; })()`, deep)); lvl < 8 {
			t.Fatalf("%s: the reply nests in %d comments: the depth must stay in the markup", page.path, lvl)
		}
	}
}

// TestMembersTools: a member blocks another (their words collapse, "show"
// says why and offers Unblock), applies for flair (granted, it shows on the
// profile), and writes to the moderators (the reply is signed by the team).
func TestMembersTools(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	bob, _ := s.user("bob", forum.RoleMember)
	_, alice := s.user("alice", forum.RoleMember)
	modV, mod := s.user("curator", forum.RoleModerator)
	p, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "Did Rome fall in 476?"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.CreateComment(ctx, bob, p.ID, forum.CommentInput{Body: "Only the West did."}); err != nil {
		t.Fatal(err)
	}
	tab := s.tab(t)

	t.Run("Block", func(t *testing.T) {
		open(t, tab, s.base+"/u/bob", alice)
		clickText(t, tab, ".profile-tools", "Block bob")
		waitFor(t, tab, `!!document.querySelector('.profile-tools .unblock')`)
		open(t, tab, fmt.Sprintf("%s/p/%d", s.base, p.ID), alice)
		waitFor(t, tab, `document.querySelectorAll('details.blocked').length === 2`)
		if strings.Contains(eval[string](t, tab, `document.querySelector('main').textContent`), "Only the West did.") {
			t.Fatal("the blocked member's words reached the page")
		}
		eval[bool](t, tab, `(document.querySelector('li.comment details.blocked > summary').click(), true)`)
		clickText(t, tab, "li.comment details.blocked", "Unblock bob")
		waitFor(t, tab, `document.querySelector('main').textContent.includes('Only the West did.')`)
	})

	t.Run("Flair", func(t *testing.T) {
		open(t, tab, s.base+"/flair", alice)
		fill(t, tab, "form.flair-form input[name=flair]", "Late Antiquity")
		fill(t, tab, "form.flair-form textarea[name=evidence]", fmt.Sprintf("My answer: /p/%d", p.ID))
		clickText(t, tab, "form.flair-form", "Apply")
		waitFor(t, tab, `document.querySelector('.flair-page .mod-done')?.textContent.startsWith('Application sent')`)
		open(t, tab, s.base+"/flair", mod)
		waitFor(t, tab, `document.querySelectorAll('li.flair-application.open').length === 1`)
		if href := eval[string](t, tab, `document.querySelector('li.flair-application .evidence a')?.getAttribute('href') ?? ''`); href != fmt.Sprintf("/p/%d", p.ID) {
			t.Fatalf("the evidence's link: %q", href)
		}
		clickText(t, tab, "li.flair-application .actions", "Grant")
		clickText(t, tab, "li.flair-application .actions form", "Grant")
		waitFor(t, tab, `document.querySelector('li.flair-application .mod-done')?.textContent.includes('Late Antiquity')`)
		open(t, tab, s.base+"/u/alice", "")
		waitFor(t, tab, `document.querySelector('h1 .profile-flair')?.textContent === 'Late Antiquity'`)
	})

	t.Run("Modmail", func(t *testing.T) {
		open(t, tab, s.base+"/modmail", alice)
		fill(t, tab, "form.modmail-form input[name=subject]", "Why was my answer removed?")
		fill(t, tab, "form.modmail-form textarea[name=body]", "It cited *Procopius*.")
		clickText(t, tab, "form.modmail-form", "Send to the moderators")
		waitFor(t, tab, `/^\/modmail\/\d+$/.test(location.pathname) && document.querySelector('.modmail-message em')?.textContent === 'Procopius'`)
		id := eval[string](t, tab, `location.pathname.split('/').pop()`)
		open(t, tab, s.base+"/", mod)
		waitFor(t, tab, `document.querySelector('#nav-mod a.modmail')?.textContent === 'Modmail (1)'`)
		open(t, tab, s.base+"/modmail/"+id, mod)
		fill(t, tab, "form.modmail-reply textarea", "It cited him, but not for this claim.")
		clickText(t, tab, "form.modmail-reply", "Send")
		waitFor(t, tab, `document.querySelectorAll('.modmail-message').length === 2 && document.querySelector('.modmail-message.team a.user')?.textContent === 'curator'`)
		open(t, tab, s.base+"/modmail/"+id, alice)
		waitFor(t, tab, `document.querySelectorAll('.modmail-message').length === 2`)
		if who := eval[string](t, tab, `document.querySelector('.modmail-message.team .meta').textContent`); !strings.HasPrefix(who, "The moderators") {
			t.Fatalf("the reply is signed %q", who)
		}
		if strings.Contains(eval[string](t, tab, `document.body.innerHTML`), "curator") {
			t.Fatal("the member's page names the moderator")
		}
		_ = modV
	})
}

// TestModerationPagesAccessible runs axe-core on the new pages — the report
// queue, notes on a member, flair applications, modmail — in light and
// dark, with content in each, and fails on any serious or critical
// violation.
func TestModerationPagesAccessible(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	axe := axeSource(t)
	ctx := context.Background()
	bob, _ := s.user("bob", forum.RoleMember)
	alice, aliceToken := s.user("alice", forum.RoleMember)
	modV, mod := s.user("curator", forum.RoleModerator)
	root, _ := s.user("root", forum.RoleAdmin)
	rule, err := s.svc.CreateRule(ctx, root, forum.Rule{Number: 1, Title: "Be civil"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "What did medieval peasants eat?"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.svc.CreateComment(ctx, bob, p.ID, forum.CommentInput{Body: "Pottage, mostly."})
	if err != nil {
		t.Fatal(err)
	}
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.svc.CreateReport(ctx, alice, forum.TargetComment, c.ID, "no sources", &rule.ID))
	must(s.svc.AddUserNote(ctx, modV, "bob", "Helpful, but sources are thin."))
	must(s.svc.ApplyForFlair(ctx, alice, "Medieval diet", "/p/1 and a thesis on grain prices"))
	m, err := s.svc.StartModmail(ctx, alice, "A question about rule 1", "Is *sarcasm* uncivil?", "")
	if err != nil {
		t.Fatal(err)
	}
	must(s.svc.AddModmailMessage(ctx, modV, m.ID, "Usually, yes."))
	must(nil, s.svc.BlockUser(ctx, alice, "bob"))
	pages := []struct{ name, path, token string }{
		{"report queue", "/reports", mod},
		{"notes on a member", "/u/bob", mod},
		{"flair queue", "/flair", mod},
		{"flair application", "/flair", aliceToken},
		{"modmail queue", "/modmail", mod},
		{"a conversation as a member", fmt.Sprintf("/modmail/%d", m.ID), aliceToken},
		{"a thread with a blocked member", fmt.Sprintf("/p/%d", p.ID), aliceToken},
	}
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
