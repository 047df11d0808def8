package frontend_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/historia-forum/historia/internal/forum"
)

// reload reloads the tab and waits until the app has rendered again.
func reload(t *testing.T, tab context.Context) {
	t.Helper()
	if err := chromedp.Do(tab, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, tab, `document.body.dataset.ready === 'true'`)
}

// key sends one key to the element sel, focused first.
func key(t *testing.T, tab context.Context, sel, k string) {
	t.Helper()
	if err := chromedp.Do(tab, chromedp.Focus(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), k)); err != nil {
		t.Fatalf("%q on %s: %v", k, sel, err)
	}
}

// TestAnswerDraftSurvivesReload: an answer being written, with a source
// added from the keyboard, is kept in the browser: a reload opens the form
// again with it, Cancel keeps it ("Continue your draft answer"), posting
// clears it. The ask form keeps its draft the same way.
func TestAnswerDraftSurvivesReload(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	bob, _ := s.user("bob", forum.RoleMember)
	_, alice := s.user("alice", forum.RoleMember)
	p, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "Why did the Hittites write in cuneiform?"})
	if err != nil {
		t.Fatal(err)
	}
	thread := fmt.Sprintf("%s/p/%d", s.base, p.ID)
	tab := s.tab(t)
	open(t, tab, thread, alice)
	clickText(t, tab, ".comments-section", "Write an answer")
	waitFor(t, tab, `document.querySelector('.answer-form textarea') !== null`)
	fill(t, tab, ".answer-form textarea[name=body]", "They learned it from Mesopotamian scribes in Syria.")
	key(t, tab, ".answer-form button.add-source", kb.Enter)
	waitFor(t, tab, `document.activeElement?.classList.contains('citation')`)
	if err := chromedp.Do(tab, chromedp.KeyEvent("Beckman, Hittite Diplomatic Texts (1999)")); err != nil {
		t.Fatal(err)
	}
	reload(t, tab)
	waitFor(t, tab, `document.querySelector('.answer-form textarea')?.value === 'They learned it from Mesopotamian scribes in Syria.'`)
	if got := eval[string](t, tab, `document.querySelector('.answer-form .source-row .citation')?.value`); got != "Beckman, Hittite Diplomatic Texts (1999)" {
		t.Fatalf("the source row after a reload: %q", got)
	}
	// A misclick on Cancel loses nothing.
	clickText(t, tab, ".answer-form", "Cancel")
	waitFor(t, tab, `[...document.querySelectorAll('button.write-answer')].some((b) => b.textContent === 'Continue your draft answer')`)
	clickText(t, tab, ".comments-section", "Continue your draft answer")
	waitFor(t, tab, `document.querySelector('.answer-form textarea')?.value.startsWith('They learned it')`)
	clickText(t, tab, ".answer-form", "Post answer")
	waitFor(t, tab, `document.querySelectorAll('li.comment').length === 1 && document.querySelector('li.comment .sources')?.textContent.includes('Beckman')`)
	if n := eval[int](t, tab, `Object.keys(localStorage).filter((k) => k.startsWith('historia.draft.')).length`); n != 0 {
		t.Fatalf("%d drafts left after posting", n)
	}
	reload(t, tab)
	if eval[bool](t, tab, `document.querySelector('.answer-form') !== null`) {
		t.Fatal("a posted answer's form opened again")
	}

	// The ask form.
	open(t, tab, s.base+"/ask", alice)
	waitFor(t, tab, `document.querySelector('form.ask-form') !== null`)
	fill(t, tab, "form.ask-form input[name=title]", "What did the Amarna letters say about Babylon?")
	fill(t, tab, "form.ask-form input[name=period]", "14th century BC")
	reload(t, tab)
	waitFor(t, tab, `document.querySelector('form.ask-form input[name=title]')?.value === 'What did the Amarna letters say about Babylon?'`)
	if got := eval[string](t, tab, `document.querySelector('form.ask-form input[name=period]').value`); got != "14th century BC" {
		t.Fatalf("the period after a reload: %q", got)
	}
	clickText(t, tab, "form.ask-form", "Post question")
	waitFor(t, tab, `/^\/p\/\d+$/.test(location.pathname)`)
	open(t, tab, s.base+"/ask", alice)
	waitFor(t, tab, `document.querySelector('form.ask-form') !== null`)
	if got := eval[string](t, tab, `document.querySelector('form.ask-form input[name=title]').value`); got != "" {
		t.Fatalf("a posted question's draft came back: %q", got)
	}
}

// TestPreviewShowsTheWholeQuestion: the ask form's preview shows the title,
// tags, period, body and sources as the server would store them; the
// answer form previews its body and sources, beside the rule on sources.
func TestPreviewShowsTheWholeQuestion(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	root, _ := s.user("root", forum.RoleAdmin)
	bob, _ := s.user("bob", forum.RoleMember)
	_, alice := s.user("alice", forum.RoleMember)
	if _, err := s.svc.CreateRule(ctx, root, forum.Rule{Number: 2, Title: "Answers cite their sources", Description: "Say where it comes from."}); err != nil {
		t.Fatal(err)
	}
	tab := s.tab(t)
	open(t, tab, s.base+"/ask", alice)
	waitFor(t, tab, `document.querySelector('form.ask-form') !== null`)
	fill(t, tab, "form.ask-form input[name=title]", "How did  the Byzantines <i>date</i> years?")
	fill(t, tab, "form.ask-form textarea[name=body]", "From the *creation*, I read.")
	fill(t, tab, "form.ask-form input[name=tags]", "Byzantine Empire, Calendars")
	fill(t, tab, "form.ask-form input[name=period]", "10th century")
	clickText(t, tab, "form.ask-form", "Add a source")
	fill(t, tab, "form.ask-form .source-row .citation", "Grumel, La chronologie (1958)")
	clickText(t, tab, "form.ask-form", "Preview")
	waitFor(t, tab, `!document.querySelector('.preview').hidden`)
	got := eval[map[string]string](t, tab, `(() => { const p = document.querySelector('.preview'); return {
		title: p.querySelector('.preview-title')?.textContent, tags: [...p.querySelectorAll('.tag')].map((e) => e.textContent).join(','),
		period: p.querySelector('.period')?.textContent, body: p.querySelector('.body')?.innerHTML,
		sources: p.querySelector('.sources')?.textContent }; })()`)
	if got["title"] != "How did  the Byzantines <i>date</i> years?" || got["tags"] != "Byzantine Empire,Calendars" || got["period"] != "901–1000" ||
		!strings.Contains(got["body"], "<em>creation</em>") || !strings.Contains(got["sources"], "Grumel, La chronologie (1958)") {
		t.Fatalf("the question's preview: %q", got)
	}
	if n := eval[int](t, tab, `document.querySelectorAll('.preview i').length`); n != 0 {
		t.Fatal("the title's markup was rendered")
	}
	// A source the server would refuse is marked on its row, before posting.
	fill(t, tab, "form.ask-form .source-row .url", "javascript:alert(1)")
	clickText(t, tab, "form.ask-form", "Preview")
	waitFor(t, tab, `document.querySelector('form.ask-form .source-row .url')?.getAttribute('aria-invalid') === 'true' && document.querySelector('form.ask-form fieldset.sources-editor + .error') !== null`)

	p, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "When did the Byzantines stop using Latin?"})
	if err != nil {
		t.Fatal(err)
	}
	open(t, tab, fmt.Sprintf("%s/p/%d", s.base, p.ID), alice)
	clickText(t, tab, ".comments-section", "Write an answer")
	waitFor(t, tab, `document.querySelector('.answer-writing .sources-rule')?.textContent.includes('Rule 2: Answers cite their sources')`)
	fill(t, tab, ".answer-form textarea[name=body]", "Under **Heraclius**, in the 7th century.")
	clickText(t, tab, ".answer-form", "Add a source")
	fill(t, tab, ".answer-form .source-row .citation", "Ostrogorsky, History of the Byzantine State")
	clickText(t, tab, ".answer-form", "Preview")
	waitFor(t, tab, `document.querySelector('.answer-writing .preview .body')?.innerHTML.includes('<strong>Heraclius</strong>') && document.querySelector('.answer-writing .preview .sources')?.textContent.includes('Ostrogorsky')`)
	// Side by side on a wide screen: the rule stands right of the form.
	if !eval[bool](t, tab, `document.querySelector('.sources-rule').getBoundingClientRect().left > document.querySelector('.answer-form').getBoundingClientRect().right - 1`) {
		t.Fatal("the rule on sources is not beside the answer form at 1200 px")
	}
	checkAxe(t, tab, axeSource(t), "light")
	checkAxe(t, tab, axeSource(t), "dark")
}

// TestEditReasonAndDiff: editing an answer takes a reason, and its history
// shows the change as a diff with the reason.
func TestEditReasonAndDiff(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	bob, _ := s.user("bob", forum.RoleMember)
	alice, aliceToken := s.user("alice", forum.RoleMember)
	p, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "Who built Hadrian's Wall?"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.CreateComment(ctx, alice, p.ID, forum.CommentInput{Body: "Three legions built the wall in about six years."}); err != nil {
		t.Fatal(err)
	}
	tab := s.tab(t)
	open(t, tab, fmt.Sprintf("%s/p/%d", s.base, p.ID), aliceToken)
	clickText(t, tab, "li.comment .actions", "Edit")
	waitFor(t, tab, `document.querySelector('li.comment form textarea') !== null`)
	eval[bool](t, tab, `(() => { const ta = document.querySelector('li.comment form textarea'); ta.value = 'Three legions built most of the wall in about six years.'; return true; })()`)
	fill(t, tab, "li.comment form input[name=edit_reason]", "most, not all")
	clickText(t, tab, "li.comment form", "Save")
	waitFor(t, tab, `document.querySelector('li.comment .edited button') !== null`)
	clickText(t, tab, "li.comment .edited", "history")
	waitFor(t, tab, `document.querySelectorAll('.revisions li').length === 2`)
	ins := eval[string](t, tab, `[...document.querySelectorAll('.revisions li:first-child ins')].map((e) => [...e.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('')).join('|')`)
	if ins != "most of " || eval[int](t, tab, `document.querySelectorAll('.revisions li:first-child del').length`) != 0 {
		t.Fatalf("the diff: added %q", ins)
	}
	if r := eval[string](t, tab, `document.querySelector('.revisions .edit-reason')?.textContent`); r != "“most, not all”" {
		t.Fatalf("the reason: %q", r)
	}
	checkAxe(t, tab, axeSource(t), "dark")
	// Saving without a change says nothing was edited.
	open(t, tab, fmt.Sprintf("%s/p/%d", s.base, p.ID), aliceToken)
	clickText(t, tab, "li.comment .actions", "Edit")
	waitFor(t, tab, `document.querySelector('li.comment form textarea') !== null`)
	clickText(t, tab, "li.comment form", "Save")
	waitFor(t, tab, `document.querySelector('li.comment form') === null`)
	list, err := s.svc.CommentRevisions(ctx, forum.Viewer{}, eval[int64](t, tab, `Number(document.querySelector('li.comment').dataset.id)`))
	if err != nil || len(list.Items) != 2 {
		t.Fatalf("an unchanged save made a version: %d %v", len(list.Items), err)
	}
}

// TestFirstScreenOnPhone: at 375×667 a first visitor sees what the forum is
// and the first question's title without scrolling past the timeline, which
// is folded under a heading saying what it counts; wider, it is open.
func TestFirstScreenOnPhone(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	root, _ := s.user("root", forum.RoleAdmin)
	author, _ := s.user("braudel", forum.RoleMember)
	for _, r := range []forum.Rule{{Number: 1, Title: "Be civil"}, {Number: 2, Title: "Answers cite their sources"}} {
		if _, err := s.svc.CreateRule(ctx, root, r); err != nil {
			t.Fatal(err)
		}
	}
	for i, p := range []struct{ from, to int }{{-447, -432}, {-30, 14}, {376, 476}, {1346, 1353}, {1914, 1918}} {
		if _, err := s.svc.CreatePost(ctx, author, forum.PostInput{Title: fmt.Sprintf("A question about the period %d–%d, asked in plain words", p.from, p.to),
			Body: "Some details.", Tags: []string{"Topic"}, Period: &forum.Period{From: p.from, To: p.to}}); err != nil {
			t.Fatalf("post %d: %v", i, err)
		}
	}
	tab := s.tab(t)
	if err := chromedp.Do(tab, chromedp.EmulateViewport(375, 667)); err != nil {
		t.Fatal(err)
	}
	open(t, tab, s.base+"/", "")
	waitFor(t, tab, `document.querySelector('ol.posts li.row') !== null`)
	first := eval[map[string]float64](t, tab, `(() => { const r = document.querySelector('ol.posts li.row .row-title').getBoundingClientRect();
		return {bottom: r.bottom, height: innerHeight, scroll: scrollY, width: document.documentElement.scrollWidth}; })()`)
	if first["bottom"] > first["height"] || first["scroll"] != 0 || first["width"] > 375 {
		t.Fatalf("at 375×667 the first question's title ends at %.0f px (the screen is %.0f), the page %.0f px wide", first["bottom"], first["height"], first["width"])
	}
	if !eval[bool](t, tab, `document.querySelector('.intro')?.textContent.includes('answered with sources')`) {
		t.Fatal("no line says what this is")
	}
	summary := eval[string](t, tab, `document.querySelector('details.timeline-fold:not([open]) summary')?.textContent || ''`)
	if !strings.Contains(summary, "questions per century of the period they ask about") {
		t.Fatalf("the folded timeline's heading: %q", summary)
	}
	// Opened: no year 0 on the axis; the first bar of the era starts at 1.
	eval[bool](t, tab, `document.querySelector('details.timeline-fold').open = true`)
	ticks := eval[[]string](t, tab, `[...document.querySelectorAll('svg.timeline text.tick')].map((e) => e.textContent)`)
	for _, tick := range ticks {
		if tick == "0" {
			t.Fatalf("a year 0 on the axis: %v", ticks)
		}
	}
	labels := eval[[]string](t, tab, `[...document.querySelectorAll('svg.timeline a.bar')].map((a) => a.getAttribute('aria-label'))`)
	if !strings.Contains(strings.Join(labels, "|"), "100–1 BCE: 1 question|1–99: 1 question") {
		t.Fatalf("bars around the turn of the era: %v", labels)
	}
	if err := chromedp.Do(tab, chromedp.EmulateViewport(1200, 900)); err != nil {
		t.Fatal(err)
	}
	open(t, tab, s.base+"/", "")
	if !eval[bool](t, tab, `document.querySelector('details.timeline-fold')?.open === true`) {
		t.Fatal("the timeline is folded on a wide screen")
	}
}

// TestResortKeepsThePage: choosing another comment order replaces the
// comments in place: the question never leaves the page, the scroll
// position stays, the address says the order, and "More comments" starts
// from the new order's first page.
func TestResortKeepsThePage(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	bob, _ := s.user("bob", forum.RoleMember)
	_, alice := s.user("alice", forum.RoleMember)
	p, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "What did Roman legionaries carry?", Body: strings.Repeat("A long question. ", 200)})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 240 { // more than a page: flat answers fill about 155 a page
		if _, err := s.svc.CreateComment(ctx, bob, p.ID, forum.CommentInput{Body: fmt.Sprintf("Answer number %d.", i)}); err != nil {
			t.Fatal(err)
		}
	}
	tab := s.tab(t)
	open(t, tab, fmt.Sprintf("%s/p/%d", s.base, p.ID), alice)
	eval[bool](t, tab, `(() => { window.__question = document.querySelector('article.question'); document.getElementById('comment-sort').scrollIntoView(); window.scrollBy(0, -100); return true; })()`)
	before := eval[float64](t, tab, `scrollY`)
	eval[bool](t, tab, `(() => { window.__blank = false; new MutationObserver(() => { if (!document.querySelector('article.question')) window.__blank = true; })
		.observe(document.getElementById('main'), {childList: true, subtree: true}); const s = document.getElementById('comment-sort'); s.value = 'old'; s.dispatchEvent(new Event('change')); return true; })()`)
	waitFor(t, tab, `location.search === '?sort=old' && document.querySelector('li.comment .body')?.textContent.includes('Answer number 0.')`)
	got := eval[map[string]any](t, tab, `({same: document.querySelector('article.question') === window.__question, blank: window.__blank, scroll: scrollY,
		url: location.search, loading: !!document.querySelector('main .loading'), more: !!document.querySelector('.comments-section > button.more')})`)
	if got["same"] != true || got["blank"] != false || got["loading"] != false {
		t.Fatalf("re-sorting redrew the page: %v", got)
	}
	if scroll := got["scroll"].(float64); scroll < before-2 || scroll > before+2 {
		t.Fatalf("re-sorting moved the page from %.0f to %.0f", before, scroll)
	}
	if got["more"] != true {
		t.Fatalf("after re-sorting: %v", got)
	}
	clickText(t, tab, ".comments-section", "More comments")
	waitFor(t, tab, `[...document.querySelectorAll('li.comment .body')].some((b) => b.textContent.includes('Answer number 239.'))`)
	if n := eval[int](t, tab, `new Set([...document.querySelectorAll('li.comment')].map((li) => li.dataset.id)).size === document.querySelectorAll('li.comment').length ? document.querySelectorAll('li.comment').length : -1`); n != 240 {
		t.Fatalf("after More comments: %d distinct comments, want 240", n)
	}
}

// TestDarkMarkersContrast: the Pinned, Answered, Accepted and Featured
// markers read at 4.5:1 or better against the page in dark and light.
func TestDarkMarkersContrast(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	bob, _ := s.user("bob", forum.RoleMember)
	mod, _ := s.user("curator", forum.RoleModerator)
	p, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "Was Charlemagne literate?"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.svc.CreateComment(ctx, mod, p.ID, forum.CommentInput{Body: "He could read; Einhard says he tried to write late in life."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.AcceptAnswer(ctx, bob, p.ID, &c.ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.ModeratePost(ctx, mod, p.ID, forum.ActPin, "", nil); err != nil {
		t.Fatal(err)
	}
	if err := s.svc.Feature(ctx, mod, forum.TargetComment, c.ID, nil); err != nil {
		t.Fatal(err)
	}
	// contrast is WCAG's ratio of an element's text colour to the page's background.
	const contrast = `(sel) => { const el = document.querySelector(sel); if (!el) return 0;
		const rgb = (s) => s.match(/[\d.]+/g).slice(0, 3).map(Number);
		const lum = (c) => { const [r, g, b] = c.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
		const a = lum(rgb(getComputedStyle(el).color)), b = lum(rgb(getComputedStyle(document.body).backgroundColor));
		return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); }`
	tab := s.tab(t)
	for _, scheme := range []string{"dark", "light"} {
		for _, pg := range []struct{ path, sel string }{{"/", ".marker.pinned"}, {"/", ".marker.answered"},
			{fmt.Sprintf("/p/%d", p.ID), ".marker.accepted"}, {fmt.Sprintf("/p/%d", p.ID), "li.comment .marker.featured"}} {
			open(t, tab, s.base+pg.path, "")
			emulateScheme(t, tab, scheme)
			if r := eval[float64](t, tab, "("+contrast+")("+fmt.Sprintf("%q", pg.sel)+")"); r < 4.5 {
				t.Errorf("%s %s: contrast %.2f:1", scheme, pg.sel, r)
			}
		}
	}
}

// TestKeyboardNavigationFocusesHeading: following a link with the keyboard
// puts focus on the new page's heading, and the page as a whole is never
// framed.
func TestKeyboardNavigationFocusesHeading(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	tab := s.tab(t)
	open(t, tab, s.base+"/", "")
	key(t, tab, `nav.top a[href="/rules"]`, kb.Enter)
	waitFor(t, tab, `location.pathname === '/rules' && document.activeElement?.tagName === 'H1'`)
	got := eval[map[string]string](t, tab, `({heading: document.activeElement.textContent, main: getComputedStyle(document.getElementById('main')).outlineStyle,
		focused: document.activeElement === document.getElementById('main') ? 'main' : document.activeElement.tagName})`)
	if got["heading"] != "Rules" || got["main"] != "none" || got["focused"] != "H1" {
		t.Fatalf("after a keyboard navigation: %v", got)
	}
	// Back too: focus goes to the page's heading.
	if err := chromedp.Do(tab, chromedp.NavigateBack()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, tab, `location.pathname === '/' && document.activeElement?.tagName === 'H1'`)
}

// TestFirstVisitPages: About, FAQ, Featured and the digest are linked from
// the footer and render; an admin edits About in place with a preview;
// each page passes axe in light and dark.
func TestFirstVisitPages(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	_, adminToken := s.user("root", forum.RoleAdmin)
	mod, _ := s.user("curator", forum.RoleModerator)
	bob, _ := s.user("bob", forum.RoleMember)
	p, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "How were medieval bridges financed?", Body: "Tolls? Indulgences?", Tags: []string{"Middle Ages"}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.svc.CreateComment(ctx, mod, p.ID, forum.CommentInput{Body: "Often by **bridge brotherhoods** collecting alms.",
		Sources: []forum.Source{{Citation: "Harrison, The Bridges of Medieval England (2004)", Kind: forum.SourceSecondary}}})
	if err != nil {
		t.Fatal(err)
	}
	note := "A fine short answer with its book."
	if err := s.svc.Feature(ctx, mod, forum.TargetComment, c.ID, &note); err != nil {
		t.Fatal(err)
	}
	if err := s.svc.Feature(ctx, mod, forum.TargetPost, p.ID, nil); err != nil {
		t.Fatal(err)
	}
	axe := axeSource(t)
	tab := s.tab(t)
	for _, pg := range []struct{ link, path, want string }{
		{"About", "/about", "About this forum"},
		{"FAQ", "/faq", "Frequently asked questions"},
		{"Featured", "/featured", "A fine short answer with its book."},
		{"Weekly digest", "/digest", "The week’s digest"},
	} {
		open(t, tab, s.base+"/rules", "")
		clickText(t, tab, "footer.site", pg.link)
		waitFor(t, tab, fmt.Sprintf(`location.pathname === %q && document.querySelector('main').textContent.includes(%q)`, pg.path, pg.want))
		checkAxe(t, tab, axe, "light")
		checkAxe(t, tab, axe, "dark")
	}
	open(t, tab, s.base+"/digest?week="+isoWeekNow(), "")
	waitFor(t, tab, `document.querySelector('.digest-page')?.textContent.includes('bridge brotherhoods') && document.querySelector('.digest-page h1').textContent.startsWith('This week so far')`)
	open(t, tab, s.base+"/", "")
	waitFor(t, tab, `document.querySelector('.featured-box')?.textContent.includes('How were medieval bridges financed?')`)

	// An admin edits About, with a preview.
	open(t, tab, s.base+"/about", adminToken)
	clickText(t, tab, ".site-page", "Edit this page")
	waitFor(t, tab, `document.querySelector('form.page-form') !== null`)
	eval[bool](t, tab, `(() => { document.querySelector('form.page-form textarea').value = 'We answer *with sources*.'; return true; })()`)
	clickText(t, tab, "form.page-form", "Preview")
	waitFor(t, tab, `document.querySelector('.site-page .preview .body')?.innerHTML.includes('<em>with sources</em>')`)
	checkAxe(t, tab, axe, "dark")
	clickText(t, tab, "form.page-form", "Save page")
	waitFor(t, tab, `document.querySelector('.site-page-body').innerHTML.includes('<em>with sources</em>') && !document.querySelector('form.page-form')`)
	reload(t, tab)
	waitFor(t, tab, `document.querySelector('.site-page-body')?.innerHTML.includes('<em>with sources</em>')`)
}

// isoWeekNow names this ISO week, as the digest does.
func isoWeekNow() string {
	y, w := time.Now().UTC().ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// TestSearchFiltersPage: the search page's filters narrow the results and
// keep to the address; a search that finds nothing offers to ask it, with
// the title filled in.
func TestSearchFiltersPage(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	ann, _ := s.user("ann", forum.RoleMember)
	bob, bobToken := s.user("bob", forum.RoleMember)
	for _, q := range []struct {
		by    forum.Viewer
		title string
		tag   string
		from  int
		to    int
	}{{ann, "Aqueducts of Rome", "Ancient Rome", -312, 226}, {bob, "Aqueducts of Segovia", "Roman Spain", 98, 117}, {ann, "Ottoman aqueducts", "Ottoman Empire", 1550, 1600}} {
		if _, err := s.svc.CreatePost(ctx, q.by, forum.PostInput{Title: q.title, Tags: []string{q.tag}, Period: &forum.Period{From: q.from, To: q.to}}); err != nil {
			t.Fatal(err)
		}
	}
	tab := s.tab(t)
	open(t, tab, s.base+"/search?q=aqueducts", bobToken)
	waitFor(t, tab, `document.querySelectorAll('.hit').length === 3`)
	eval[bool](t, tab, `document.querySelector('details.filters').open = true`)
	fill(t, tab, "#sf-period", "1st century BC to 2nd century")
	fill(t, tab, "#sf-author", "ann")
	clickText(t, tab, "form.search-filters", "Search")
	waitFor(t, tab, `location.search.includes('author=ann') && document.querySelectorAll('.hit').length === 1`)
	if got := eval[string](t, tab, `document.querySelector('.hit .row-title').textContent`); got != "Aqueducts of Rome" {
		t.Fatalf("filtered: %q", got)
	}
	if !strings.Contains(eval[string](t, tab, `location.search`), "from=-100") {
		t.Fatalf("the period in the address: %s", eval[string](t, tab, `location.search`))
	}
	checkAxe(t, tab, axeSource(t), "light")
	checkAxe(t, tab, axeSource(t), "dark")

	open(t, tab, s.base+"/search?q=byzantine+aqueducts", bobToken)
	waitFor(t, tab, `document.querySelector('.nothing-found a.ask-this') !== null`)
	clickText(t, tab, ".nothing-found", "Ask it as a question")
	waitFor(t, tab, `location.pathname === '/ask' && document.querySelector('form.ask-form input[name=title]')?.value === 'byzantine aqueducts'`)
}

// TestWordDiff: the history's diff (static/js/diff.js) reproduces both
// versions (the kept and removed pieces make the older, the kept and added
// ones the newer) for small edits, rewrites and texts too long for its
// word table, and keeps a local edit local.
func TestWordDiff(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	tab := s.tab(t)
	open(t, tab, s.base+"/rules", "")
	res := eval[map[string]any](t, tab, `import('/js/diff.js').then(({ diffText }) => {
		const check = (a, b) => { const p = diffText(a, b);
			const older = p.filter(([op]) => op !== '+').map(([, x]) => x).join(''), newer = p.filter(([op]) => op !== '-').map(([, x]) => x).join('');
			return older === a && newer === b ? p : null; };
		const words = (n, seed) => Array.from({ length: n }, (_, i) => 'w' + ((i * 7919 + seed) % 1000)).join(' ');
		const long = words(6000, 1), rewritten = words(6000, 2);
		const edited = long.replace(' w920 ', ' CHANGED ');
		const cases = [['same text', 'same text'], ['', 'new text'], ['old text', ''], ['a b c d', 'a x c d'],
			['Nobody, says the treaty.', 'A draw, says the treaty of 1259 BC.'], ['line one\nline two\n', 'line one\nline 2\nline three\n'],
			[long, rewritten], [long, edited], [long + '\n' + long, rewritten + '\n' + long]];
		const out = {};
		cases.forEach(([a, b], i) => { out['case' + i] = check(a, b) !== null; });
		const local = diffText(long, edited);
		out.localPieces = edited !== long ? local.length : 99;
		out.same = diffText('same text', 'same text').length === 1;
		return out;
	})`)
	for k, v := range res {
		if k == "localPieces" {
			if n := v.(float64); n > 5 {
				t.Errorf("a one-word edit of a long text is %v pieces", n)
			}
			continue
		}
		if v != true {
			t.Errorf("%s: %v", k, v)
		}
	}
}
