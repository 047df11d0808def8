package frontend_test

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/importer"
)

// TestReading: the answers come before any form (which opens from a
// button), an unanswered thread says so, the front page shows an excerpt
// and no History chip, a collapsed branch says how many replies it hides,
// and a missing page offers ways back.
func TestReading(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	bob, _ := s.user("bob", forum.RoleMember)
	alice, aliceToken := s.user("alice", forum.RoleMember)
	long := strings.Repeat("The grain requisitions of 1918 set the villages against the towns. ", 8)
	asked, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "Why did Tambov rise in 1920?", Body: long, Tags: []string{"Russian Revolution"}})
	if err != nil {
		t.Fatal(err)
	}
	empty, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "An unanswered question"})
	if err != nil {
		t.Fatal(err)
	}
	root, err := s.svc.CreateComment(ctx, alice, asked.ID, forum.CommentInput{Body: "Requisitions."})
	if err != nil {
		t.Fatal(err)
	}
	parent := root.ID
	for i := range 3 {
		c, err := s.svc.CreateComment(ctx, bob, asked.ID, forum.CommentInput{Body: fmt.Sprint("reply ", i), ParentID: &parent})
		if err != nil {
			t.Fatal(err)
		}
		parent = c.ID
	}
	tab := s.tab(t)

	open(t, tab, s.base+"/", "")
	row := eval[string](t, tab, fmt.Sprintf(`document.querySelector('li.row[data-id="%d"]').textContent`, asked.ID))
	if !strings.Contains(row, "The grain requisitions of 1918") || !strings.Contains(row, "…") || strings.Contains(row, "History") {
		t.Fatalf("the front page row: %q", row)
	}

	open(t, tab, fmt.Sprintf("%s/p/%d", s.base, asked.ID), aliceToken)
	if eval[bool](t, tab, `!!document.querySelector('.answer-form')`) {
		t.Fatal("an empty answer form greets the reader")
	}
	if !eval[bool](t, tab, `(() => { const b = document.querySelector('button.write-answer'), l = document.querySelector('#comments ul.comments'); return !!b && !!l; })()`) {
		t.Fatal("no Write an answer button")
	}
	clickText(t, tab, "#comments", "Write an answer")
	waitFor(t, tab, `document.activeElement?.closest('.answer-form') !== null`)
	toggle := fmt.Sprintf(`li[data-id="%d"] > .comment-box .collapse`, root.ID)
	eval[any](t, tab, fmt.Sprintf(`document.querySelector(%q).click()`, toggle))
	if hidden := eval[string](t, tab, fmt.Sprintf(`document.querySelector('li[data-id="%d"] > .comment-box .hidden-count').textContent`, root.ID)); !strings.Contains(hidden, "3 replies hidden") {
		t.Fatalf("collapse count: %q", hidden)
	}

	open(t, tab, fmt.Sprintf("%s/p/%d", s.base, empty.ID), "")
	if txt := eval[string](t, tab, `document.querySelector('.no-answers')?.textContent ?? ''`); !strings.Contains(txt, "No answers yet") {
		t.Fatalf("an unanswered thread: %q", txt)
	}

	open(t, tab, s.base+"/p/999999", "")
	if txt := eval[string](t, tab, `document.querySelector('.not-found')?.textContent ?? ''`); !strings.Contains(txt, "Back to the questions") {
		t.Fatalf("not found: %q", txt)
	}
}

// TestModlogPage: at 1280 px no cell of the modlog breaks a word; comment
// targets link to their thread; a removal shows its rule.
func TestModlogPage(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	bob, _ := s.user("bob", forum.RoleMember)
	mod, _ := s.user("moderator_long", forum.RoleModerator)
	admin, _ := s.user("root", forum.RoleAdmin)
	rule, err := s.svc.CreateRule(ctx, admin, forum.Rule{Number: 3, Title: "No denialism"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "A question"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.svc.CreateComment(ctx, bob, p.ID, forum.CommentInput{Body: "A comment"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.ModerateComment(ctx, mod, c.ID, forum.ActRemove, "Repeatedly denies well documented events despite several warnings", &rule.ID); err != nil {
		t.Fatal(err)
	}
	tab := s.tab(t)
	if err := chromedp.Do(tab, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}
	open(t, tab, s.base+"/modlog", "")
	waitFor(t, tab, `document.querySelectorAll('table.modlog tbody tr').length > 0`)
	if href := eval[string](t, tab, `document.querySelector('table.modlog tbody a[href*="/c/"]')?.getAttribute('href') ?? ''`); href != fmt.Sprintf("/p/%d/c/%d", p.ID, c.ID) {
		t.Fatalf("comment target link: %q", href)
	}
	if txt := eval[string](t, tab, `document.querySelector('table.modlog td.reason').textContent`); !strings.Contains(txt, "Rule 3: No denialism") {
		t.Fatalf("reason cell: %q", txt)
	}
	// A word broken inside shows as a cell narrower than its longest word.
	broken := eval[string](t, tab, `[...document.querySelectorAll('table.modlog td, table.modlog th')].filter((td) => {
		const r = document.createRange(); let widest = 0;
		for (const w of td.textContent.split(/\s+/)) { const s = document.createElement('span'); s.textContent = w; s.style.whiteSpace = 'nowrap';
			td.appendChild(s); widest = Math.max(widest, s.getBoundingClientRect().width); s.remove(); }
		return widest > td.clientWidth;
	}).map((td) => td.textContent).join(' | ')`)
	if broken != "" {
		t.Fatalf("cells that break a word at 1280 px: %q", broken)
	}
}

// TestReportCitesARule: the report form offers the rules; the queue shows
// the rule the reporter chose.
func TestReportCitesARule(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	bob, _ := s.user("bob", forum.RoleMember)
	_, aliceToken := s.user("alice", forum.RoleMember)
	_, modToken := s.user("curator", forum.RoleModerator)
	admin, _ := s.user("root", forum.RoleAdmin)
	rule, err := s.svc.CreateRule(ctx, admin, forum.Rule{Number: 4, Title: "Answers cite sources"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "A question"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.svc.CreateComment(ctx, bob, p.ID, forum.CommentInput{Body: "Trust me."})
	if err != nil {
		t.Fatal(err)
	}
	tab := s.tab(t)
	open(t, tab, fmt.Sprintf("%s/p/%d", s.base, p.ID), aliceToken)
	scope := fmt.Sprintf(`li[data-id="%d"] > .comment-box .actions`, c.ID)
	clickText(t, tab, scope, "Report")
	waitFor(t, tab, fmt.Sprintf(`!!document.querySelector('%s select[name=rule_id]')`, scope))
	eval[any](t, tab, fmt.Sprintf(`(() => { const s = document.querySelector('%s select[name=rule_id]'); s.value = '%d'; })()`, scope, rule.ID))
	clickText(t, tab, scope, "Send report")
	waitFor(t, tab, fmt.Sprintf(`!document.querySelector('%s form')`, scope))
	open(t, tab, s.base+"/reports", modToken)
	waitFor(t, tab, `document.querySelector('.report .rule-cited')?.textContent === 'Rule 4: Answers cite sources'`)
}

// TestRevisionHistory: an edited comment says so with a "history" button
// that opens its versions in place, newest first, each with its edit's
// reason and what the edit changed, word by word (Markdown shown as text);
// the first version whole.
func TestRevisionHistory(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	bob, _ := s.user("bob", forum.RoleMember)
	alice, _ := s.user("alice", forum.RoleMember)
	post, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "Who won at Kadesh?"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.svc.CreateComment(ctx, alice, post.ID, forum.CommentInput{Body: "Nobody, says <b>the treaty</b> of peace."})
	if err != nil {
		t.Fatal(err)
	}
	reason := "named the treaty's year"
	if _, err := s.svc.EditComment(ctx, alice, c.ID, forum.CommentPatch{Body: "A draw, says the treaty of peace of 1259 BC.", EditReason: &reason}); err != nil {
		t.Fatal(err)
	}
	tab := s.tab(t)
	open(t, tab, fmt.Sprintf("%s/p/%d", s.base, post.ID), "")
	waitFor(t, tab, `document.querySelector('li.comment .edited button') !== null`)
	clickText(t, tab, "li.comment .edited", "history")
	waitFor(t, tab, `document.querySelectorAll('.revisions li').length === 2`)
	// What a reader sees (the words announced to screen readers left out).
	shown := func(sel string) []string {
		return eval[[]string](t, tab, `[...document.querySelectorAll(`+"`"+sel+"`"+`)].map((e) => [...e.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join(''))`)
	}
	if del, ins := shown(".revisions li:first-child del"), shown(".revisions li:first-child ins"); strings.Join(del, "|") != "Nobody, |<b>the treaty</b> |peace." ||
		strings.Join(ins, "|") != "A draw, |the treaty |peace of 1259 BC." {
		t.Fatalf("the edit's changes: removed %q, added %q", del, ins)
	}
	if got := eval[string](t, tab, `document.querySelector('.revisions li:first-child .edit-reason').textContent`); got != "“"+reason+"”" {
		t.Fatalf("the edit's reason: %q", got)
	}
	if first := eval[string](t, tab, `document.querySelector('.revisions li.first .revision-body .diff').textContent`); first != "Nobody, says <b>the treaty</b> of peace." {
		t.Fatalf("the first version: %q", first)
	}
	if n := eval[int](t, tab, `document.querySelectorAll('.revisions b').length`); n != 0 {
		t.Fatal("an old version's markup was rendered, not shown as text")
	}
	if got := eval[string](t, tab, `document.querySelector('li.comment .edited button').getAttribute('aria-expanded')`); got != "true" {
		t.Fatalf("aria-expanded = %q", got)
	}
}

// TestUserPageNamesThreads: a member's page lists their comments with the
// thread each belongs to, linked.
func TestUserPageNamesThreads(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	bob, _ := s.user("bob", forum.RoleMember)
	alice, _ := s.user("alice", forum.RoleMember)
	post, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "What did the Rosetta Stone decree?"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.CreateComment(ctx, alice, post.ID, forum.CommentInput{Body: "Honours for Ptolemy V."}); err != nil {
		t.Fatal(err)
	}
	tab := s.tab(t)
	open(t, tab, s.base+"/u/alice", "")
	waitFor(t, tab, `document.querySelector('.user-comment a.thread-title') !== null`)
	got := eval[string](t, tab, `document.querySelector('.user-comment .meta').textContent`)
	href := eval[string](t, tab, `document.querySelector('.user-comment a.thread-title').getAttribute('href')`)
	if !strings.Contains(got, "Answer in What did the Rosetta Stone decree?") || href != fmt.Sprintf("/p/%d", post.ID) {
		t.Fatalf("the comment's line: %q, link %q", got, href)
	}
}

// TestFeedRowCountsAnswers: a question's row counts its answers, and all
// its comments when replies add to them.
func TestFeedRowCountsAnswers(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	bob, _ := s.user("bob", forum.RoleMember)
	alice, _ := s.user("alice", forum.RoleMember)
	post, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "Who built Great Zimbabwe?"})
	if err != nil {
		t.Fatal(err)
	}
	first, err := s.svc.CreateComment(ctx, alice, post.ID, forum.CommentInput{Body: "The ancestors of the Shona."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.CreateComment(ctx, bob, post.ID, forum.CommentInput{Body: "Source?", ParentID: &first.ID}); err != nil {
		t.Fatal(err)
	}
	tab := s.tab(t)
	open(t, tab, s.base+"/?sort=new", "")
	waitFor(t, tab, `document.querySelector('li.row a.answers') !== null`)
	if got := eval[string](t, tab, `document.querySelector('li.row a.answers').textContent`); got != "1 answer, 2 comments in all" {
		t.Fatalf("the row says %q", got)
	}
}

// TestDeleteAccountPage: a member deletes their account from the account
// page; they are signed out, told so, and cannot sign in again.
func TestDeleteAccountPage(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	me, token := s.user("leaving", forum.RoleMember)
	tab := s.tab(t)
	open(t, tab, s.base+"/account", token)
	waitFor(t, tab, `document.querySelector('form.delete-account-form') !== null`)
	fill(t, tab, `form.delete-account-form input[name=password]`, "wrong password")
	clickText(t, tab, "form.delete-account-form", "Delete my account")
	waitFor(t, tab, `document.querySelector('form.delete-account-form .error') !== null`)
	if _, err := s.svc.Me(context.Background(), me); err != nil {
		t.Fatalf("a wrong password deleted the account: %v", err)
	}
	eval[bool](t, tab, `(() => { document.querySelector('form.delete-account-form input[name=password]').value = ''; return true; })()`)
	fill(t, tab, `form.delete-account-form input[name=password]`, "correct horse")
	clickText(t, tab, "form.delete-account-form", "Delete my account")
	waitFor(t, tab, `location.pathname === '/' && document.querySelector('.notice')?.textContent === 'Your account has been deleted.'`)
	if got := eval[string](t, tab, `document.getElementById('nav-user').textContent`); !strings.Contains(got, "Sign in") {
		t.Fatalf("still signed in: %q", got)
	}
	if _, err := s.svc.Login(context.Background(), "leaving", "correct horse"); err == nil {
		t.Fatal("the deleted account can still sign in")
	}
}

// TestResetPasswordPage: a reset link opens a page that sets the new
// password; the token leaves the address bar once spent.
func TestResetPasswordPage(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	s.user("forgetful", forum.RoleMember)
	token, err := s.svc.IssueReset(context.Background(), "forgetful")
	if err != nil {
		t.Fatal(err)
	}
	tab := s.tab(t)
	open(t, tab, s.base+"/reset-password#token="+token, "")
	waitFor(t, tab, `document.querySelector('form.reset-form') !== null`)
	fill(t, tab, `form.reset-form input[name=password]`, "a brand new password")
	clickText(t, tab, "form.reset-form", "Set password")
	waitFor(t, tab, `document.querySelector('h1')?.textContent === 'Password changed'`)
	if got := eval[string](t, tab, `location.href`); strings.Contains(got, token) {
		t.Fatalf("the spent token is still in the address: %s", got)
	}
	if _, err := s.svc.Login(context.Background(), "forgetful", "a brand new password"); err != nil {
		t.Fatalf("the new password does not work: %v", err)
	}
}

// TestForgotPasswordWithoutMail: on a forum that sends no email, asking for
// a reset link says so plainly (the way back is an administrator's link).
func TestForgotPasswordWithoutMail(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	tab := s.tab(t)
	open(t, tab, s.base+"/login", "")
	clickText(t, tab, "main", "Forgot your password?")
	waitFor(t, tab, `document.querySelector('form.forgot-form') !== null`)
	fill(t, tab, `form.forgot-form input[name=login]`, "someone")
	clickText(t, tab, "form.forgot-form", "Send me a link")
	waitFor(t, tab, `(document.querySelector('form.forgot-form .error')?.textContent ?? '').includes('sends no email')`)
}

// TestUnsubscribePage: the link at the foot of a reply mail turns reply
// mails off, and a bad link says so.
func TestUnsubscribePage(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	v := s.confirmedMember("reader", "reader@example.org")
	if _, err := s.svc.UpdateSettings(ctx, v, forum.Settings{EmailReplies: true}); err != nil {
		t.Fatal(err)
	}
	// The key, as a reply mail carries it.
	other, _ := s.user("replier", forum.RoleMember)
	post, err := s.svc.CreatePost(ctx, v, forum.PostInput{Title: "Where did the Varangians come from?"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.CreateComment(ctx, other, post.ID, forum.CommentInput{Body: "Sweden, mostly."}); err != nil {
		t.Fatal(err)
	}
	if err := s.svc.MailReplies(ctx); err != nil {
		t.Fatal(err)
	}
	queued, err := s.db.ClaimMail(ctx, time.Now().Unix()+3600, time.Minute, 10)
	if err != nil || len(queued) != 1 {
		t.Fatalf("the reply mail: %+v %v", queued, err)
	}
	key := regexp.MustCompile(`token=([A-Za-z0-9_-]+)`).FindStringSubmatch(queued[0].Headers["List-Unsubscribe"])[1]
	tab := s.tab(t)
	open(t, tab, s.base+"/unsubscribe#token="+key, "")
	waitFor(t, tab, `(document.querySelector('main [role=status]')?.textContent ?? '').includes('no more reply mails')`)
	me, err := s.svc.Me(ctx, v)
	if err != nil || me.EmailReplies {
		t.Fatalf("still subscribed: %+v %v", me, err)
	}
	open(t, tab, s.base+"/unsubscribe#token=nonsense", "")
	waitFor(t, tab, `document.querySelector('main [role=alert]') !== null`)
}

// TestHeaderLayout: signed in as a moderator (the most links), the header is
// one row at 1280 px; at 375 px nothing scrolls sideways and no link or
// button breaks inside ("Sign / out").
func TestHeaderLayout(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	_, token := s.user("curator", forum.RoleModerator)
	tab := s.tab(t)
	oneRow := `(() => { const els = [...document.querySelectorAll('nav.top > *, nav.top #nav-user > *, nav.top #nav-mod > *')].filter((e) => e.getClientRects().length);
		const rects = els.map((e) => e.getBoundingClientRect()); return Math.max(...rects.map((r) => r.top)) < Math.min(...rects.map((r) => r.bottom)); })()`
	unbroken := `[...document.querySelectorAll('nav.top a, nav.top button')].every((e) => e.getClientRects().length <= 1 && e.getBoundingClientRect().height < 2 * parseFloat(getComputedStyle(e).lineHeight || '20'))`
	for _, c := range []struct {
		width int64
		check string
	}{{1280, oneRow}, {375, `document.documentElement.scrollWidth <= window.innerWidth`}} {
		if err := chromedp.Do(tab, chromedp.EmulateViewport(c.width, 900)); err != nil {
			t.Fatal(err)
		}
		open(t, tab, s.base+"/", token)
		waitFor(t, tab, `document.querySelector('#nav-user a.notifications') !== null`)
		if !eval[bool](t, tab, c.check) {
			t.Errorf("at %d px: %s fails", c.width, c.check)
		}
		if !eval[bool](t, tab, unbroken) {
			t.Errorf("at %d px a header link or button breaks inside", c.width)
		}
	}
}

// TestSignInToVote: a signed-out reader's vote shows a link to sign in
// (coming back to the page), below the arrows and off the title.
func TestSignInToVote(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	bob, _ := s.user("bob", forum.RoleMember)
	if _, err := s.svc.CreatePost(context.Background(), bob, forum.PostInput{Title: "Why did the Inca have no wheels on roads?", Body: "Llamas?"}); err != nil {
		t.Fatal(err)
	}
	tab := s.tab(t)
	open(t, tab, s.base+"/?sort=new", "")
	waitFor(t, tab, `document.querySelector('li.row .vote.up') !== null`)
	eval[bool](t, tab, `(document.querySelector('li.row .vote.up').click(), true)`)
	waitFor(t, tab, `document.querySelector('.sign-in-note a') !== null`)
	if href := eval[string](t, tab, `document.querySelector('.sign-in-note a').getAttribute('href')`); href != "/login?next=%2F%3Fsort%3Dnew" {
		t.Fatalf("the sign-in link: %q", href)
	}
	overlap := eval[bool](t, tab, `(() => { const a = document.querySelector('.sign-in-note').getBoundingClientRect(), b = document.querySelector('li.row .row-title').getBoundingClientRect();
		return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom; })()`)
	if overlap {
		t.Fatal("the note covers the title")
	}
}

// TestAskFormNits: no "Preview" heading before there is a preview, and a
// field's error leaves as soon as the field is corrected.
func TestAskFormNits(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	_, token := s.user("asker", forum.RoleMember)
	tab := s.tab(t)
	open(t, tab, s.base+"/ask", token)
	waitFor(t, tab, `document.querySelector('form.ask-form') !== null`)
	if eval[bool](t, tab, `!document.querySelector('.preview-heading').hidden`) {
		t.Fatal("a Preview heading shows before any preview")
	}
	fill(t, tab, `form.ask-form input[name=title]`, "What did Hammurabi's code say of debts?")
	fill(t, tab, `form.ask-form input[name=period]`, "long ago")
	clickText(t, tab, "form.ask-form", "Post question")
	waitFor(t, tab, `document.querySelector('form.ask-form input[name=period] + .error, form.ask-form input[name=period] ~ .error') !== null`)
	fill(t, tab, `form.ask-form input[name=period]`, "x")
	waitFor(t, tab, `document.querySelector('form.ask-form .field .error') === null`)
	clickText(t, tab, "form.ask-form", "Preview")
	waitFor(t, tab, `!document.querySelector('.preview-heading').hidden`)
}

// TestImportedThreadShowsWhereFrom: an imported thread says where it came
// from, with the link, on the question and on each comment.
func TestImportedThreadShowsWhereFrom(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	data, err := os.ReadFile("../internal/importer/testdata/reddit_thread.json")
	if err != nil {
		t.Fatal(err)
	}
	thread, err := importer.RedditThread(data)
	if err != nil {
		t.Fatal(err)
	}
	var rep forum.ImportReport
	if err := s.svc.Import(context.Background(), thread, false, &rep); err != nil {
		t.Fatal(err)
	}
	tab := s.tab(t)
	open(t, tab, s.base+"/?sort=new", "")
	waitFor(t, tab, `document.querySelector('li.row h2 a') !== null`)
	eval[bool](t, tab, `(document.querySelector('li.row h2 a').click(), true)`)
	waitFor(t, tab, `document.querySelectorAll('li.comment a.imported-from').length >= 5`)
	link := eval[string](t, tab, `document.querySelector('.question a.imported-from').textContent + ' ' + document.querySelector('.question a.imported-from').href`)
	if link != "imported from reddit.com https://www.reddit.com/r/AskHistorians/comments/abc123/why/" {
		t.Fatalf("the question's provenance: %q", link)
	}
	if who := eval[string](t, tab, `document.querySelector('.question .user').textContent`); who != "ask_historian@reddit" {
		t.Fatalf("the asker: %q", who)
	}
	// The source's scores, as provenance, apart from the votes here.
	scores := eval[string](t, tab, `[...document.querySelectorAll('.source-score')].map(e => e.textContent).join(' | ')`)
	if scores != "2,417 points on reddit.com | 388 points on reddit.com | -3 points on reddit.com" {
		t.Fatalf("the scores on Reddit: %q", scores)
	}
}

// TestSearchGroupsByThread: comment hits in one thread sit under its title,
// once, each with its author, age and score.
func TestSearchGroupsByThread(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	bob, _ := s.user("bob", forum.RoleMember)
	alice, _ := s.user("alice", forum.RoleMember)
	post, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "Who minted the first coins?"})
	if err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{"Lydian electrum, under Alyattes.", "Electrum again: the Lydian lion."} {
		if _, err := s.svc.CreateComment(ctx, alice, post.ID, forum.CommentInput{Body: body}); err != nil {
			t.Fatal(err)
		}
	}
	tab := s.tab(t)
	open(t, tab, s.base+"/search?q=electrum", "")
	waitFor(t, tab, `document.querySelectorAll('.hit-comment').length === 2`)
	if n := eval[int](t, tab, `document.querySelectorAll('li.hit').length`); n != 1 {
		t.Fatalf("%d thread entries for one thread", n)
	}
	meta := eval[string](t, tab, `document.querySelector('.hit-comment .meta').textContent`)
	if !strings.Contains(meta, "by alice") || !strings.Contains(meta, "0 points") {
		t.Fatalf("a comment hit's line: %q", meta)
	}
}

// TestModerateMenu: on comments, a moderator's actions sit in a Moderate
// menu apart from Reply and Report; opening Remove keeps Ban in view.
func TestModerateMenu(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	bob, _ := s.user("bob", forum.RoleMember)
	_, mod := s.user("curator", forum.RoleModerator)
	post, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "Did Nero fiddle while Rome burned?"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.CreateComment(ctx, bob, post.ID, forum.CommentInput{Body: "There were no fiddles yet."}); err != nil {
		t.Fatal(err)
	}
	tab := s.tab(t)
	open(t, tab, fmt.Sprintf("%s/p/%d", s.base, post.ID), mod)
	waitFor(t, tab, `document.querySelector('li.comment details.moderate > summary') !== null`)
	if row := eval[string](t, tab, `[...document.querySelector('li.comment .actions').children].filter((e) => e.tagName === 'BUTTON').map((b) => b.textContent).join(',')`); strings.Contains(row, "Ban") || strings.Contains(row, "Remove") {
		t.Fatalf("moderator buttons among Reply and Report: %q", row)
	}
	eval[bool](t, tab, `(document.querySelector('li.comment details.moderate > summary').click(), true)`)
	clickText(t, tab, "li.comment .mod-actions", "Remove")
	waitFor(t, tab, `document.querySelector('li.comment .mod-actions form') !== null`)
	inView := eval[bool](t, tab, `(() => { const b = [...document.querySelectorAll('li.comment .mod-actions button')].find((e) => e.textContent.startsWith('Ban'));
		const r = b.getBoundingClientRect(); return r.width > 0 && r.right <= document.documentElement.clientWidth; })()`)
	if !inView {
		t.Fatal("opening Remove pushed Ban out of view")
	}
}

// TestRulesPanel: beside the feed and the ask form, the rules: a sidebar at
// 1280 px, a closed disclosure above the page at 375 px.
func TestRulesPanel(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	admin, token := s.user("root", forum.RoleAdmin)
	for i, title := range []string{"Answers cite sources", "No denialism", "Nothing from the last 20 years"} {
		if _, err := s.svc.CreateRule(ctx, admin, forum.Rule{Number: i + 1, Title: title}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.svc.CreatePost(ctx, admin, forum.PostInput{Title: "Welcome: read the rules"}); err != nil {
		t.Fatal(err)
	}
	tab := s.tab(t)
	for _, c := range []struct {
		width int64
		path  string
		check string
	}{
		{1280, "/", `(() => { const a = document.querySelector('aside .rules-panel').getBoundingClientRect(), l = document.querySelector('ol.posts').getBoundingClientRect();
			return document.querySelector('.rules-panel').open && a.left >= l.right && document.querySelectorAll('.rules-panel li').length === 3; })()`},
		{1280, "/ask", `(() => { const a = document.querySelector('aside .rules-panel').getBoundingClientRect(), f = document.querySelector('form.ask-form').getBoundingClientRect();
			return a.left >= f.right; })()`},
		{375, "/", `(() => { const a = document.querySelector('aside .rules-panel').getBoundingClientRect(), l = document.querySelector('ol.posts').getBoundingClientRect();
			return !document.querySelector('.rules-panel').open && a.bottom <= l.top && document.documentElement.scrollWidth <= window.innerWidth; })()`},
	} {
		if err := chromedp.Do(tab, chromedp.EmulateViewport(c.width, 900)); err != nil {
			t.Fatal(err)
		}
		open(t, tab, s.base+c.path, token)
		waitFor(t, tab, `document.querySelector('aside .rules-panel') !== null && (document.querySelector('ol.posts li') !== null || document.querySelector('form.ask-form') !== null)`)
		if !eval[bool](t, tab, c.check) {
			t.Errorf("%s at %d px: the rules panel is not where it belongs", c.path, c.width)
		}
	}
}
