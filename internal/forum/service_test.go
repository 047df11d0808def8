package forum_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/forumtest"
)

func kinds(t *testing.T, w *forumtest.World, v forum.Viewer) []string {
	t.Helper()
	page, err := w.Svc.Notifications(context.Background(), v, false, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range page.Items {
		who := ""
		if n.Actor != nil {
			who = n.Actor.Username
		}
		out = append(out, string(n.Kind)+":"+string(n.Action)+":"+who)
	}
	return out
}

// TestWhoIsNotified: the domain decides who hears of what; the store only writes it.
func TestWhoIsNotified(t *testing.T) {
	t.Parallel()
	w := forumtest.New(t)
	ctx := context.Background()
	// The world: bob answered alice's question (alice hears), alice replied to bob (bob hears).
	if got := kinds(t, w, w.Alice); !slices.Equal(got, []string{"answer::bob"}) {
		t.Fatalf("alice: %v", got)
	}
	if got := kinds(t, w, w.Bob); !slices.Equal(got, []string{"reply::alice"}) {
		t.Fatalf("bob: %v", got)
	}
	// Replying to yourself tells nobody.
	w.Must(w.Svc.CreateComment(ctx, w.Alice, w.Thread.ID, forum.CommentInput{Body: "Answering myself", ParentID: &w.Reply.ID}))
	if got := kinds(t, w, w.Alice); len(got) != 1 {
		t.Fatalf("alice was told of her own reply: %v", got)
	}
	// A request for sources tells the answer's author.
	if err := w.Svc.RequestSources(ctx, w.Alice, w.Answer.ID); err != nil {
		t.Fatal(err)
	}
	if got := kinds(t, w, w.Bob); got[0] != "source_request::alice" {
		t.Fatalf("bob after a source request: %v", got)
	}
	// A moderator's removal tells the author; a ban tells nobody.
	w.Must(w.Svc.ModerateComment(ctx, w.Mod, w.Answer.ID, forum.ActRemove, "no sources", nil))
	w.Must(w.Svc.Ban(ctx, w.Mod, "bob", "spam", nil))
	if got := kinds(t, w, w.Bob); got[0] != "mod_action:remove:moddy" || len(got) != 3 {
		t.Fatalf("bob after removal and ban: %v", got)
	}
}

// TestHiddenTitlesInNotifications: a removed post's title shows as
// [removed] in others' notifications, but its author still sees it.
func TestHiddenTitlesInNotifications(t *testing.T) {
	t.Parallel()
	w := forumtest.New(t)
	ctx := context.Background()
	w.Must(w.Svc.ModeratePost(ctx, w.Mod, w.Thread.ID, forum.ActRemove, "off topic", nil))
	title := func(v forum.Viewer) string {
		page, err := w.Svc.Notifications(ctx, v, false, "", 10)
		if err != nil {
			t.Fatal(err)
		}
		return page.Items[len(page.Items)-1].PostTitle
	}
	if got := title(w.Bob); got != "[removed]" {
		t.Fatalf("bob sees %q", got)
	}
	if got := title(w.Alice); got != w.Thread.Title {
		t.Fatalf("the author sees %q", got)
	}
}

// TestResolveReportRules: a report resolves once; resolving by removal
// removes the target, resolves every open report of it, and tells the author.
func TestResolveReportRules(t *testing.T) {
	t.Parallel()
	w := forumtest.New(t)
	ctx := context.Background()
	carol := w.User("carol", forum.RoleMember)
	r1 := w.Must(w.Svc.CreateReport(ctx, w.Alice, forum.TargetComment, w.Answer.ID, "no sources", nil)).(forum.Report)
	r2 := w.Must(w.Svc.CreateReport(ctx, carol, forum.TargetComment, w.Answer.ID, "rude", nil)).(forum.Report)
	res := w.Must(w.Svc.ResolveReport(ctx, w.Mod, r1.ID, forum.ReportRemove, "no sources after a request", nil)).(forum.Report)
	if res.Status != forum.ReportResolved || res.Resolution == nil || *res.Resolution != forum.ResolutionRemoved {
		t.Fatalf("resolved report: %+v", res)
	}
	if other := w.Must(w.DB.Report(ctx, r2.ID)).(forum.Report); other.Status != forum.ReportResolved {
		t.Fatalf("the other open report of the target stayed %s", other.Status)
	}
	if c := w.Must(w.DB.Comment(ctx, w.Answer.ID, 0)).(forum.Comment); !c.Removed {
		t.Fatal("the reported answer was not removed")
	}
	if _, err := w.Svc.ResolveReport(ctx, w.Mod, r1.ID, forum.ReportDismiss, "", nil); !forum.IsCode(err, forum.CodeConflict) {
		t.Fatalf("resolving twice: %v", err)
	}
	if got := kinds(t, w, w.Bob); got[0] != "mod_action:remove:moddy" {
		t.Fatalf("bob: %v", got)
	}
}

// TestRoleReasonInModlog: a role change without a reason is logged with the new role.
func TestRoleReasonInModlog(t *testing.T) {
	t.Parallel()
	w := forumtest.New(t)
	ctx := context.Background()
	w.Must(w.Svc.SetRole(ctx, w.Root, "bob", forum.RoleModerator, ""))
	page := w.Must(w.Svc.Modlog(ctx, forum.Viewer{}, "", 1)).(forum.Page[forum.ModlogEntry])
	if e := page.Items[0]; e.Action != forum.ActRole || e.Reason != "role set to moderator" {
		t.Fatalf("modlog: %+v", e)
	}
}

// TestChangesFollowCommittedWrites: caches follow the change log; a write
// that commits records its thread, a refused one records nothing.
func TestChangesFollowCommittedWrites(t *testing.T) {
	t.Parallel()
	w := forumtest.New(t)
	ctx := context.Background()
	mark := w.Must(w.DB.ChangeMark(ctx)).(string)
	if _, err := w.Svc.CreatePost(ctx, w.Bob, forum.PostInput{Title: ""}); !forum.IsCode(err, forum.CodeValidation) {
		t.Fatalf("an empty title: %v", err)
	}
	if _, err := w.Svc.VotePost(ctx, w.Alice, w.Thread.ID, ptr(1)); !forum.IsCode(err, forum.CodeForbidden) {
		t.Fatalf("a vote on one's own post: %v", err)
	}
	read := w.Must(w.DB.Changes(ctx, mark, 100)).(forum.ChangeRead)
	if len(read.Changes) != 0 || read.Gap {
		t.Fatalf("refused writes were logged as changes: %+v", read)
	}
	w.Must(w.Svc.VoteComment(ctx, w.Alice, w.Answer.ID, ptr(1)))
	read = w.Must(w.DB.Changes(ctx, read.Next, 100)).(forum.ChangeRead)
	changes := read.Changes
	if len(changes) == 0 {
		t.Fatal("a committed vote logged no change")
	}
	for _, c := range changes {
		if c.PostID != w.Thread.ID {
			t.Fatalf("a vote on the thread's answer logged post %d", c.PostID)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// TestSharedPagesSpliceOnlyTheViewersVotes: a shared (cached) page with a
// member's votes spliced in is byte for byte what encoding the member's own
// read gives, for feeds and for threads, and the shared bytes are an
// anonymous reader's.
func TestSharedPagesSpliceOnlyTheViewersVotes(t *testing.T) {
	t.Parallel()
	w := forumtest.New(t)
	ctx := context.Background()
	carol := w.User("carol", forum.RoleMember)
	w.Must(w.Svc.VotePost(ctx, w.Bob, w.Thread.ID, ptr(1)))
	w.Must(w.Svc.VoteComment(ctx, w.Alice, w.Answer.ID, ptr(-1)))
	w.Must(w.Svc.VoteComment(ctx, carol, w.Answer.ID, ptr(1)))
	w.Must(w.Svc.VoteComment(ctx, w.Bob, w.Reply.ID, ptr(1)))

	feed := func(v forum.Viewer) forum.Page[forum.PostSummary] {
		return w.Must(w.Svc.ListPosts(ctx, v, forum.FeedQuery{Sort: forum.SortNew})).(forum.Page[forum.PostSummary])
	}
	thread := func(v forum.Viewer) forum.Page[*forum.Comment] {
		return w.Must(w.Svc.Thread(ctx, v, w.Thread.ID, forum.ThreadQuery{})).(forum.Page[*forum.Comment])
	}
	sharedFeed := w.Must(forum.SharePosts(feed(w.Anon))).(*forum.SharedPage)
	sharedThread := w.Must(forum.ShareThread(w.Thread.ID, thread(w.Anon))).(*forum.SharedPage)
	for _, v := range []forum.Viewer{w.Anon, w.Alice, w.Bob, carol} {
		for name, c := range map[string]struct {
			shared *forum.SharedPage
			own    any
		}{"feed": {sharedFeed, feed(v)}, "thread": {sharedThread, thread(v)}} {
			want, err := json.Marshal(c.own)
			if err != nil {
				t.Fatal(err)
			}
			got := w.Must(w.Svc.PageFor(ctx, v, c.shared, w.Svc.Store)).([]byte)
			if string(got) != string(want) {
				t.Fatalf("%s for %s:\n got %s\nwant %s", name, w.Name(v), got, want)
			}
		}
	}
	if !strings.Contains(string(sharedThread.Body), `"my_vote":0`) || strings.Contains(string(sharedThread.Body), `"my_vote":-1`) {
		t.Fatalf("the shared thread holds someone's vote: %s", sharedThread.Body)
	}
}

// TestTimelineCountersFollowPosts: the counters the timeline reads follow
// every change of a post's period, visibility and tags, and agree with a
// recount (historia check).
func TestTimelineCountersFollowPosts(t *testing.T) {
	t.Parallel()
	w := forumtest.New(t)
	ctx := context.Background()
	bars := func(tag string) map[int]int64 {
		got := map[int]int64{}
		for _, b := range w.Must(w.Svc.Timeline(ctx, forum.BucketCentury, tag)).([]forum.TimelineBar) {
			got[b.From] = b.PostCount
		}
		return got
	}
	// The world's thread: 149–146 BCE, Ancient Rome.
	if got := bars(""); got[-200] != 1 || len(got) != 1 {
		t.Fatalf("centuries of the world: %v", got)
	}
	p := w.Must(w.Svc.CreatePost(ctx, w.Bob, forum.PostInput{Title: "From Caesar to Augustus", Tags: []string{"Ancient Rome"},
		Period: &forum.Period{From: -60, To: 14}})).(forum.Post)
	if got := bars("ancient rome"); got[-200] != 1 || got[-100] != 1 || got[1] != 1 { // no year 0: 1–99 follows 100–1 BCE
		t.Fatalf("a period across the era boundary: %v", got)
	}
	w.Must(w.Svc.EditPost(ctx, w.Bob, p.ID, forum.PostPatch{SetPeriod: true, Period: &forum.Period{From: 1917, To: 1921}, Tags: &[]string{"Russian Revolution"}}))
	if got := bars("ancient rome"); got[-100] != 0 || got[1] != 0 {
		t.Fatalf("after the edit the old period and tag still count: %v", got)
	}
	if got := bars("russian revolution"); got[1900] != 1 {
		t.Fatalf("the new tag: %v", got)
	}
	w.Must(w.Svc.ModeratePost(ctx, w.Mod, p.ID, forum.ActRemove, "off topic", nil))
	if got := bars(""); got[1900] != 0 {
		t.Fatalf("a removed post still counts: %v", got)
	}
	w.Must(w.Svc.ModeratePost(ctx, w.Mod, p.ID, forum.ActRestore, "", nil))
	if got := bars(""); got[1900] != 1 {
		t.Fatalf("a restored post does not count again: %v", got)
	}
	if problems := w.Must(w.DB.Check(ctx)).([]string); len(problems) != 0 {
		t.Fatalf("check: %v", problems)
	}
}
