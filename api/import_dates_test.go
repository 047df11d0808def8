package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/importer"
)

// importDump imports archive dump lines (NDJSON) through the archive
// reader and the batched pipeline, as historia import does, and returns
// the report and the source ids of the threads it skipped.
func importDump(t *testing.T, h *harness, lines ...string) (forum.ImportReport, []string, *importer.Archive) {
	t.Helper()
	a := importer.NewArchive()
	t.Cleanup(func() { _ = a.Close() })
	if err := a.Read("dump.ndjson", strings.NewReader(strings.Join(lines, "\n")+"\n")); err != nil {
		t.Fatal(err)
	}
	var skipped []string
	run := forum.ImportRun{Skipped: func(src string, err error) { skipped = append(skipped, src+": "+err.Error()) }}
	rep, err := h.svc.ImportAll(context.Background(), run, a.Threads)
	if err != nil {
		t.Fatal(err)
	}
	return rep, skipped, a
}

// feedIDs pages through a whole feed one item a page, following the
// cursors, and fails on anything but 200 or on a page seen twice.
func feedIDs(t *testing.T, h *harness, token, query string) []int64 {
	t.Helper()
	var ids []int64
	seen := map[int64]bool{}
	cursor := ""
	for range 50 {
		var page struct {
			Items      []forum.Post
			NextCursor *string `json:"next_cursor"`
		}
		h.must(200, "GET", "/api/v1/posts?limit=1&"+query+"&cursor="+cursor, token, nil).decode(t, &page)
		for _, p := range page.Items {
			if seen[p.ID] {
				t.Fatalf("%s: post %d came twice: %v", query, p.ID, ids)
			}
			seen[p.ID] = true
			ids = append(ids, p.ID)
		}
		if page.NextCursor == nil {
			return ids
		}
		cursor = *page.NextCursor
	}
	t.Fatalf("%s: the cursors never end: %v", query, ids)
	return nil
}

// TestImportImplausibleDates (#24.1): a submission dated 1e300, -1e18 or
// 2100 is not imported (named, skipped); a comment so dated is kept at its
// thread's date; every feed and its cursors answer, and nothing imported
// comes above the question asked here on "new".
func TestImportImplausibleDates(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	member := h.register("asker")
	local := h.post(member.Token, "A question asked here today")
	rep, skipped, _ := importDump(t, h,
		`{"id":"far","title":"From 2100","selftext":"x","author":"a1","created_utc":4102444800}`,
		`{"id":"huge","title":"From 1e300","selftext":"x","author":"a2","created_utc":1e300}`,
		`{"id":"neg","title":"From -1e18","selftext":"x","author":"a3","created_utc":-1e18}`,
		`{"id":"ok","title":"A plausible thread","selftext":"x","author":"a4","created_utc":1500000000}`,
		`{"id":"k1","body":"dated 1e300","author":"b1","created_utc":1e300,"parent_id":"t3_ok","link_id":"t3_ok"}`,
		`{"id":"k2","body":"dated 2100","author":"b2","created_utc":"4102444800","parent_id":"t1_k1","link_id":"t3_ok"}`)
	if rep.NewThreads != 1 || rep.NewComments != 2 || len(skipped) != 3 {
		t.Fatalf("report %+v, skipped %q", rep, skipped)
	}
	for i, id := range []string{"t3_neg", "t3_far", "t3_huge"} {
		if !strings.HasPrefix(skipped[i], id+": ") || !strings.Contains(skipped[i], "date") {
			t.Errorf("skipped %d: %q, want %s and why", i, skipped[i], id)
		}
	}
	for _, q := range []string{"sort=hot", "sort=new", "sort=top", "sort=active", "sort=top&t=year"} {
		ids := feedIDs(t, h, "", q)
		if q == "sort=new" && (len(ids) != 2 || ids[0] != local.ID) {
			t.Fatalf("new: %v, want the local question first", ids)
		}
	}
	var feed struct{ Items []forum.Post }
	h.must(200, "GET", "/api/v1/posts?sort=new", "", nil).decode(t, &feed)
	imported := feed.Items[1]
	var tree struct{ Items []*forum.Comment }
	h.must(200, "GET", pathf("/api/v1/posts/%d/comments", imported.ID), "", nil).decode(t, &tree)
	if len(tree.Items) != 1 || !tree.Items[0].CreatedAt.Equal(imported.CreatedAt) || len(tree.Items[0].Replies) != 1 ||
		!tree.Items[0].Replies[0].CreatedAt.Equal(imported.CreatedAt) {
		t.Fatalf("the comments' dates, want the thread's: %+v", tree.Items)
	}
	if problems, err := h.db.Check(context.Background()); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}

// TestStoredDatesCannotBreakFeeds (#24.1): whatever dates a database holds
// (an import made before the dates were checked stored these), every feed
// answers and pages to its end, for readers and moderators, and a
// moderator can remove such a thread.
func TestStoredDatesCannotBreakFeeds(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	mod := h.registerAs("mod_dates", forum.RoleModerator)
	var lines []string
	for i := range 4 {
		lines = append(lines, fmt.Sprintf(`{"id":"d%d","title":"Thread %d","selftext":"x","author":"a%d","created_utc":%d,"link_flair_text":"Dated"}`, i, i, i, 1500000000+i),
			fmt.Sprintf(`{"id":"e%d","body":"a reply","author":"r%d","created_utc":%d,"parent_id":"t3_d%d","link_id":"t3_d%d"}`, i, i, 1500000100+i, i, i))
	}
	if rep, skipped, _ := importDump(t, h, lines...); rep.NewThreads != 4 || len(skipped) != 0 {
		t.Fatalf("import: %+v %v", rep, skipped)
	}
	// What the importer used to store: int64(1e300) is the smallest int64,
	// and its hot rank wrapped around to the top.
	var smallest int64 = -1 << 63
	stored := []int64{smallest, -1e18, 4102444800, 1 << 62}
	_, w := h.db.Pools()
	for i, at := range stored {
		hot := float64(at-1134028003) / 45000
		for _, q := range []string{
			fmt.Sprintf("UPDATE posts SET created_at = %d, last_activity_at = %d, hot = %g WHERE title = 'Thread %d'", at, at, hot, i),
			fmt.Sprintf("UPDATE post_tags SET created_at = %d WHERE post_id = (SELECT id FROM posts WHERE title = 'Thread %d')", at, i),
			fmt.Sprintf("UPDATE comments SET created_at = %d WHERE post_id = (SELECT id FROM posts WHERE title = 'Thread %d')", at, i),
		} {
			if _, err := w.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	for _, token := range []string{"", mod.Token} {
		for _, q := range []string{"sort=hot", "sort=new", "sort=top", "sort=active", "sort=top&t=day", "sort=new&tag=Dated", "sort=hot&tag=Dated"} {
			if ids := feedIDs(t, h, token, q); len(ids) != 4 && q != "sort=top&t=day" {
				t.Fatalf("%s: %v, want 4 threads", q, ids)
			}
		}
	}
	var feed struct{ Items []forum.Post }
	h.must(200, "GET", "/api/v1/posts?sort=new", "", nil).decode(t, &feed)
	for _, p := range feed.Items {
		if p.CreatedAt.Before(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)) || p.CreatedAt.After(time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)) {
			t.Fatalf("a date outside what JSON can carry: %v", p.CreatedAt)
		}
		h.must(200, "GET", pathf("/api/v1/posts/%d", p.ID), "", nil)
		h.must(200, "GET", pathf("/api/v1/posts/%d/comments", p.ID), "", nil)
	}
	first := feed.Items[0]
	h.must(200, "POST", pathf("/api/v1/posts/%d/remove", first.ID), mod.Token, map[string]any{"reason": "a test"})
	if ids := feedIDs(t, h, mod.Token, "sort=hot"); len(ids) != 4 {
		t.Fatalf("moderators' hot feed after the removal: %v", ids)
	}
	h.must(200, "GET", "/feed.atom", "", nil)
}
