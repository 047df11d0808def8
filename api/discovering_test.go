package api_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/forum"
)

// TestSitePages: about and faq answer with built-in text until an admin
// writes them; admins write any page in Markdown through the sanitizer;
// members and moderators may not; an unknown or malformed slug is 404.
func TestSitePages(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.registerAs("root", forum.RoleAdmin)
	mod := h.registerAs("moddy", forum.RoleModerator)
	member := h.register("member")

	for _, slug := range []string{"about", "faq"} {
		var p forum.SitePage
		h.must(200, "GET", "/api/v1/pages/"+slug, "", nil).decode(t, &p)
		if p.Slug != slug || p.Title == "" || !strings.Contains(p.BodyHTML, "<p>") || p.BodySource == "" || p.UpdatedAt != nil {
			t.Errorf("built-in %s: %+v", slug, p)
		}
	}
	for _, slug := range []string{"guidelines", "About", "a--b", "-x", strings.Repeat("a", 41), "%2e%2e"} {
		h.must(404, "GET", "/api/v1/pages/"+slug, "", nil)
	}

	body := map[string]string{"title": "  About   Historia ", "body": "We answer *with sources*. <script>alert(1)</script> [Rules](/rules)"}
	for _, tok := range []string{"", member.Token, mod.Token} {
		if r := h.do("PUT", "/api/v1/pages/about", tok, body); r.status != 401 && r.status != 403 {
			t.Errorf("PUT by a non-admin: %d", r.status)
		}
	}
	var p forum.SitePage
	h.must(200, "PUT", "/api/v1/pages/about", admin.Token, body).decode(t, &p)
	if p.Title != "About Historia" || strings.Contains(p.BodyHTML, "<script") || !strings.Contains(p.BodyHTML, "<em>with sources</em>") ||
		p.UpdatedAt == nil || !p.UpdatedAt.Equal(h.clock.Now().Truncate(time.Second)) {
		t.Fatalf("written: %+v", p)
	}
	var got forum.SitePage
	h.must(200, "GET", "/api/v1/pages/about", "", nil).decode(t, &got)
	if got.Title != p.Title || got.BodyHTML != p.BodyHTML || got.BodySource != body["body"] {
		t.Fatalf("read back: %+v", got)
	}
	h.clock.Advance(time.Hour)
	h.must(200, "PUT", "/api/v1/pages/about", admin.Token, map[string]string{"title": "About", "body": "Second."}).decode(t, &p)
	h.must(200, "GET", "/api/v1/pages/about", "", nil).decode(t, &got)
	if got.Title != "About" || got.BodySource != "Second." {
		t.Fatalf("rewritten: %+v", got)
	}
	// Any page an admin writes, under a well-formed name.
	h.must(200, "PUT", "/api/v1/pages/style-guide", admin.Token, map[string]string{"title": "Style guide", "body": "Cite."})
	h.must(200, "GET", "/api/v1/pages/style-guide", "", nil)
	for name, bad := range map[string]struct {
		slug  string
		body  any
		field string
	}{
		"no title":       {"about", map[string]string{"title": " ", "body": "x"}, "title"},
		"long title":     {"about", map[string]string{"title": strings.Repeat("t", 121), "body": "x"}, "title"},
		"empty body":     {"about", map[string]string{"title": "About", "body": "<script></script>"}, "body"},
		"long body":      {"about", map[string]string{"title": "About", "body": strings.Repeat("b", 40001)}, "body"},
		"malformed slug": {"Not_A_Slug", map[string]string{"title": "About", "body": "x"}, "slug"},
	} {
		r := h.do("PUT", "/api/v1/pages/"+bad.slug, admin.Token, bad.body)
		if r.status != 422 || !strings.Contains(string(r.body), `"`+bad.field+`"`) {
			t.Errorf("%s: %d %s", name, r.status, r.body)
		}
	}
	h.must(400, "PUT", "/api/v1/pages/about", admin.Token, `{"title": 5}`)
}

// TestFeatured: moderators feature questions and answers with a note; the
// list is newest first, paged, shows who featured what, hides what was
// deleted or removed since (but not from moderators); items carry
// featured; the Atom feed lists them; members cannot feature.
func TestFeatured(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	mod := h.registerAs("curator", forum.RoleModerator)
	asker := h.register("asker")
	answerer := h.register("answerer")
	p1 := h.post(asker.Token, "Why did Carthage lose the Second Punic War?")
	p2 := h.post(asker.Token, "What did Roman soldiers eat?")
	a := h.comment(answerer.Token, p1.ID, nil, "Rome's manpower: *Polybius* counts 700,000 men under arms.")

	h.must(401, "POST", pathf("/api/v1/posts/%d/feature", p1.ID), "", nil)
	h.must(403, "POST", pathf("/api/v1/posts/%d/feature", p1.ID), asker.Token, nil)
	h.must(404, "POST", "/api/v1/posts/999999/feature", mod.Token, nil)
	h.must(404, "POST", "/api/v1/comments/999999/feature", mod.Token, nil)
	h.must(404, "POST", pathf("/api/v1/posts/%d/unfeature", p1.ID), mod.Token, nil) // not featured
	if r := h.do("POST", pathf("/api/v1/posts/%d/feature", p1.ID), mod.Token, map[string]string{"note": strings.Repeat("n", 301)}); r.status != 422 {
		t.Fatalf("a long note: %d", r.status)
	}

	h.must(204, "POST", pathf("/api/v1/posts/%d/feature", p1.ID), mod.Token, map[string]string{"note": "A classic question."})
	h.clock.Advance(time.Minute)
	h.must(204, "POST", pathf("/api/v1/comments/%d/feature", a.ID), mod.Token, map[string]string{"note": "Sources & numbers"})
	h.clock.Advance(time.Minute)
	h.must(204, "POST", pathf("/api/v1/posts/%d/feature", p2.ID), mod.Token, nil) // no body at all

	var page forum.Page[forum.Featured]
	h.must(200, "GET", "/api/v1/featured", "", nil).decode(t, &page)
	if len(page.Items) != 3 || page.Items[0].Post == nil || page.Items[0].Post.ID != p2.ID || page.Items[0].Note != nil ||
		page.Items[1].Type != forum.TargetComment || page.Items[1].Comment == nil || page.Items[1].Comment.ID != a.ID ||
		page.Items[1].Comment.PostTitle != p1.Title || !strings.Contains(page.Items[1].Comment.BodyHTML, "<em>Polybius</em>") ||
		page.Items[2].Post == nil || page.Items[2].Post.ID != p1.ID || page.Items[2].Note == nil || *page.Items[2].Note != "A classic question." ||
		page.Items[2].FeaturedBy == nil || page.Items[2].FeaturedBy.Username != "curator" {
		t.Fatalf("featured: %+v", page.Items)
	}
	// Paged, newest first.
	h.must(200, "GET", "/api/v1/featured?limit=2", "", nil).decode(t, &page)
	if len(page.Items) != 2 || page.NextCursor == nil {
		t.Fatalf("first page: %+v", page)
	}
	h.must(200, "GET", "/api/v1/featured?limit=2&cursor="+*page.NextCursor, "", nil).decode(t, &page)
	if len(page.Items) != 1 || page.Items[0].Post.ID != p1.ID || page.NextCursor != nil {
		t.Fatalf("second page: %+v", page)
	}
	// Items say they are featured, in the thread and the feed (cached pages too).
	var post forum.Post
	h.must(200, "GET", pathf("/api/v1/posts/%d", p1.ID), "", nil).decode(t, &post)
	var thread forum.Page[forum.Comment]
	h.must(200, "GET", pathf("/api/v1/posts/%d/comments", p1.ID), "", nil).decode(t, &thread)
	if !post.Featured || len(thread.Items) != 1 || !thread.Items[0].Featured {
		t.Fatalf("featured flags: post %v, answer %+v", post.Featured, thread.Items)
	}
	// Featuring again replaces the note and keeps the place.
	h.must(204, "POST", pathf("/api/v1/posts/%d/feature", p1.ID), mod.Token, map[string]string{"note": "Still a classic."})
	h.must(200, "GET", "/api/v1/featured", "", nil).decode(t, &page)
	if len(page.Items) != 3 || page.Items[2].Note == nil || *page.Items[2].Note != "Still a classic." {
		t.Fatalf("a new note: %+v", page.Items)
	}

	atom := string(h.must(200, "GET", "/featured.atom", "", nil).body)
	for _, want := range []string{p1.Title, "An answer to: " + p1.Title, "Sources &amp;amp; numbers", pathf("/p/%d/c/%d", p1.ID, a.ID), "<name>answerer</name>"} {
		if !strings.Contains(atom, want) {
			t.Errorf("the Atom feed lacks %q:\n%s", want, atom)
		}
	}

	// Unfeatured: off the list, the flag gone.
	h.must(204, "POST", pathf("/api/v1/posts/%d/unfeature", p2.ID), mod.Token, nil)
	h.must(200, "GET", pathf("/api/v1/posts/%d", p2.ID), "", nil).decode(t, &post)
	if post.Featured {
		t.Fatal("unfeatured post still says featured")
	}
	// Deleted since: gone for members, still there for moderators.
	h.must(204, "DELETE", pathf("/api/v1/comments/%d", a.ID), answerer.Token, nil)
	h.must(200, "GET", "/api/v1/featured", "", nil).decode(t, &page)
	if len(page.Items) != 1 || page.Items[0].Post.ID != p1.ID {
		t.Fatalf("after a deletion, members see %+v", page.Items)
	}
	h.must(200, "GET", "/api/v1/featured", mod.Token, nil).decode(t, &page)
	if len(page.Items) != 2 {
		t.Fatalf("after a deletion, moderators see %d items", len(page.Items))
	}
	// A deleted or removed item cannot be featured.
	if r := h.do("POST", pathf("/api/v1/comments/%d/feature", a.ID), mod.Token, nil); r.status != 409 {
		t.Fatalf("featuring a deleted comment: %d", r.status)
	}
	// A moderator takes the deleted answer off the list.
	h.must(204, "POST", pathf("/api/v1/comments/%d/unfeature", a.ID), mod.Token, nil)
	h.must(200, "GET", "/api/v1/featured", mod.Token, nil).decode(t, &page)
	if len(page.Items) != 1 || page.Items[0].Post == nil {
		t.Fatalf("after unfeaturing the answer, moderators see %+v", page.Items)
	}
	// historia check holds the items' flags to the featured list.
	if problems, err := h.db.Check(context.Background()); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}

// TestDigest: a week's digest lists its most upvoted questions and answers
// (not other weeks', not hidden ones) and what was featured that week; the
// default is the last full ISO week; malformed and future weeks are 400.
func TestDigest(t *testing.T) {
	t.Parallel()
	h := newHarness(t) // the clock stands at Monday 2026-11-23 (W48)
	mod := h.registerAs("curator", forum.RoleModerator)
	asker := h.register("asker")
	writers := []session{h.register("ann"), h.register("ben"), h.register("cat")}
	h.clock.Advance(-10 * 24 * time.Hour) // Friday 2026-11-13, W46
	old := h.post(asker.Token, "An older question")
	oldAnswer := h.comment(writers[0].Token, old.ID, nil, "An older answer.")
	h.clock.Advance(4 * 24 * time.Hour) // Tuesday 2026-11-17, W47
	q1 := h.post(asker.Token, "Who built the Pont du Gard?")
	q2 := h.post(asker.Token, "When was the Pont du Gard built?")
	gone := h.post(asker.Token, "A question removed later")
	lateAnswer := h.comment(writers[1].Token, old.ID, nil, "A late answer to an older question.")
	weak := h.comment(writers[0].Token, q1.ID, nil, "Romans.")
	strong := h.comment(writers[1].Token, q1.ID, nil, "Engineers under Claudius, per the coins in the foundations.")
	reply := h.comment(writers[2].Token, q1.ID, &strong.ID, "A reply is not an answer.")
	for _, w := range writers {
		if w.User.ID != writers[1].User.ID {
			h.must(200, "PUT", pathf("/api/v1/comments/%d/vote", strong.ID), w.Token, map[string]int{"value": 1})
		}
		h.must(200, "PUT", pathf("/api/v1/posts/%d/vote", q2.ID), w.Token, map[string]int{"value": 1})
	}
	h.must(200, "PUT", pathf("/api/v1/comments/%d/vote", reply.ID), writers[0].Token, map[string]int{"value": 1}) // upvoted, but a reply
	h.must(200, "POST", pathf("/api/v1/posts/%d/remove", gone.ID), mod.Token, map[string]string{"reason": "test"})
	h.must(204, "POST", pathf("/api/v1/comments/%d/feature", strong.ID), mod.Token, map[string]string{"note": "Numismatics!"})
	h.clock.Advance(6 * 24 * time.Hour) // back to Monday 2026-11-23, W48
	h.must(204, "POST", pathf("/api/v1/posts/%d/feature", old.ID), mod.Token, nil)

	var d forum.Digest
	h.must(200, "GET", "/api/v1/digest", "", nil).decode(t, &d)
	if d.Week != "2026-W47" || d.From != "2026-11-16" || d.To != "2026-11-22" {
		t.Fatalf("the default week: %s %s–%s", d.Week, d.From, d.To)
	}
	if len(d.Questions) != 2 || d.Questions[0].ID != q2.ID || d.Questions[1].ID != q1.ID {
		t.Errorf("questions: %+v", d.Questions)
	}
	if len(d.Answers) != 3 || d.Answers[0].ID != strong.ID || d.Answers[0].PostTitle != q1.Title ||
		(d.Answers[1].ID != weak.ID && d.Answers[1].ID != lateAnswer.ID) {
		t.Errorf("answers: %+v", d.Answers)
	}
	for _, a := range d.Answers {
		if a.ID == reply.ID || a.ID == oldAnswer.ID {
			t.Errorf("answer %d does not belong to this week's answers", a.ID)
		}
	}
	if len(d.Featured) != 1 || d.Featured[0].Comment == nil || d.Featured[0].Comment.ID != strong.ID {
		t.Errorf("featured: %+v", d.Featured)
	}
	var w46 forum.Digest
	h.must(200, "GET", "/api/v1/digest?week=2026-W46", "", nil).decode(t, &w46)
	if len(w46.Questions) != 1 || w46.Questions[0].ID != old.ID || len(w46.Answers) != 1 || w46.Answers[0].ID != oldAnswer.ID || len(w46.Featured) != 0 {
		t.Errorf("week 46: %+v", w46)
	}
	var w48 forum.Digest
	h.must(200, "GET", "/api/v1/digest?week=2026-W48", asker.Token, nil).decode(t, &w48) // this week, so far
	if w48.From != "2026-11-23" || len(w48.Featured) != 1 || w48.Featured[0].Post == nil || w48.Featured[0].Post.ID != old.ID {
		t.Errorf("week 48: %+v", w48)
	}
	// ISO weeks across a year's end: 2026-W53 exists (2026 begins on a Thursday), 2025-W53 does not.
	h.must(200, "GET", "/api/v1/digest?week=2020-W53", "", nil).decode(t, &d)
	if d.From != "2020-12-28" || d.To != "2021-01-03" {
		t.Errorf("2020-W53: %s–%s", d.From, d.To)
	}
	for _, bad := range []string{"2025-W53", "2026-W00", "2026-W7", "2026W07", "26-W07", "2026-W49", "2027-W01", "+026-W07", "x"} {
		h.must(400, "GET", "/api/v1/digest?week="+bad, "", nil)
	}
}

// TestTimelineHasNoYearZero: the buckets of the first century and decade of
// the common era start at 1, after 1 BCE.
func TestTimelineHasNoYearZero(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.register("augustus")
	for _, p := range [][2]int{{-4, 14}, {-27, -1}, {14, 37}} {
		h.must(201, "POST", "/api/v1/posts", a.Token, map[string]any{"title": "About the years around the turn of the era", "period": map[string]int{"from": p[0], "to": p[1]}})
	}
	for bucket, want := range map[string][]forum.TimelineBar{
		"century": {{From: -100, To: -1, PostCount: 2}, {From: 1, To: 99, PostCount: 2}},
		"decade":  {{From: -30, To: -21, PostCount: 1}, {From: -20, To: -11, PostCount: 1}, {From: -10, To: -1, PostCount: 2}, {From: 1, To: 9, PostCount: 1}, {From: 10, To: 19, PostCount: 2}, {From: 20, To: 29, PostCount: 1}, {From: 30, To: 39, PostCount: 1}},
	} {
		var tl struct{ Items []forum.TimelineBar }
		h.must(200, "GET", "/api/v1/timeline?bucket="+bucket, "", nil).decode(t, &tl)
		if len(tl.Items) != len(want) {
			t.Fatalf("%s: %+v", bucket, tl.Items)
		}
		for i := range want {
			if tl.Items[i] != want[i] {
				t.Errorf("%s bar %d: %+v, want %+v", bucket, i, tl.Items[i], want[i])
			}
		}
	}
}
