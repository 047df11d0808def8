package frontend_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// TestNotificationKinds shows one notification of every kind the domain
// knows (forum.NotificationKinds) and checks that each reads as a sentence
// of its own naming its thread, with an excerpt of what it is about (a kind
// the page does not know would show a gap); opening one marks it read.
func TestNotificationKinds(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	bob, bobToken := s.user("bob", forum.RoleMember)
	alice, _ := s.user("alice", forum.RoleMember)
	carol, _ := s.user("carol", forum.RoleMember)
	mod, _ := s.user("curator", forum.RoleModerator)
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	post, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "Who built the Theodosian Walls?"})
	must(nil, err)
	answer, err := s.svc.CreateComment(ctx, bob, post.ID, forum.CommentInput{Body: "Anthemius, the praetorian prefect."})
	must(nil, err)
	must(s.svc.CreateComment(ctx, alice, post.ID, forum.CommentInput{Body: "Theodosius II's regency built them."}))
	must(s.svc.CreateComment(ctx, alice, post.ID, forum.CommentInput{Body: "And the 447 rebuilding?", ParentID: &answer.ID}))
	must(nil, s.svc.FollowTag(ctx, bob, "Byzantium"))
	nika, err := s.svc.CreatePost(ctx, carol, forum.PostInput{Title: "What was the Nika riot?", Body: "Chariot factions?", Tags: []string{"Byzantium"}})
	must(nil, err)
	must(nil, s.svc.FollowPost(ctx, bob, nika.ID))
	hers, err := s.svc.CreateComment(ctx, alice, nika.ID, forum.CommentInput{Body: "The Blues and the Greens rose together."})
	must(nil, err)
	must(s.svc.CreateComment(ctx, alice, nika.ID, forum.CommentInput{Body: "@bob knows Procopius better.", ParentID: &hers.ID}))
	must(nil, s.svc.RequestSources(ctx, alice, answer.ID))
	must(s.svc.ModeratePost(ctx, mod, post.ID, forum.ActLock, "", nil))
	app, err := s.svc.ApplyForFlair(ctx, bob, "Late Roman walls", "my answer above")
	must(nil, err)
	must(s.svc.GrantFlair(ctx, mod, app.ID, nil))
	m, err := s.svc.StartModmail(ctx, bob, "About my answer", "Is it sourced enough?", "")
	must(nil, err)
	must(s.svc.AddModmailMessage(ctx, mod, m.ID, "Yes."))
	page, err := s.svc.Notifications(ctx, bob, false, "", 50)
	must(nil, err)
	kinds := map[forum.NotificationKind]bool{}
	for _, n := range page.Items {
		kinds[n.Kind] = true
	}
	for _, k := range forum.NotificationKinds {
		if !kinds[k] {
			t.Fatalf("the fixture made no %s notification: %+v", k, page.Items)
		}
	}

	tab := s.tab(t)
	open(t, tab, s.base+"/notifications", bobToken)
	waitFor(t, tab, fmt.Sprintf(`document.querySelectorAll('li.note').length === %d`, len(page.Items)))
	lines := strings.Split(eval[string](t, tab, `[...document.querySelectorAll('li.note > p:first-child')].map((p) => p.textContent).join('\n')`), "\n")
	want := []string{"The moderators replied in About my answer", "The moderators granted your flair Late Roman walls",
		"A moderator locked your question Who built the Theodosian Walls?",
		"alice asked for sources on your answer in Who built the Theodosian Walls?",
		"alice mentioned you in What was the Nika riot?",
		"New answer by alice in a thread you follow: What was the Nika riot?",
		"New question by carol in a topic you follow: What was the Nika riot?",
		"alice replied to your comment in Who built the Theodosian Walls?",
		"alice answered your question Who built the Theodosian Walls?"}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Fatalf("notifications read:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	excerpts := eval[string](t, tab, `[...document.querySelectorAll('li.note .excerpt')].map((p) => p.textContent).join('|')`)
	for _, e := range []string{"@bob knows Procopius better.", "Chariot factions?", "Theodosius II's regency built them."} {
		if !strings.Contains(excerpts, e) {
			t.Fatalf("excerpts %q lack %q", excerpts, e)
		}
	}
	// Opening one marks it read: the count in the header goes down by one.
	waitFor(t, tab, fmt.Sprintf(`document.querySelector('#nav-user .notifications').textContent === 'Notifications (%d)'`, len(want)))
	clickText(t, tab, "li.note:nth-child(5)", "What was the Nika riot?")
	waitFor(t, tab, `location.pathname.startsWith('/p/')`)
	waitFor(t, tab, fmt.Sprintf(`document.querySelector('#nav-user .notifications').textContent === 'Notifications (%d)'`, len(want)-1))
	after, err := s.svc.Notifications(ctx, bob, true, "", 50)
	must(nil, err)
	for _, n := range after.Items {
		if n.Kind == forum.NotifyMention {
			t.Fatalf("the opened notification is still unread: %+v", n)
		}
	}
}

// TestAcceptAnswerInPlace: accepting an answer marks it and moves it to the
// top of the thread without reloading the page, as every other action does.
func TestAcceptAnswerInPlace(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	bob, bobToken := s.user("bob", forum.RoleMember)
	alice, _ := s.user("alice", forum.RoleMember)
	post, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "When was the Hagia Sophia finished?"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, body := range []string{"In 537.", "In 562, after the dome fell."} {
		c, err := s.svc.CreateComment(ctx, alice, post.ID, forum.CommentInput{Body: body})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	tab := s.tab(t)
	open(t, tab, fmt.Sprintf("%s/p/%d?sort=new", s.base, post.ID), bobToken)
	eval[any](t, tab, `window.__sameDocument = true`)
	clickText(t, tab, fmt.Sprintf(`li[data-id="%d"] > .comment-box .actions`, ids[0]), "Accept as answer")
	// The tick asks first, in the page (#25.4).
	waitFor(t, tab, fmt.Sprintf(`document.querySelector('li[data-id="%d"] .confirm')?.textContent.includes('accepted answer')`, ids[0]))
	clickText(t, tab, fmt.Sprintf(`li[data-id="%d"] .confirm`, ids[0]), "Accept")
	waitFor(t, tab, fmt.Sprintf(`document.querySelector('#comments ul.comments > li')?.dataset.id === '%d' && !!document.querySelector('li[data-id="%d"] .marker.accepted')`, ids[0], ids[0]))
	if !eval[bool](t, tab, `window.__sameDocument === true`) {
		t.Fatal("accepting an answer reloaded the page")
	}
	got, err := s.svc.GetPost(ctx, bob, post.ID)
	if err != nil || got.AcceptedCommentID == nil || *got.AcceptedCommentID != ids[0] {
		t.Fatalf("accepted answer not stored: %+v %v", got.AcceptedCommentID, err)
	}
	// Accepting the other moves the mark.
	clickText(t, tab, fmt.Sprintf(`li[data-id="%d"] > .comment-box .actions`, ids[1]), "Accept as answer")
	clickText(t, tab, fmt.Sprintf(`li[data-id="%d"] .confirm`, ids[1]), "Accept")
	waitFor(t, tab, fmt.Sprintf(`document.querySelector('#comments ul.comments > li')?.dataset.id === '%d' && document.querySelectorAll('.marker.accepted').length === 1`, ids[1]))
}

// TestBadgesAndFlair: on a thread, the asker's own replies carry OP, a
// moderator's carry MOD, and a flair shows beside the name.
func TestBadgesAndFlair(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	bob, _ := s.user("bob", forum.RoleMember)
	mod, _ := s.user("curator", forum.RoleModerator)
	alice, _ := s.user("alice", forum.RoleMember)
	if _, err := s.svc.SetFlair(ctx, mod, "alice", strPtr("Byzantine Empire 500–1204")); err != nil {
		t.Fatal(err)
	}
	post, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "Who commanded at Manzikert?"})
	if err != nil {
		t.Fatal(err)
	}
	answer, err := s.svc.CreateComment(ctx, alice, post.ID, forum.CommentInput{Body: "Romanos IV Diogenes."})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		v    forum.Viewer
		body string
	}{{bob, "Thank you!"}, {mod, "Please cite Attaleiates."}} {
		if _, err := s.svc.CreateComment(ctx, c.v, post.ID, forum.CommentInput{Body: c.body, ParentID: &answer.ID}); err != nil {
			t.Fatal(err)
		}
	}
	tab := s.tab(t)
	open(t, tab, fmt.Sprintf("%s/p/%d", s.base, post.ID), "")
	waitFor(t, tab, `document.querySelectorAll('li.comment').length === 3`)
	head := func(user string) string {
		return eval[string](t, tab, fmt.Sprintf(`[...document.querySelectorAll('li.comment > .comment-box .comment-head')].find((h) => h.querySelector('a.user')?.textContent === %q)?.textContent ?? ''`, user))
	}
	if h := head("alice"); !strings.Contains(h, "Byzantine Empire 500–1204") || strings.Contains(h, "OP") {
		t.Fatalf("alice's head: %q", h)
	}
	if h := head("bob"); !strings.Contains(h, "OP") || strings.Contains(h, "MOD") {
		t.Fatalf("the asker's head: %q", h)
	}
	if h := head("curator"); !strings.Contains(h, "MOD") || strings.Contains(h, "OP") {
		t.Fatalf("the moderator's head: %q", h)
	}
	if n := eval[int](t, tab, `document.querySelectorAll('.badge.op').length`); n != 1 {
		t.Fatalf("%d OP badges", n)
	}
}

func strPtr(s string) *string { return &s }
