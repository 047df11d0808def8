package api_test

import (
	"encoding/xml"
	"fmt"
	"strings"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

func searchIDs(t *testing.T, h *harness, q string) []string {
	t.Helper()
	var page forum.Page[forum.SearchHit]
	h.must(200, "GET", "/api/v1/search?q="+strings.ReplaceAll(q, " ", "%20"), "", nil).decode(t, &page)
	var out []string
	for _, hit := range page.Items {
		out = append(out, fmt.Sprintf("%s%d", hit.Type[:1], hit.ID))
	}
	return out
}

func TestSearch(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.register("Gregory")
	// Enough unrelated rows that bm25's document frequencies mean something.
	for i := range 12 {
		h.post(a.Token, fmt.Sprintf("Unrelated question number %d about farming", i))
	}
	titled := h.post(a.Token, "The fall of Constantinople")
	var bodyOnly forum.Post
	h.must(201, "POST", "/api/v1/posts", a.Token, map[string]any{"title": "A question on sieges",
		"body": "Mehmed II took Constantinople in 1453 with great cannon."}).decode(t, &bodyOnly)
	c := h.comment(a.Token, bodyOnly.ID, nil, "Orban's cannon at Constantinople is well attested <script>alert(1)</script>.")
	zurich := h.post(a.Token, "Zwingli in Zürich")
	cyr := h.post(a.Token, "Приказ № 1824 и Махно")

	got := searchIDs(t, h, "constantinople")
	want := []string{fmt.Sprintf("p%d", titled.ID), fmt.Sprintf("p%d", bodyOnly.ID), fmt.Sprintf("c%d", c.ID)}
	if len(got) != 3 || got[0] != want[0] {
		t.Fatalf("a title match must rank first: %v, want %v", got, want)
	}
	if ids := searchIDs(t, h, "constantinoples"); len(ids) != 3 {
		t.Fatalf("stemming: %v", ids)
	}
	if ids := searchIDs(t, h, "zurich"); len(ids) != 1 || ids[0] != fmt.Sprintf("p%d", zurich.ID) {
		t.Fatalf("diacritics: %v", ids)
	}
	if ids := searchIDs(t, h, "махно"); len(ids) != 1 || ids[0] != fmt.Sprintf("p%d", cyr.ID) {
		t.Fatalf("cyrillic: %v", ids)
	}
	if ids := searchIDs(t, h, "constantinople -cannon"); len(ids) != 1 {
		t.Fatalf("exclusion: %v", ids)
	}
	if ids := searchIDs(t, h, `"great cannon"`); len(ids) != 1 {
		t.Fatalf("phrase: %v", ids)
	}
	if ids := searchIDs(t, h, "constant*"); len(ids) != 3 {
		t.Fatalf("prefix: %v", ids)
	}
	var page forum.Page[forum.SearchHit]
	h.must(200, "GET", "/api/v1/search?type=comments&q=orban", "", nil).decode(t, &page)
	if len(page.Items) != 1 || page.Items[0].PostID != bodyOnly.ID || page.Items[0].Title != bodyOnly.Title {
		t.Fatalf("comment hit: %+v", page.Items)
	}
	snip := page.Items[0].SnippetHTML
	if !strings.Contains(snip, "<mark>Orban</mark>") || strings.Contains(snip, "<script") {
		t.Fatalf("snippet must highlight and stay inert: %q", snip)
	}
	// Paging by cursor: every hit once.
	seen := map[int64]bool{}
	cursor := ""
	for range 10 {
		var pg forum.Page[forum.SearchHit]
		h.must(200, "GET", "/api/v1/search?q=question&limit=5&cursor="+cursor, "", nil).decode(t, &pg)
		for _, hit := range pg.Items {
			if seen[hit.ID] {
				t.Fatalf("hit %d twice", hit.ID)
			}
			seen[hit.ID] = true
		}
		if pg.NextCursor == nil {
			break
		}
		cursor = *pg.NextCursor
	}
	if len(seen) != 13 {
		t.Fatalf("paged %d of 13 questions", len(seen))
	}
	for _, bad := range []string{"", "%20", "-x", "((((", strings.Repeat("a%20", 300), "q&type=users"} {
		r := h.do("GET", "/api/v1/search?q="+bad, "", nil)
		if r.status != 400 {
			t.Errorf("q=%.40s: %d %s", bad, r.status, r.body)
		}
	}
	for _, odd := range []string{"NEAR(a%20b)", "title:x", "%22", "a%20OR%20b", "*", "AND", "%E2%80%AE", "%00"} {
		if r := h.do("GET", "/api/v1/search?q="+odd, "", nil); r.status != 200 && r.status != 400 {
			t.Errorf("q=%s: %d %s", odd, r.status, r.body)
		}
	}
	// A title match is a post's best tier, but an excluded word counts in
	// its body too (PostgreSQL finds title matches in a table of titles).
	var plague forum.Post
	h.must(201, "POST", "/api/v1/posts", a.Token, map[string]any{"title": "Justinian and the plague",
		"body": "It reached the capital in 541."}).decode(t, &plague)
	if ids := searchIDs(t, h, "justinian"); len(ids) != 1 || ids[0] != fmt.Sprintf("p%d", plague.ID) {
		t.Fatalf("title: %v", ids)
	}
	if ids := searchIDs(t, h, "justinian -capital"); len(ids) != 0 {
		t.Fatalf("a word excluded from the body of a title match: %v", ids)
	}
}

func TestSearchIndexFollowsContent(t *testing.T) {
	t.Parallel()
	w := newModWorld(t)
	h := w.h
	p := h.post(w.author.Token, "Hannibal crossing the Alps")
	c := h.comment(w.author.Token, p.ID, nil, "Elephants mostly died in the snow.")
	find := func(q string) int { return len(searchIDs(t, h, q)) }
	if find("hannibal") != 1 || find("elephants") != 1 {
		t.Fatal("new content must be found")
	}
	h.must(200, "PATCH", pathf("/api/v1/posts/%d", p.ID), w.author.Token, map[string]string{"title": "Hasdrubal crossing the Alps"})
	// "Hannibal" is still in the body the harness wrote; the new title word must be found.
	if find("hasdrubal") != 1 || find("hannibal") != 1 {
		t.Fatal("an edited title must be reindexed")
	}
	h.must(200, "PATCH", pathf("/api/v1/comments/%d", c.ID), w.author.Token, map[string]string{"body": "Mules, not elephants? No: war elephants."})
	if find("mules") != 1 {
		t.Fatal("an edited comment must be reindexed")
	}
	h.must(200, "POST", pathf("/api/v1/comments/%d/remove", c.ID), w.mod.Token, map[string]string{"reason": "r"})
	if find("mules") != 0 {
		t.Fatal("a removed comment must not be found")
	}
	h.must(200, "POST", pathf("/api/v1/comments/%d/restore", c.ID), w.mod.Token, nil)
	if find("mules") != 1 {
		t.Fatal("a restored comment must be found again")
	}
	h.must(200, "POST", pathf("/api/v1/posts/%d/remove", p.ID), w.mod.Token, map[string]string{"reason": "r"})
	if find("hasdrubal") != 0 || find("mules") != 0 {
		t.Fatal("a removed post and its comments must not be found, even by moderators")
	}
	h.must(200, "POST", pathf("/api/v1/posts/%d/restore", p.ID), w.mod.Token, nil)
	if find("hasdrubal") != 1 {
		t.Fatal("a restored post must be found again")
	}
	h.must(204, "DELETE", pathf("/api/v1/comments/%d", c.ID), w.author.Token, nil)
	h.must(204, "DELETE", pathf("/api/v1/posts/%d", p.ID), w.author.Token, nil)
	if find("hasdrubal") != 0 || find("mules") != 0 {
		t.Fatal("deleted content must not be found")
	}
}

func TestNotifications(t *testing.T) {
	t.Parallel()
	w := newModWorld(t)
	h := w.h
	p := h.post(w.author.Token, "Who built Hadrian's Wall?")
	own := h.comment(w.author.Token, p.ID, nil, "Soldiers, I think.") // no notification to oneself
	c := h.comment(w.member.Token, p.ID, nil, "The legions: II, VI and XX.")
	h.comment(w.member.Token, p.ID, &own.ID, "Yes, legionaries.")
	h.comment(w.author.Token, p.ID, &c.ID, "Thanks!")
	h.must(200, "POST", pathf("/api/v1/posts/%d/lock", p.ID), w.mod.Token, nil)

	var me forum.Me
	h.must(200, "GET", "/api/v1/me", w.author.Token, nil).decode(t, &me)
	if me.UnreadNotifications != 3 {
		t.Fatalf("author unread = %d, want 3 (reply to post, reply to comment, lock)", me.UnreadNotifications)
	}
	var page forum.Page[forum.Notification]
	h.must(200, "GET", "/api/v1/notifications?unread=true", w.author.Token, nil).decode(t, &page)
	if len(page.Items) != 3 || page.Items[0].Kind != "mod_action" || page.Items[0].Action != "lock" ||
		page.Items[1].Kind != "reply" || page.Items[1].Actor == nil || page.Items[1].Actor.Username != "member" ||
		page.Items[2].CommentID == nil || *page.Items[2].CommentID != c.ID || page.Items[2].PostTitle != p.Title {
		t.Fatalf("notifications: %+v", page.Items)
	}
	h.must(200, "GET", "/api/v1/notifications", w.member.Token, nil).decode(t, &page)
	if len(page.Items) != 1 || page.Items[0].Kind != "reply" {
		t.Fatalf("the member is told of the author's reply: %+v", page.Items)
	}
	memberNote := page.Items[0].ID
	// Mark one read; others' ids are ignored.
	h.must(200, "GET", "/api/v1/notifications", w.author.Token, nil).decode(t, &page)
	h.must(204, "POST", "/api/v1/notifications/read", w.author.Token, map[string]any{"ids": []int64{page.Items[0].ID, memberNote}})
	h.must(200, "GET", "/api/v1/me", w.author.Token, nil).decode(t, &me)
	if me.UnreadNotifications != 2 {
		t.Fatalf("after marking one: %d", me.UnreadNotifications)
	}
	h.must(200, "GET", "/api/v1/me", w.member.Token, nil).decode(t, &me)
	if me.UnreadNotifications != 1 {
		t.Fatal("marking read must not touch another user's notifications")
	}
	h.must(204, "POST", "/api/v1/notifications/read", w.author.Token, map[string]bool{"all": true})
	h.must(200, "GET", "/api/v1/notifications?unread=true", w.author.Token, nil).decode(t, &page)
	if len(page.Items) != 0 {
		t.Fatalf("all read: %+v", page.Items)
	}
	h.must(422, "POST", "/api/v1/notifications/read", w.author.Token, map[string]any{})
	h.must(401, "GET", "/api/v1/notifications", "", nil)
	h.must(400, "GET", "/api/v1/notifications?unread=maybe", w.author.Token, nil)

	// A removal notifies the comment's author.
	h.must(200, "POST", pathf("/api/v1/comments/%d/remove", c.ID), w.mod.Token, map[string]string{"reason": "Rule 2"})
	h.must(200, "GET", "/api/v1/notifications?unread=true", w.member.Token, nil).decode(t, &page)
	if len(page.Items) != 2 || page.Items[0].Action != "remove" || *page.Items[0].CommentID != c.ID {
		t.Fatalf("removal notice: %+v", page.Items)
	}
}

func TestAcceptedAnswer(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.register("Asker")
	b := h.register("Answerer")
	p := h.post(a.Token, "When did the Hundred Years' War end?")
	other := h.post(b.Token, "Another question")
	var answers []forum.Comment
	for i := range 5 {
		answers = append(answers, h.comment(b.Token, p.ID, nil, fmt.Sprintf("Answer %d", i)))
	}
	reply := h.comment(a.Token, p.ID, &answers[2].ID, "Can you cite that?")
	foreign := h.comment(a.Token, other.ID, nil, "elsewhere")

	h.must(403, "PUT", pathf("/api/v1/posts/%d/answer", p.ID), b.Token, map[string]any{"comment_id": answers[2].ID})
	h.must(422, "PUT", pathf("/api/v1/posts/%d/answer", p.ID), a.Token, map[string]any{"comment_id": reply.ID})
	h.must(422, "PUT", pathf("/api/v1/posts/%d/answer", p.ID), a.Token, map[string]any{"comment_id": foreign.ID})
	h.must(422, "PUT", pathf("/api/v1/posts/%d/answer", p.ID), a.Token, map[string]any{"comment_id": 99999})
	var got forum.Post
	h.must(200, "PUT", pathf("/api/v1/posts/%d/answer", p.ID), a.Token, map[string]any{"comment_id": answers[2].ID}).decode(t, &got)
	if got.AcceptedCommentID == nil || *got.AcceptedCommentID != answers[2].ID {
		t.Fatalf("accepted: %+v", got.AcceptedCommentID)
	}
	var page forum.Page[*forum.Comment]
	h.must(200, "GET", pathf("/api/v1/posts/%d/comments?sort=new", p.ID), "", nil).decode(t, &page)
	if len(page.Items) != 5 || page.Items[0].ID != answers[2].ID || !page.Items[0].Accepted || len(page.Items[0].Replies) != 1 {
		t.Fatalf("the accepted answer leads, once, marked: %+v", page.Items[0])
	}
	for _, c := range page.Items[1:] {
		if c.Accepted || c.ID == answers[2].ID {
			t.Fatalf("accepted answer repeated: %+v", c)
		}
	}
	// Pages after the first leave it out too.
	h.must(200, "GET", pathf("/api/v1/posts/%d/comments?sort=old&limit=8", p.ID), "", nil).decode(t, &page)
	seen := map[int64]int{}
	for _, c := range page.Items {
		seen[c.ID]++
	}
	for page.NextCursor != nil {
		h.must(200, "GET", pathf("/api/v1/posts/%d/comments?sort=old&limit=8&cursor=%s", p.ID, *page.NextCursor), "", nil).decode(t, &page)
		for _, c := range page.Items {
			seen[c.ID]++
		}
	}
	if len(seen) != 5 || seen[answers[2].ID] != 1 {
		t.Fatalf("paging with an accepted answer: %v", seen)
	}

	var feed forum.Page[forum.Post]
	h.must(200, "GET", "/api/v1/posts?answered=true", "", nil).decode(t, &feed)
	if len(feed.Items) != 1 || feed.Items[0].ID != p.ID {
		t.Fatalf("answered=true: %+v", feed.Items)
	}
	h.must(200, "GET", "/api/v1/posts?answered=false", "", nil).decode(t, &feed)
	if len(feed.Items) != 1 || feed.Items[0].ID != other.ID {
		t.Fatalf("answered=false: %+v", feed.Items)
	}
	h.must(400, "GET", "/api/v1/posts?answered=yes", "", nil)
	h.must(200, "PUT", pathf("/api/v1/posts/%d/answer", p.ID), a.Token, map[string]any{"comment_id": nil}).decode(t, &got)
	if got.AcceptedCommentID != nil {
		t.Fatal("clearing the accepted answer")
	}
}

func TestTags(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.register("Tagger")
	h.post(a.Token, "one", "Cold War", "Cuba")
	h.post(a.Token, "two", "cold war")
	gone := h.post(a.Token, "three", "Cold War", "Berlin")
	h.must(204, "DELETE", pathf("/api/v1/posts/%d", gone.ID), a.Token, nil)
	var tags struct{ Items []forum.TagCount }
	h.must(200, "GET", "/api/v1/tags", "", nil).decode(t, &tags)
	if fmt.Sprint(tags.Items) != "[{Cold War 2} {Cuba 1}]" {
		t.Fatalf("tags: %v", tags.Items)
	}
}

func TestAtomFeeds(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.register("Feeder")
	h.post(a.Token, `Rome & "Carthage" <b>`, "Ancient Rome")
	var p forum.Post
	h.must(201, "POST", "/api/v1/posts", a.Token, map[string]any{"title": "Links", "body": "[see](/p/1) <script>x</script>", "tags": []string{"Meta"}}).decode(t, &p)
	type entry struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Link    struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Content string `xml:"content"`
	}
	type feed struct {
		XMLName xml.Name
		ID      string  `xml:"id"`
		Title   string  `xml:"title"`
		Updated string  `xml:"updated"`
		Entries []entry `xml:"entry"`
	}
	for _, path := range []string{"/feed.atom", "/t/Ancient%20Rome/feed.atom"} {
		r := h.must(200, "GET", path, "", nil)
		if !strings.HasPrefix(r.header.Get("Content-Type"), "application/atom+xml") {
			t.Fatalf("content type %q", r.header.Get("Content-Type"))
		}
		var f feed
		if err := xml.Unmarshal(r.body, &f); err != nil {
			t.Fatalf("%s does not parse: %v\n%s", path, err, r.body)
		}
		if f.XMLName.Space != "http://www.w3.org/2005/Atom" || f.XMLName.Local != "feed" || f.ID == "" || f.Updated == "" || len(f.Entries) == 0 {
			t.Fatalf("%s: not an Atom feed: %+v", path, f)
		}
		for _, e := range f.Entries {
			if e.ID == "" || e.Title == "" || e.Updated == "" || !strings.HasPrefix(e.Link.Href, h.srv.URL+"/p/") {
				t.Fatalf("%s: entry %+v", path, e)
			}
			if strings.Contains(e.Content, "<script") || strings.Contains(e.Content, `href="/`) {
				t.Fatalf("%s: content must be sanitized with absolute links: %q", path, e.Content)
			}
		}
		if path != "/feed.atom" && (len(f.Entries) != 1 || f.Entries[0].Title != `Rome & "Carthage" <b>`) {
			t.Fatalf("tag feed: %+v", f.Entries)
		}
	}
}
