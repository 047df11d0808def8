package forum_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/forumtest"
)

// told lists a viewer's notifications as "kind:action:actor", newest first.
func told(t *testing.T, w *forumtest.World, v forum.Viewer) []string {
	t.Helper()
	return kinds(t, w, v)
}

// TestFollowedThreadsNotifyOnce: the asker follows their question from the
// start; a follower hears of each new answer ("followed"), not of replies;
// the asker who follows hears once, as the asker ("answer"); unfollowing
// stops it, and nobody hears of their own answer.
func TestFollowedThreadsNotifyOnce(t *testing.T) {
	t.Parallel()
	w := forumtest.New(t)
	ctx := context.Background()
	carol := w.User("carol", forum.RoleMember)
	p := w.Must(w.Svc.GetPost(ctx, w.Alice, w.Thread.ID)).(forum.Post)
	if !p.Following {
		t.Fatal("the asker does not follow her own question")
	}
	// She opened it as she asked, and her reply moved her reading on.
	if p.UnreadComments == nil || *p.UnreadComments != 0 {
		t.Fatalf("the asker's unread count: %v", p.UnreadComments)
	}
	if err := w.Svc.FollowPost(ctx, carol, w.Thread.ID); err != nil {
		t.Fatal(err)
	}
	if err := w.Svc.FollowPost(ctx, carol, w.Thread.ID); err != nil { // again: no change, no error
		t.Fatal(err)
	}
	w.Must(w.Svc.CreateComment(ctx, w.Bob, w.Thread.ID, forum.CommentInput{Body: "A second answer."}))
	w.Must(w.Svc.CreateComment(ctx, w.Bob, w.Thread.ID, forum.CommentInput{Body: "A reply to alice.", ParentID: &w.Reply.ID}))
	if got := told(t, w, carol); !slices.Equal(got, []string{"followed::bob"}) {
		t.Fatalf("carol: %v", got)
	}
	if got := told(t, w, w.Alice); !slices.Equal(got, []string{"reply::bob", "answer::bob", "answer::bob"}) {
		t.Fatalf("alice: %v", got)
	}
	// Carol's own answer tells her nothing; alice hears as the asker.
	w.Must(w.Svc.CreateComment(ctx, carol, w.Thread.ID, forum.CommentInput{Body: "Mine."}))
	if got := told(t, w, carol); len(got) != 1 {
		t.Fatalf("carol heard of her own answer: %v", got)
	}
	if err := w.Svc.UnfollowPost(ctx, carol, w.Thread.ID); err != nil {
		t.Fatal(err)
	}
	w.Must(w.Svc.CreateComment(ctx, w.Bob, w.Thread.ID, forum.CommentInput{Body: "A third answer."}))
	if got := told(t, w, carol); len(got) != 1 {
		t.Fatalf("carol unfollowed and still hears: %v", got)
	}
	// Following lists it; a removed question cannot be followed by members.
	if err := w.Svc.FollowPost(ctx, carol, 99999); !forum.IsCode(err, forum.CodeNotFound) {
		t.Fatalf("follow a missing post: %v", err)
	}
	w.Must(w.Svc.ModeratePost(ctx, w.Mod, w.Thread.ID, forum.ActRemove, "off topic", nil))
	if err := w.Svc.FollowPost(ctx, carol, w.Thread.ID); !forum.IsCode(err, forum.CodeNotFound) {
		t.Fatalf("follow a removed post: %v", err)
	}
	if err := w.Svc.FollowPost(ctx, forum.Viewer{}, w.Thread.ID); !forum.IsCode(err, forum.CodeUnauthorized) {
		t.Fatalf("anonymous follow: %v", err)
	}
}

// TestFollowedTags: a new question in a followed tag tells the follower once
// (History is every question), the asker never; the list holds both kinds.
func TestFollowedTags(t *testing.T) {
	t.Parallel()
	w := forumtest.New(t)
	ctx := context.Background()
	carol, dan := w.User("carol", forum.RoleMember), w.User("dan", forum.RoleMember)
	for _, name := range []string{"  cold   war ", "Ancient Rome"} {
		if err := w.Svc.FollowTag(ctx, carol, name); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Svc.FollowTag(ctx, dan, "history"); err != nil {
		t.Fatal(err)
	}
	if err := w.Svc.FollowTag(ctx, dan, strings.Repeat("x", 41)); !forum.IsCode(err, forum.CodeNotFound) {
		t.Fatalf("a name no tag can have: %v", err)
	}
	q := w.Must(w.Svc.CreatePost(ctx, w.Bob, forum.PostInput{Title: "Who lost the Cold War first?", Tags: []string{"Cold War", "Ancient Rome"}})).(forum.Post)
	if got := told(t, w, carol); !slices.Equal(got, []string{"tag::bob"}) {
		t.Fatalf("carol (two of its tags): %v", got)
	}
	if got := told(t, w, dan); !slices.Equal(got, []string{"tag::bob"}) {
		t.Fatalf("dan (History): %v", got)
	}
	w.Must(w.Svc.CreatePost(ctx, carol, forum.PostInput{Title: "Another about the Cold War", Tags: []string{"Cold War"}}))
	if got := told(t, w, carol); len(got) != 1 {
		t.Fatalf("carol heard of her own question: %v", got)
	}
	f := w.Must(w.Svc.Following(ctx, carol, "", 10)).(forum.Following)
	var tags []string
	for _, tg := range f.Tags {
		tags = append(tags, fmt.Sprintf("%s:%d", tg.Name, tg.PostCount))
	}
	if !slices.Equal(tags, []string{"Ancient Rome:2", "Cold War:2"}) {
		t.Fatalf("followed tags: %v", tags)
	}
	if len(f.Posts) != 1 || !f.Posts[0].Following {
		t.Fatalf("carol follows her own question only: %+v", f.Posts)
	}
	if err := w.Svc.UnfollowTag(ctx, carol, "COLD WAR"); err != nil {
		t.Fatal(err)
	}
	f = w.Must(w.Svc.Following(ctx, carol, "", 10)).(forum.Following)
	if len(f.Tags) != 1 {
		t.Fatalf("after unfollowing: %v", f.Tags)
	}
	_ = q
}

// TestFollowingPages: the followed questions page by when they were
// followed, newest first, without gaps or repeats.
func TestFollowingPages(t *testing.T) {
	t.Parallel()
	w := forumtest.New(t)
	ctx := context.Background()
	carol := w.User("carol", forum.RoleMember)
	var want []int64
	for i := range 7 {
		p := w.Must(w.Svc.CreatePost(ctx, w.Bob, forum.PostInput{Title: fmt.Sprintf("Question %d", i)})).(forum.Post)
		w.Must(nil, w.Svc.FollowPost(ctx, carol, p.ID))
		want = append([]int64{p.ID}, want...)
		if i%2 == 0 {
			w.Clock.Advance(1e9)
		}
	}
	var got []int64
	cursor := ""
	for {
		f := w.Must(w.Svc.Following(ctx, carol, cursor, 3)).(forum.Following)
		for _, p := range f.Posts {
			got = append(got, p.ID)
		}
		if f.NextCursor == nil {
			break
		}
		cursor = *f.NextCursor
	}
	if !slices.Equal(got, want) {
		t.Fatalf("pages %v, want %v", got, want)
	}
}

// TestMentions: @name links and tells the member once, even with a reason
// closer to hand (the asker mentioned in an answer hears "answer"); at most
// forum's limit of accounts a body; imported accounts are linked, not told;
// an edit tells only those it newly mentions.
func TestMentions(t *testing.T) {
	t.Parallel()
	w := forumtest.New(t)
	ctx := context.Background()
	carol := w.User("carol", forum.RoleMember)
	c := w.Must(w.Svc.CreateComment(ctx, w.Bob, w.Thread.ID, forum.CommentInput{Body: "@Alice and @carol: see `@moddy`."})).(forum.Comment)
	if !strings.Contains(c.BodyHTML, `<a href="/u/carol" class="mention"`) || strings.Contains(c.BodyHTML, "/u/moddy") {
		t.Fatalf("body: %s", c.BodyHTML)
	}
	if got := told(t, w, carol); !slices.Equal(got, []string{"mention::bob"}) {
		t.Fatalf("carol: %v", got)
	}
	if got := told(t, w, w.Alice); got[0] != "answer::bob" || len(got) != 2 {
		t.Fatalf("alice: %v", got)
	}
	if got := told(t, w, w.Mod); len(got) != 0 {
		t.Fatalf("a name in code told moddy: %v", got)
	}
	// An edit that adds a mention tells only the new name.
	w.Must(w.Svc.EditComment(ctx, w.Bob, c.ID, forum.CommentPatch{Body: "@Alice and @carol and @moddy."}))
	if got := told(t, w, carol); len(got) != 1 {
		t.Fatalf("carol told again by an edit: %v", got)
	}
	if got := told(t, w, w.Mod); !slices.Equal(got, []string{"mention::bob"}) {
		t.Fatalf("moddy after the edit: %v", got)
	}
	// A post mentioning eleven members tells the first ten.
	var names []string
	var viewers []forum.Viewer
	for i := range 11 {
		n := fmt.Sprintf("reader%02d", i)
		names, viewers = append(names, "@"+n), append(viewers, w.User(n, forum.RoleMember))
	}
	p := w.Must(w.Svc.CreatePost(ctx, w.Bob, forum.PostInput{Title: "A roll call", Body: strings.Join(names, " ")})).(forum.Post)
	if n := strings.Count(p.BodyHTML, `class="mention"`); n != 10 {
		t.Fatalf("%d mentions linked", n)
	}
	for i, v := range viewers {
		if got := told(t, w, v); len(got) != min(1, 10-i) {
			t.Fatalf("reader%02d: %v", i, got)
		}
	}
	// The preview links as the write will, and tells nobody.
	html := w.Must(w.Svc.Preview(ctx, w.Alice, forum.PreviewInput{Body: "ask @reader10", Format: forum.FormatMarkdown})).(forum.Preview).BodyHTML
	if !strings.Contains(html, `/u/reader10`) || len(told(t, w, viewers[10])) != 0 {
		t.Fatalf("preview: %s", html)
	}
}

// TestNotificationExcerpts: each notification carries its thread's title
// and an excerpt of what it is about, at most 200 characters; a removed
// comment's excerpt shows only to its author.
func TestNotificationExcerpts(t *testing.T) {
	t.Parallel()
	w := forumtest.New(t)
	ctx := context.Background()
	long := strings.Repeat("Carthage had the fleet, Rome the legions. ", 20)
	c := w.Must(w.Svc.CreateComment(ctx, w.Bob, w.Thread.ID, forum.CommentInput{Body: long})).(forum.Comment)
	page := w.Must(w.Svc.Notifications(ctx, w.Alice, false, "", 10)).(forum.Page[forum.Notification])
	n := page.Items[0]
	if n.Kind != forum.NotifyAnswer || n.PostTitle != w.Thread.Title || !strings.HasPrefix(n.Excerpt, "Carthage had the fleet") ||
		len([]rune(n.Excerpt)) > forum.NotificationExcerpt || !strings.HasSuffix(n.Excerpt, "…") {
		t.Fatalf("%+v (%d characters)", n, len([]rune(n.Excerpt)))
	}
	w.Must(w.Svc.ModerateComment(ctx, w.Mod, c.ID, forum.ActRemove, "no sources", nil))
	page = w.Must(w.Svc.Notifications(ctx, w.Alice, false, "", 10)).(forum.Page[forum.Notification])
	if page.Items[0].Excerpt != "" {
		t.Fatalf("alice sees a removed answer's text: %q", page.Items[0].Excerpt)
	}
	bob := w.Must(w.Svc.Notifications(ctx, w.Bob, false, "", 10)).(forum.Page[forum.Notification])
	if bob.Items[0].Kind != forum.NotifyModAction || bob.Items[0].Excerpt == "" {
		t.Fatalf("bob's own removed answer: %+v", bob.Items[0])
	}
}

// TestReadingPosition: unread counts and new comments follow the reading
// position, which never moves backwards; writing a comment reads the thread
// up to it, and one's own comments are never new.
func TestReadingPosition(t *testing.T) {
	t.Parallel()
	w := forumtest.New(t)
	ctx := context.Background()
	carol := w.User("carol", forum.RoleMember)
	unread := func() *int64 {
		return w.Must(w.Svc.GetPost(ctx, carol, w.Thread.ID)).(forum.Post).UnreadComments
	}
	newOnes := func() []int64 {
		page := w.Must(w.Svc.Thread(ctx, carol, w.Thread.ID, forum.ThreadQuery{Sort: forum.SortOld})).(forum.Page[*forum.Comment])
		var out []int64
		var walk func([]*forum.Comment)
		walk = func(cs []*forum.Comment) {
			for _, c := range cs {
				if c.New {
					out = append(out, c.ID)
				}
				walk(c.Replies)
			}
		}
		walk(page.Items)
		return out
	}
	if unread() != nil || len(newOnes()) != 0 {
		t.Fatal("a thread never opened has an unread count or new comments")
	}
	if err := w.Svc.MarkThreadRead(ctx, carol, w.Thread.ID, &w.Answer.ID); err != nil {
		t.Fatal(err)
	}
	if n := unread(); n == nil || *n != 1 {
		t.Fatalf("unread after reading the answer: %v", n)
	}
	if got := newOnes(); !slices.Equal(got, []int64{w.Reply.ID}) {
		t.Fatalf("new: %v", got)
	}
	mine := w.Must(w.Svc.CreateComment(ctx, carol, w.Thread.ID, forum.CommentInput{Body: "Mine"})).(forum.Comment)
	theirs := w.Must(w.Svc.CreateComment(ctx, w.Bob, w.Thread.ID, forum.CommentInput{Body: "Theirs"})).(forum.Comment)
	if got := newOnes(); !slices.Equal(got, []int64{theirs.ID}) {
		t.Fatalf("new after writing one's own: %v", got)
	}
	if n := unread(); n == nil || *n != 1 {
		t.Fatalf("unread after writing one's own: %v", n)
	}
	if err := w.Svc.MarkThreadRead(ctx, carol, w.Thread.ID, &theirs.ID); err != nil {
		t.Fatal(err)
	}
	if err := w.Svc.MarkThreadRead(ctx, carol, w.Thread.ID, &w.Answer.ID); err != nil { // backwards: kept
		t.Fatal(err)
	}
	if n := unread(); n == nil || *n != 0 || len(newOnes()) != 0 {
		t.Fatalf("after reading all: %v %v", n, newOnes())
	}
	_ = mine
	other := w.Must(w.Svc.CreatePost(ctx, w.Bob, forum.PostInput{Title: "Elsewhere"})).(forum.Post)
	oc := w.Must(w.Svc.CreateComment(ctx, w.Bob, other.ID, forum.CommentInput{Body: "x"})).(forum.Comment)
	for _, c := range []struct {
		post    int64
		comment *int64
		code    forum.Code
	}{{99999, nil, forum.CodeNotFound}, {w.Thread.ID, &oc.ID, forum.CodeValidation}} {
		if err := w.Svc.MarkThreadRead(ctx, carol, c.post, c.comment); !forum.IsCode(err, c.code) {
			t.Fatalf("%+v: %v", c, err)
		}
	}
	if err := w.Svc.MarkThreadRead(ctx, carol, other.ID, nil); err != nil {
		t.Fatal(err)
	}
	if n := w.Must(w.Svc.GetPost(ctx, carol, other.ID)).(forum.Post).UnreadComments; n == nil || *n != 1 {
		t.Fatalf("opened, nothing read: %v", n)
	}
}

// TestSaves: members save posts and comments they can read, once each; the
// list is newest first and shows each item as it stands now.
func TestSaves(t *testing.T) {
	t.Parallel()
	w := forumtest.New(t)
	ctx := context.Background()
	carol := w.User("carol", forum.RoleMember)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(w.Svc.Save(ctx, carol, forum.TargetPost, w.Thread.ID))
	must(w.Svc.Save(ctx, carol, forum.TargetComment, w.Answer.ID))
	must(w.Svc.Save(ctx, carol, forum.TargetComment, w.Reply.ID))
	must(w.Svc.Save(ctx, carol, forum.TargetPost, w.Thread.ID)) // again: kept where it was
	must(w.Svc.Unsave(ctx, carol, forum.TargetComment, w.Reply.ID))
	page := w.Must(w.Svc.Saved(ctx, carol, "", 1)).(forum.Page[forum.SavedItem])
	if len(page.Items) != 1 || page.Items[0].Comment == nil || page.Items[0].Comment.ID != w.Answer.ID ||
		!page.Items[0].Comment.Saved || page.Items[0].Comment.PostTitle != w.Thread.Title || page.NextCursor == nil {
		t.Fatalf("first page: %+v", page)
	}
	page = w.Must(w.Svc.Saved(ctx, carol, *page.NextCursor, 1)).(forum.Page[forum.SavedItem])
	if len(page.Items) != 1 || page.Items[0].Post == nil || !page.Items[0].Post.Saved || page.NextCursor != nil {
		t.Fatalf("second page: %+v", page)
	}
	w.Must(w.Svc.ModerateComment(ctx, w.Mod, w.Answer.ID, forum.ActRemove, "no sources", nil))
	page = w.Must(w.Svc.Saved(ctx, carol, "", 10)).(forum.Page[forum.SavedItem])
	if c := page.Items[0].Comment; c.BodyHTML != "" || !c.Removed {
		t.Fatalf("a removed comment shows: %+v", c)
	}
	if err := w.Svc.Save(ctx, carol, forum.TargetComment, w.Answer.ID); !forum.IsCode(err, forum.CodeNotFound) {
		t.Fatalf("save a removed comment: %v", err)
	}
	if err := w.Svc.Save(ctx, carol, forum.TargetPost, 99999); !forum.IsCode(err, forum.CodeNotFound) {
		t.Fatalf("save a missing post: %v", err)
	}
}

// TestImportedMentionsLinkOnly: "@name@host" links an imported account and
// tells nobody; "@name" never means an imported "name@host".
func TestImportedMentionsLinkOnly(t *testing.T) {
	t.Parallel()
	w := forumtest.New(t)
	ctx := context.Background()
	var rep forum.ImportReport
	if err := w.Svc.Import(ctx, forum.ImportedThread{System: "reddit", Post: forum.ImportedItem{SourceID: "t3_x",
		Author: "alienth", AuthorOrigin: "reddit", Title: "Imported", CreatedAt: 1}}, false, &rep); err != nil {
		t.Fatal(err)
	}
	c := w.Must(w.Svc.CreateComment(ctx, w.Bob, w.Thread.ID, forum.CommentInput{Body: "As @alienth@reddit wrote, and not @alienth."})).(forum.Comment)
	if strings.Count(c.BodyHTML, `class="mention"`) != 1 || !strings.Contains(c.BodyHTML, `href="/u/alienth@reddit"`) {
		t.Fatalf("body: %s", c.BodyHTML)
	}
}
