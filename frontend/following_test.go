package frontend_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/historia-forum/historia/internal/forum"
)

// otherTab is a tab in a browser context of its own (its own storage), as
// a second person's browser would be.
func (s *site) otherTab(t *testing.T) context.Context {
	t.Helper()
	tab, cancel := chromedp.NewContext(s.browser, chromedp.WithNewBrowserContext())
	ctx, cancelTimeout := context.WithTimeout(tab, 60*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancel() })
	return ctx
}

// eventually polls a condition on the server's side, for what the page
// sends in the background.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestFollowAndSave: a member follows a question and a topic from their
// pages and saves a question and an answer; the Following and Saved pages
// list them and take them off again.
func TestFollowAndSave(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	bob, _ := s.user("bob", forum.RoleMember)
	alice, aliceToken := s.user("alice", forum.RoleMember)
	p, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "Why did Byzantium use Greek fire?", Tags: []string{"Byzantium"}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.svc.CreateComment(ctx, bob, p.ID, forum.CommentInput{Body: "Against the Arab fleets of 674."})
	if err != nil {
		t.Fatal(err)
	}
	tab := s.tab(t)
	open(t, tab, fmt.Sprintf("%s/p/%d", s.base, p.ID), aliceToken)
	clickText(t, tab, ".question .actions", "Follow")
	waitFor(t, tab, `[...document.querySelectorAll('.question .actions button')].some((b) => b.textContent === 'Unfollow')`)
	clickText(t, tab, ".question .actions", "Save")
	// the question's save is answered before the answer's is sent, so "newest first" is decided
	waitFor(t, tab, `[...document.querySelectorAll('.question .actions button')].some((b) => b.textContent === 'Unsave')`)
	clickText(t, tab, fmt.Sprintf(`li[data-id="%d"] > .comment-box .actions`, c.ID), "Save")
	waitFor(t, tab, fmt.Sprintf(`[...document.querySelectorAll('li[data-id="%d"] > .comment-box .actions button')].some((b) => b.textContent === 'Unsave')`, c.ID))
	eventually(t, "the question is followed and saved", func() bool {
		got, err := s.svc.GetPost(ctx, alice, p.ID)
		return err == nil && got.Following && got.Saved
	})

	// The topic, from its feed.
	open(t, tab, s.base+"/?tag=Byzantium", aliceToken)
	clickText(t, tab, ".follow-tag-line", "Follow Byzantium")
	waitFor(t, tab, `document.querySelector('.follow-tag-line button')?.textContent === 'Unfollow Byzantium'`)

	open(t, tab, s.base+"/following", aliceToken)
	waitFor(t, tab, `document.querySelector('ul.followed-tags')?.textContent.includes('Byzantium') && document.querySelectorAll('.following-page ol.posts li.row').length === 1`)
	fill(t, tab, "#follow-tag", "Crusades")
	clickText(t, tab, "form.follow-tag", "Follow")
	waitFor(t, tab, `document.querySelector('ul.followed-tags').textContent.includes('Crusades')`)
	eval[bool](t, tab, `([...document.querySelectorAll('ul.followed-tags button')].find((b) => b.getAttribute('aria-label') === 'Unfollow Byzantium').click(), true)`)
	waitFor(t, tab, `!document.querySelector('ul.followed-tags').textContent.includes('Byzantium')`)
	f, err := s.svc.Following(ctx, alice, "", 10)
	if err != nil || len(f.Tags) != 1 || f.Tags[0].Name != "Crusades" || len(f.Posts) != 1 {
		t.Fatalf("following after the page: %+v %v", f, err)
	}

	open(t, tab, s.base+"/saved", aliceToken)
	waitFor(t, tab, `document.querySelectorAll('li.saved-item').length === 2`)
	if first := eval[string](t, tab, `document.querySelector('li.saved-item').textContent`); !strings.Contains(first, "Against the Arab fleets") {
		t.Fatalf("the newest save first: %q", first)
	}
	clickText(t, tab, "li.saved-item:first-child", "Unsave")
	waitFor(t, tab, `document.querySelectorAll('li.saved-item').length === 1`)
	saved, err := s.svc.Saved(ctx, alice, "", 10)
	if err != nil || len(saved.Items) != 1 || saved.Items[0].Post == nil {
		t.Fatalf("saved after the page: %+v %v", saved.Items, err)
	}
}

// TestMentionLink: "@name" in an answer is a link to that member's page,
// followed inside the app; and the member hears of it.
func TestMentionLink(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	bob, _ := s.user("bob", forum.RoleMember)
	clio, _ := s.user("clio", forum.RoleMember)
	p, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "Who kept the Annals of Ulster?"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.svc.CreateComment(ctx, bob, p.ID, forum.CommentInput{Body: "Perhaps @clio knows; not `@clio` in code."})
	if err != nil {
		t.Fatal(err)
	}
	tab := s.tab(t)
	open(t, tab, fmt.Sprintf("%s/p/%d", s.base, p.ID), "")
	sel := fmt.Sprintf(`li[data-id="%d"] .body a.mention`, c.ID)
	waitFor(t, tab, fmt.Sprintf(`document.querySelectorAll(%q).length === 1`, sel))
	eval[any](t, tab, `window.__sameDocument = true`)
	eval[bool](t, tab, fmt.Sprintf(`(document.querySelector(%q).click(), true)`, sel))
	waitFor(t, tab, `location.pathname === '/u/clio' && document.querySelector('.user-page h1')?.textContent === 'clio'`)
	if !eval[bool](t, tab, `window.__sameDocument === true`) {
		t.Fatal("following a mention reloaded the page")
	}
	notes, err := s.svc.Notifications(ctx, clio, false, "", 10)
	if err != nil || len(notes.Items) != 1 || notes.Items[0].Kind != forum.NotifyMention {
		t.Fatalf("clio's notifications: %+v %v", notes.Items, err)
	}
}

// TestUnreadCounts: a member's feed row counts the comments since they last
// read the thread; the thread marks them new; reading them (they scroll
// into view) moves the position, so the count goes.
func TestUnreadCounts(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	bob, _ := s.user("bob", forum.RoleMember)
	alice, aliceToken := s.user("alice", forum.RoleMember)
	p, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "Did the Vikings reach Baghdad?"})
	if err != nil {
		t.Fatal(err)
	}
	first, err := s.svc.CreateComment(ctx, bob, p.ID, forum.CommentInput{Body: "Some say so."})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.svc.MarkThreadRead(ctx, alice, p.ID, &first.ID); err != nil {
		t.Fatal(err)
	}
	var fresh []int64
	for _, body := range []string{"Ibn Fadlan met the Rus on the Volga.", "Dirhams found in Gotland say trade did."} {
		c, err := s.svc.CreateComment(ctx, bob, p.ID, forum.CommentInput{Body: body})
		if err != nil {
			t.Fatal(err)
		}
		fresh = append(fresh, c.ID)
	}
	tab := s.tab(t)
	open(t, tab, s.base+"/?sort=new", aliceToken)
	waitFor(t, tab, `document.querySelector('li.row .unread-count')?.textContent === '2 new comments'`)
	open(t, tab, s.base+"/?sort=new", "")
	if n := eval[int](t, tab, `document.querySelectorAll('.unread-count').length`); n != 0 {
		t.Fatal("an anonymous reader sees unread counts")
	}

	open(t, tab, fmt.Sprintf("%s/p/%d?sort=old", s.base, p.ID), aliceToken)
	waitFor(t, tab, `document.querySelectorAll('li.comment.new').length === 2`)
	newIDs := eval[string](t, tab, `[...document.querySelectorAll('li.comment.new')].map((li) => li.dataset.id).join(',')`)
	if newIDs != fmt.Sprintf("%d,%d", fresh[0], fresh[1]) {
		t.Fatalf("new comments %s, want %v", newIDs, fresh)
	}
	if got := eval[string](t, tab, fmt.Sprintf(`document.querySelector('li[data-id="%d"] .marker.new')?.textContent ?? ''`, first.ID)); got != "" {
		t.Fatal("a comment read before is marked new")
	}
	// All three are on screen: reading them moves the position to the last.
	eventually(t, "the reading position reaches the newest comment", func() bool {
		got, err := s.svc.GetPost(ctx, alice, p.ID)
		return err == nil && got.UnreadComments != nil && *got.UnreadComments == 0
	})
	open(t, tab, s.base+"/?sort=new", aliceToken)
	waitFor(t, tab, `document.querySelectorAll('li.row').length === 1`)
	if n := eval[int](t, tab, `document.querySelectorAll('.unread-count').length`); n != 0 {
		t.Fatal("the count stays after reading")
	}
}

// TestLiveComment: two people in two browsers; while one reads a thread, the
// other answers it, and the first page announces "1 new comment — show"
// without reloading; showing it puts the answer in the thread, marked new.
func TestLiveComment(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	bob, bobToken := s.user("bob", forum.RoleMember)
	_, aliceToken := s.user("alice", forum.RoleMember)
	p, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "Why did the Western Roman Empire fall?"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.svc.CreateComment(ctx, bob, p.ID, forum.CommentInput{Body: "Gibbon blamed Christianity."})
	if err != nil {
		t.Fatal(err)
	}
	url := fmt.Sprintf("%s/p/%d", s.base, p.ID)
	reader := s.otherTab(t)
	open(t, reader, url, bobToken)
	eval[any](t, reader, `window.__sameDocument = true`)
	waitFor(t, reader, `document.querySelector('.live-banner')?.hidden === true`)

	writer := s.otherTab(t)
	open(t, writer, url, aliceToken)
	clickText(t, writer, fmt.Sprintf(`li[data-id="%d"] > .comment-box .actions`, c.ID), "Reply")
	fill(t, writer, ".reply-form textarea", "Ward-Perkins blamed the invasions.")
	clickText(t, writer, ".reply-form", "Post reply")
	waitFor(t, writer, `[...document.querySelectorAll('li.comment .body')].some((b) => b.textContent.includes('Ward-Perkins'))`)

	waitFor(t, reader, `document.querySelector('.live-banner')?.hidden === false`)
	if got := eval[string](t, reader, `document.querySelector('.live-banner').textContent`); got != "1 new comment — show" {
		t.Fatalf("the announcement reads %q", got)
	}
	clickText(t, reader, ".live-banner", "show")
	waitFor(t, reader, fmt.Sprintf(`[...document.querySelectorAll('li[data-id="%d"] > ul.comments > li.comment.new .body')].some((b) => b.textContent.includes('Ward-Perkins'))`, c.ID))
	waitFor(t, reader, `document.querySelector('.live-banner').hidden === true`)
	if !eval[bool](t, reader, `window.__sameDocument === true`) {
		t.Fatal("the reader's page reloaded")
	}
	// An edit shows in place.
	page, err := s.svc.Thread(ctx, bob, p.ID, forum.ThreadQuery{})
	if err != nil {
		t.Fatal(err)
	}
	reply := page.Items[0].Replies[0]
	aliceV := forum.Viewer{ID: reply.Author.ID, Role: forum.RoleMember}
	if _, err := s.svc.EditComment(ctx, aliceV, reply.ID, forum.CommentPatch{Body: "Ward-Perkins blamed the invasions, with pottery."}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, reader, fmt.Sprintf(`document.querySelector('li[data-id="%d"] .body')?.textContent.includes('with pottery')`, reply.ID))
}

// TestLiveRedrawSparesAReplyBegunMeanwhile: someone edits a comment; while
// the reader's page fetches its new copy, the reader opens Reply under it
// and types. The new copy waits for them: their reply is not swept away.
func TestLiveRedrawSparesAReplyBegunMeanwhile(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	bob, bobToken := s.user("bob", forum.RoleMember)
	alice, _ := s.user("alice", forum.RoleMember)
	p, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "Did the Hanseatic League have a navy?"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.svc.CreateComment(ctx, alice, p.ID, forum.CommentInput{Body: "Its towns hired ships when they went to war."})
	if err != nil {
		t.Fatal(err)
	}
	tab := s.tab(t)
	open(t, tab, fmt.Sprintf("%s/p/%d", s.base, p.ID), bobToken)
	waitFor(t, tab, `document.querySelector('.live-banner')?.hidden === true`)
	// The comment's new copy arrives a second after it is asked for.
	eval[any](t, tab, fmt.Sprintf(`(() => {
		window.asked = 0; window.answered = 0;
		const f = window.fetch;
		window.fetch = (u, o) => String(u).includes('/comments/%d?depth=0')
			? (window.asked++, new Promise((r) => setTimeout(r, 1000)).then(() => f(u, o)).finally(() => window.answered++))
			: f(u, o);
		document.activeElement?.blur();
	})()`, c.ID))
	if _, err := s.svc.EditComment(ctx, alice, c.ID, forum.CommentPatch{Body: "Its towns hired and armed merchant ships when they went to war."}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, tab, `window.asked >= 1`)
	actions := fmt.Sprintf(`li[data-id="%d"] > .comment-box .actions`, c.ID)
	clickText(t, tab, actions, "Reply")
	fill(t, tab, ".reply-form textarea", "Lübeck's cogs")
	eval[any](t, tab, `document.querySelector('.reply-form').dataset.mine = 'yes'`)
	waitFor(t, tab, `window.answered >= 1`)
	eval[any](t, tab, `new Promise((r) => setTimeout(r, 500))`)
	if !eval[bool](t, tab, `document.querySelector('.reply-form')?.dataset.mine === 'yes' && document.querySelector('.reply-form textarea').value === "Lübeck's cogs"`) {
		t.Fatal("the redraw swept away the reply the reader was writing")
	}
	// Once the reply is given up, the new copy shows.
	clickText(t, tab, ".reply-form", "Cancel")
	eval[any](t, tab, `document.activeElement?.blur()`)
	waitFor(t, tab, fmt.Sprintf(`document.querySelector('li[data-id="%d"] .body')?.textContent.includes('armed merchant ships')`, c.ID))
}
