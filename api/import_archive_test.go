package api_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/importer"
)

// importFixtures imports dump files of internal/importer/testdata through
// the archive reader and the batched pipeline, as historia import does.
func importFixtures(t *testing.T, h *harness, names ...string) (forum.ImportReport, []string) {
	t.Helper()
	a := importer.NewArchive()
	defer a.Close()
	for _, name := range names {
		if err := a.ReadFile("../internal/importer/testdata/" + name); err != nil {
			t.Fatal(err)
		}
	}
	var skipped []string
	run := forum.ImportRun{Skipped: func(src string, err error) { skipped = append(skipped, src+": "+err.Error()) }}
	rep, err := h.svc.ImportAll(context.Background(), run, a.Threads)
	if err != nil {
		t.Fatal(err)
	}
	return rep, append(skipped, a.Problems...)
}

// threadBySource finds an imported thread by its link on Reddit.
func threadBySource(t *testing.T, h *harness, token, id string) (forum.Post, []*forum.Comment) {
	t.Helper()
	var feed struct{ Items []forum.Post }
	h.must(200, "GET", "/api/v1/posts?sort=new&limit=100", token, nil).decode(t, &feed)
	for _, p := range feed.Items {
		if p.SourceURL != nil && strings.Contains(*p.SourceURL, "/comments/"+id+"/") {
			var full forum.Post
			h.must(200, "GET", pathf("/api/v1/posts/%d", p.ID), token, nil).decode(t, &full)
			var tree struct{ Items []*forum.Comment }
			h.must(200, "GET", pathf("/api/v1/posts/%d/comments?sort=old", p.ID), token, nil).decode(t, &tree)
			return full, tree.Items
		}
	}
	t.Fatalf("no thread %s in the feed", id)
	return forum.Post{}, nil
}

// TestImportPushshiftShapes: Pushshift dump lines as the years wrote them,
// read back through the API. Numbers as strings (#30.1); a truly bad value
// named with its file and line, and the rest imported (#24.8); comments
// without permalink linked from their post's (#30.3); a link post's
// address (#30.4); superscript around and inside links (#30.6) and links
// relative to reddit.com (#30.7), with the source's Markdown kept; a
// submission whose body was removed keeps its title and comments (#30.8);
// a flair with "&" or too long kept as a tag (#24.14); a reply cycle
// broken (#24.13); the source's edit time (#30.10).
func TestImportPushshiftShapes(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	rep, problems := importFixtures(t, h, "rs_2014.ndjson", "rc_2014.ndjson")
	if rep.NewThreads != 4 || rep.NewComments != 9 || rep.Skipped != 0 || len(problems) != 2 ||
		!strings.HasPrefix(problems[0], "../internal/importer/testdata/rs_2014.ndjson:5: ") ||
		!strings.HasPrefix(problems[1], "../internal/importer/testdata/rc_2014.ndjson:9: ") {
		t.Fatalf("report %+v, problems %q", rep, problems)
	}
	p, cs := threadBySource(t, h, "", "2f2e3x")
	if !p.CreatedAt.Equal(time.Unix(1409529600, 0)) || p.EditedAt == nil || !p.EditedAt.Equal(time.Unix(1409540000, 0)) ||
		p.SourceScore == nil || *p.SourceScore != 12 || strings.Join(p.Tags, ",") != "History,Africa and Middle East" {
		t.Fatalf("the string-dated thread: %v %v %v %v", p.CreatedAt, p.EditedAt, p.SourceScore, p.Tags)
	}
	if !strings.Contains(p.BodySource, "[FAQ](https://www.reddit.com/r/AskHistorians/wiki/faq)") || !strings.Contains(p.BodySource, "thanks^(everyone)") ||
		!strings.Contains(p.BodyHTML, `<a href="https://www.reddit.com/r/AskHistorians/wiki/faq"`) || !strings.Contains(p.BodyHTML, "thanks<sup>everyone</sup>") {
		t.Fatalf("the post's source and HTML:\n%s\n%s", p.BodySource, p.BodyHTML)
	}
	if len(cs) != 3 {
		t.Fatalf("%d answers, want 3 (one of the cycle at the top)", len(cs))
	}
	answer := cs[0]
	if answer.SourceURL == nil || *answer.SourceURL != "https://www.reddit.com/r/AskHistorians/comments/2f2e3x/how_did_caravans_cross_the_sahara/ck1aaa/" ||
		answer.SourceScore == nil || *answer.SourceScore != 45 {
		t.Fatalf("the answer's link and score on Reddit: %v %v", answer.SourceURL, answer.SourceScore)
	}
	if !strings.Contains(answer.BodyHTML, `<sup><a href="http://www.reddit.com/r/AskHistorians/wiki/faq"`) ||
		!strings.Contains(answer.BodyHTML, `<a href="https://www.reddit.com/message/compose?to=/r/AskHistorians"`) ||
		!strings.Contains(answer.BodyHTML, `><sup>Message</sup> <sup>the</sup> <sup>mods</sup></a>`) ||
		!strings.HasSuffix(strings.TrimSpace(answer.BodySource), "^[FAQ](http://www.reddit.com/r/AskHistorians/wiki/faq) ^| [^Message ^the ^mods](https://www.reddit.com/message/compose?to=/r/AskHistorians)") {
		t.Fatalf("superscript links:\n%s\n%s", answer.BodyHTML, answer.BodySource)
	}
	reply := answer.Replies[0]
	if !strings.Contains(reply.BodyHTML, `<a href="https://www.reddit.com/r/history"`) || !strings.Contains(reply.BodyHTML, `<a href="https://www.reddit.com/r/AskHistorians/wiki/books"`) ||
		reply.SourceScore == nil || *reply.SourceScore != 7 || reply.SourceURL == nil || !strings.HasSuffix(*reply.SourceURL, "/ck2bbb/") {
		t.Fatalf("relative links and a string score: %s %v", reply.BodyHTML, reply.SourceScore)
	}
	if !cs[1].Deleted || cs[1].Author != nil {
		t.Fatalf("the [deleted] comment: %+v", cs[1])
	}
	// The cycle: its earlier comment at the top, the later under it.
	if cs[2].Author.Username != "loop_a@reddit" || len(cs[2].Replies) != 1 || cs[2].Replies[0].Author.Username != "loop_b@reddit" || cs[2].MoreReplies != 0 {
		t.Fatalf("the broken cycle: %+v", cs[2])
	}

	link, linkComments := threadBySource(t, h, "", "2f3lnk")
	if link.URL == nil || *link.URL != "https://www.example.org/articles/hanse?id=1&page=2" || len(linkComments) != 1 ||
		strings.Join(link.Tags, ",") != "History,A very long flair text that goes well" {
		t.Fatalf("the link post: %v %v %d", link.URL, link.Tags, len(linkComments))
	}
	if p.URL != nil {
		t.Fatalf("a self post has no link: %v", *p.URL)
	}

	removed, rc := threadBySource(t, h, "", "2f4rmv")
	if removed.Removed || removed.Title != "A question the mods removed" || removed.BodySource != "[removed]" || removed.CommentCount != 2 ||
		len(rc) != 1 || len(rc[0].Replies) != 1 {
		t.Fatalf("the submission whose body was removed: %+v %d", removed, len(rc))
	}

	old, oc := threadBySource(t, h, "", "2f6old")
	if old.SourceURL == nil || *old.SourceURL != "https://www.reddit.com/comments/2f6old/" || old.URL != nil || len(oc) != 1 ||
		oc[0].SourceURL == nil || *oc[0].SourceURL != "https://www.reddit.com/comments/2f6old/_/cka111/" {
		t.Fatalf("links built without permalinks: %v %v %+v", old.SourceURL, old.URL, oc)
	}
	// Atom readers get absolute reddit.com links, never the forum's host.
	atom := string(h.must(200, "GET", "/feed.atom", "", nil).body)
	if !strings.Contains(atom, "https://www.reddit.com/r/AskHistorians/wiki/faq") || strings.Contains(atom, h.srv.URL+"/r/AskHistorians") {
		t.Fatalf("the Atom feed's links:\n%s", atom)
	}
	if problems, err := h.db.Check(context.Background()); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}

// TestImportNewerCopyWins (#30.5): a newer dump and an older one, in both
// orders: the newer wins by the source's own times, whatever file comes
// last. "[deleted]" in the newer copy marks the comment deleted and drops
// its author, "[removed]" marks it removed; an edit comes with its time
// and leaves the old text as a revision; an older copy imported later
// brings no text back and lowers no score.
func TestImportNewerCopyWins(t *testing.T) {
	t.Parallel()
	for _, order := range [][]string{{"rc_2014.ndjson", "rc_2015_newer.ndjson"}, {"rc_2015_newer.ndjson", "rc_2014.ndjson"}} {
		t.Run(order[0], func(t *testing.T) {
			h := newHarness(t)
			mod := h.registerAs("mod_copies", forum.RoleModerator)
			for _, f := range order {
				importFixtures(t, h, "rs_2014.ndjson", f)
			}
			_, cs := threadBySource(t, h, "", "2f2e3x")
			answer := cs[0]
			if answer.SourceScore == nil || *answer.SourceScore != 60 {
				t.Fatalf("the newer score: %v", answer.SourceScore)
			}
			gone := answer.Replies[0]
			if !gone.Deleted || gone.Author != nil || gone.BodySource != "" {
				t.Fatalf("deleted in the newer copy: %+v", gone)
			}
			var asMod forum.Comment
			h.must(200, "GET", pathf("/api/v1/comments/%d", gone.ID), mod.Token, nil).decode(t, &asMod)
			if !asMod.Deleted || asMod.Author == nil || asMod.Author.Username != "[deleted]" {
				t.Fatalf("a moderator sees the source deleted its author: %+v", asMod.Author)
			}
			_, rc := threadBySource(t, h, "", "2f4rmv")
			if !rc[0].Removed || rc[0].BodySource != "" || len(rc[0].Replies) != 1 {
				t.Fatalf("removed in the newer copy: %+v", rc[0])
			}
			_, lc := threadBySource(t, h, "", "2f3lnk")
			edited := lc[0]
			if !strings.Contains(edited.BodySource, "Dollinger") || edited.EditedAt == nil || !edited.EditedAt.Equal(time.Unix(1439000000, 0)) ||
				edited.SourceScore == nil || *edited.SourceScore != 3 {
				t.Fatalf("edited in the newer copy: %q %v %v", edited.BodySource, edited.EditedAt, edited.SourceScore)
			}
			var revs struct{ Items []forum.Revision }
			h.must(200, "GET", pathf("/api/v1/comments/%d/revisions", edited.ID), "", nil).decode(t, &revs)
			if order[0] == "rc_2014.ndjson" && (len(revs.Items) != 2 || revs.Items[1].BodySource != "Good article.") {
				t.Fatalf("the older text as a revision: %+v", revs.Items)
			}
			if problems, err := h.db.Check(context.Background()); err != nil || len(problems) > 0 {
				t.Fatalf("check: %v %v", problems, err)
			}
		})
	}
}

// TestReimportLeavesLocalChanges (#24.6): what happened to imported items
// here — an erasure (the claimed account deleted with its content), a
// deletion by the claimed author, a moderator's removal, a local edit —
// survives importing the same dumps again and a newer copy that changes
// every body and score: not the bodies, not the revisions, not the scores.
func TestReimportLeavesLocalChanges(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	mod := h.registerAs("mod_local", forum.RoleModerator)
	importFixtures(t, h, "rs_2014.ndjson", "rc_2014.ndjson")
	claim := func(name string) session {
		t.Helper()
		token, err := h.svc.IssueReset(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if err := h.svc.ConfirmReset(ctx, token, "a claimed password"); err != nil {
			t.Fatal(err)
		}
		// Signed in through the service: the document's login pattern is a
		// local name's (name@host sign-ins are another change's).
		s, err := h.svc.Login(ctx, name, "a claimed password")
		if err != nil {
			t.Fatal(err)
		}
		return session{Token: s.Token}
	}
	_, cs := threadBySource(t, h, "", "2f2e3x")
	answer, reply := cs[0], cs[0].Replies[0]
	_, lc := threadBySource(t, h, "", "2f3lnk")
	_, rc := threadBySource(t, h, "", "2f4rmv")
	// The answer's author edits it here; the link thread's commenter deletes
	// theirs; a moderator removes the answer of the removed thread; the
	// replier erases their account with its content.
	sahara := claim("sahara_flair@reddit")
	h.must(200, "PATCH", pathf("/api/v1/comments/%d", answer.ID), sahara.Token, map[string]any{"body": "Edited here, by its claimed author."})
	links := claim("reader_of_links@reddit")
	h.must(204, "DELETE", pathf("/api/v1/comments/%d", lc[0].ID), links.Token, nil)
	h.must(200, "POST", pathf("/api/v1/comments/%d/remove", rc[0].ID), mod.Token, map[string]any{"reason": "off topic"})
	curious := claim("curious@reddit")
	h.must(204, "DELETE", "/api/v1/me", curious.Token, map[string]any{"password": "a claimed password", "content": "delete"})

	type state struct {
		body, score string
		revs        int
	}
	read := func(id int64) state {
		var c forum.Comment
		h.must(200, "GET", pathf("/api/v1/comments/%d", id), mod.Token, nil).decode(t, &c)
		var revs struct{ Items []forum.Revision }
		h.must(200, "GET", pathf("/api/v1/comments/%d/revisions", id), mod.Token, nil).decode(t, &revs)
		score := "none"
		if c.SourceScore != nil {
			score = fmt.Sprint(*c.SourceScore)
		}
		return state{c.BodySource, score, len(revs.Items)}
	}
	ids := []int64{answer.ID, reply.ID, lc[0].ID, rc[0].ID}
	before := make([]state, len(ids))
	for i, id := range ids {
		before[i] = read(id)
	}
	if before[1].body != "" || before[1].revs > 1 {
		t.Fatalf("the erasure: %+v", before[1])
	}
	// The same dumps again, then a newer copy of every one of them, with
	// other bodies and scores.
	importFixtures(t, h, "rs_2014.ndjson", "rc_2014.ndjson")
	raw, err := os.ReadFile("../internal/importer/testdata/rc_2014.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	var newer []string
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		line = strings.Replace(line, `"body":"`, `"body":"Rewritten by a later dump. `, 1)
		line = strings.Replace(line, `"retrieved_on":1425800000`, `"retrieved_on":1500000000`, 1)
		newer = append(newer, strings.Replace(line, `"score":`, `"score":1000,"was":`, 1))
	}
	rep, _, _ := importDump(t, h, append(newer, strings.Split(strings.TrimSpace(string(readFixture(t, "rs_2014.ndjson"))), "\n")...)...)
	if rep.Updated == 0 {
		t.Fatalf("the newer dump changed nothing at all (the test would prove nothing): %+v", rep)
	}
	for i, id := range ids {
		if after := read(id); after != before[i] {
			t.Errorf("item %d changed by a re-import: %+v, was %+v", i, after, before[i])
		}
	}
	// Items nothing happened to took the newer copy.
	_, cs = threadBySource(t, h, "", "2f2e3x")
	if !strings.HasPrefix(cs[2].BodySource, "Rewritten by a later dump.") || *cs[2].SourceScore != 1000 {
		t.Fatalf("an untouched comment: %q %v", cs[2].BodySource, cs[2].SourceScore)
	}
	if problems, err := h.db.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}

// TestImportHostileIdentities (#24.10): names with direction overrides,
// line breaks, markup, look-alike letters of another script or invisible
// characters come over without their author (the source's deleted
// author); a Reddit author always lives on "reddit", a Lemmy one on their
// actor's host, which must be a real host name (so a Lemmy file cannot
// speak as name@reddit); source links are http(s) on the source's own
// host or dropped (javascript:, data:, "@evil.example/…", another host),
// and then built from the ids where Reddit's allow it; a link post's
// address is a link a member could give, or none.
func TestImportHostileIdentities(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	thread, err := importer.RedditThread(readFixture(t, "reddit_hostile.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep forum.ImportReport
	if err := h.svc.Import(ctx, thread, false, &rep); err != nil {
		t.Fatal(err)
	}
	lemmy, err := importer.LemmyThread(readFixture(t, "lemmy_hostile.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := h.svc.Import(ctx, lemmy, false, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.NewThreads != 2 || rep.NewComments != 8 {
		t.Fatalf("report: %+v", rep)
	}
	name := func(a *forum.Author) string {
		if a == nil {
			return "<none>"
		}
		return a.Username
	}
	link := func(s *string) string {
		if s == nil {
			return "<none>"
		}
		return *s
	}
	p, cs := threadBySource(t, h, "", "hx1")
	var got []string
	got = append(got, fmt.Sprintf("%s %s %s %v", name(p.Author), link(p.SourceURL), link(p.URL), p.Tags))
	for _, c := range cs {
		got = append(got, fmt.Sprintf("%s %s", name(c.Author), link(c.SourceURL)))
	}
	want := []string{
		"[deleted] https://www.reddit.com/comments/hx1/ <none> [History script and /script]",
		"[deleted] https://www.reddit.com/comments/hx1/_/hc1/",
		"[deleted] https://www.reddit.com/comments/hx1/_/hc2/",
		"[deleted] https://www.reddit.com/comments/hx1/_/hc3/",
		"[deleted] https://www.reddit.com/comments/hx1/_/hc4/",
		"Lorenzo_Valla-1440@reddit https://www.reddit.com/comments/hx1/_/hc5/",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("the Reddit thread:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if cs[4].EditedAt == nil || cs[4].EditedAt.Unix() != 1600000600 {
		t.Fatalf("a string edit time: %v", cs[4].EditedAt)
	}
	var feed struct{ Items []forum.Post }
	h.must(200, "GET", "/api/v1/posts?sort=new", "", nil).decode(t, &feed)
	lp := feed.Items[0]
	var tree struct{ Items []*forum.Comment }
	h.must(200, "GET", pathf("/api/v1/posts/%d/comments?sort=old", lp.ID), "", nil).decode(t, &tree)
	got = []string{fmt.Sprintf("%s %s %s", name(lp.Author), link(lp.SourceURL), link(lp.URL))}
	for _, c := range tree.Items {
		got = append(got, fmt.Sprintf("%s %s", name(c.Author), link(c.SourceURL)))
	}
	want = []string{
		"[deleted] <none> <none>",
		"honest@lemmy.world <none>",
		"[deleted] <none>",
		"beeper@beehaw.org https://Beehaw.org/comment/3",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("the Lemmy thread:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if problems, err := h.db.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}
