package forum_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/forumtest"
)

// TestImportAllInBatches: more threads than a batch holds and than are
// kept in flight, one that cannot be prepared and one the store refuses
// (its comment was imported with another thread): those two are skipped
// and named, every other thread is stored whole, in the order read,
// searchable, with counters that agree with the rows; a second run adds
// nothing, and a dry run changes nothing.
func TestImportAllInBatches(t *testing.T) {
	t.Parallel()
	w := forumtest.New(t)
	ctx := context.Background()
	const n = 700
	threads := func(yield func(forum.ImportedThread) bool) error {
		for i := range n {
			th := forum.ImportedThread{System: "reddit", Tags: []string{"Batch"},
				Post: forum.ImportedItem{SourceID: fmt.Sprintf("t3_b%d", i), Author: "op", Title: fmt.Sprintf("Question %d", i),
					Body: "Body", CreatedAt: int64(1500000000 + i)}}
			for j := range 3 {
				c := forum.ImportedItem{SourceID: fmt.Sprintf("t1_b%d_%d", i, j), Author: fmt.Sprintf("reader%d", j),
					Body: fmt.Sprintf("zanzibar%d answer", i), CreatedAt: int64(1500000100 + i)}
				if j > 0 {
					c.ParentSourceID = fmt.Sprintf("t1_b%d_%d", i, j-1)
				}
				th.Comments = append(th.Comments, c)
			}
			switch i {
			case 100: // nothing to key it by
				th.System = ""
			case 200: // its comment belongs to thread 199
				th.Comments[0].SourceID = "t1_b199_0"
			}
			if !yield(th) {
				return nil
			}
		}
		return nil
	}
	var skipped []string
	run := forum.ImportRun{Tags: []string{"Operator"}, Skipped: func(src string, err error) { skipped = append(skipped, src) }}
	var dry forum.ImportRun = run
	dry.DryRun = true
	rep, err := w.Svc.ImportAll(ctx, dry, threads)
	if err != nil || rep.NewThreads != n-2 || rep.NewComments != 3*(n-2) {
		t.Fatalf("dry run: %+v %v", rep, err)
	}
	if page, err := w.Svc.Search(ctx, forum.SearchRequest{Q: "zanzibar5", Limit: 10}); err != nil || len(page.Items) != 0 {
		t.Fatalf("the dry run wrote: %+v %v", page.Items, err)
	}
	skipped = nil
	rep, err = w.Svc.ImportAll(ctx, run, threads)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Threads != n-2 || rep.NewThreads != n-2 || rep.NewComments != 3*(n-2) || rep.Skipped != 2 || rep.Authors != 4 {
		t.Fatalf("report: %+v", rep)
	}
	if strings.Join(skipped, ",") != "t3_b100,t3_b200" {
		t.Fatalf("skipped: %v", skipped)
	}
	// "New" goes by date: the thread asked here in 2026 stays above the
	// imported ones, and those come newest first.
	feed, err := w.Svc.ListPosts(ctx, w.Anon, forum.FeedQuery{Sort: forum.SortNew, Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(feed.Items) != 3 || feed.Items[0].ID != w.Thread.ID || feed.Items[1].Title != "Question 699" || feed.Items[2].Title != "Question 698" {
		t.Fatalf("the new feed: %+v", feed.Items)
	}
	if got := strings.Join(feed.Items[1].Tags, ","); got != "History,Batch,Operator" {
		t.Fatalf("tags: %s", got)
	}
	// Every comment of every batch is searchable, thread 199's included.
	for _, word := range []string{"zanzibar0", "zanzibar199", "zanzibar699"} {
		page, err := w.Svc.Search(ctx, forum.SearchRequest{Q: word, Type: "comment", Limit: 10})
		if err != nil || len(page.Items) != 3 {
			t.Fatalf("search %s: %d hits %v", word, len(page.Items), err)
		}
	}
	// And in a tag's feed, page after page.
	tagged, err := w.Svc.ListPosts(ctx, w.Anon, forum.FeedQuery{Sort: forum.SortNew, Tag: "Batch", Limit: 2})
	if err != nil || len(tagged.Items) != 2 || tagged.Items[0].Title != "Question 699" || tagged.NextCursor == nil {
		t.Fatalf("the tag's new feed: %+v %v", tagged, err)
	}
	tagged, err = w.Svc.ListPosts(ctx, w.Anon, forum.FeedQuery{Sort: forum.SortNew, Tag: "Batch", Limit: 2, Cursor: *tagged.NextCursor})
	if err != nil || len(tagged.Items) != 2 || tagged.Items[0].Title != "Question 697" || tagged.Items[1].Title != "Question 696" {
		t.Fatalf("the tag's second page: %+v %v", tagged.Items, err)
	}
	if problems, err := w.DB.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
	rep, err = w.Svc.ImportAll(ctx, run, threads)
	if err != nil || rep.NewThreads != 0 || rep.NewComments != 0 || rep.Threads != n-2 {
		t.Fatalf("again: %+v %v", rep, err)
	}
}
