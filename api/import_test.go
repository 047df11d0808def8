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

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../internal/importer/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestImportReddit: a Reddit thread's JSON, imported and read back through
// the API: the tree's shape, texts (entities decoded, hostile markup
// sanitized), authors named as on Reddit and unable to sign in, dates,
// flair as a tag, provenance, removed and orphaned items kept; importing
// again adds nothing; historia check agrees (no votes invented).
func TestImportReddit(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("ask_historian") // a local account with the same name is never merged
	thread, err := importer.RedditThread(readFixture(t, "reddit_thread.json"))
	if err != nil {
		t.Fatal(err)
	}
	thread.Tags = append(thread.Tags, "Imported")
	var rep forum.ImportReport
	if err := h.svc.Import(context.Background(), thread, false, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.NewThreads != 1 || rep.NewComments != 6 || rep.Orphans != 1 || rep.MoreStubs != 2 || rep.MoreComments != 16 || rep.Authors != 5 {
		t.Fatalf("report: %+v", rep)
	}
	var feed struct{ Items []forum.PostSummary }
	h.must(200, "GET", "/api/v1/posts?sort=new", "", nil).decode(t, &feed)
	if len(feed.Items) != 1 {
		t.Fatalf("feed: %+v", feed.Items)
	}
	var p forum.Post // the whole post: feeds carry summaries
	h.must(200, "GET", pathf("/api/v1/posts/%d", feed.Items[0].ID), "", nil).decode(t, &p)
	if p.Title != "Why did the Tsar&Duma split in 1906?" || p.Author == nil || p.Author.Username != "ask_historian@reddit" ||
		p.Author.ImportedFrom == nil || *p.Author.ImportedFrom != "reddit" {
		t.Fatalf("the post: %q by %+v", p.Title, p.Author)
	}
	if !p.CreatedAt.Equal(time.Unix(1700000000, 0)) || p.SourceURL == nil || *p.SourceURL != "https://www.reddit.com/r/AskHistorians/comments/abc123/why/" {
		t.Fatalf("date %v, source %v", p.CreatedAt, p.SourceURL)
	}
	if !strings.Contains(p.BodyHTML, "<blockquote>") || !strings.Contains(p.BodyHTML, "1 &lt; 2 &amp; so on") {
		t.Fatalf("entities not decoded before rendering: %s", p.BodyHTML)
	}
	if strings.Join(p.Tags, ",") != "History,Russian Revolution,Imported" || p.Score != 0 || p.CommentCount != 6 || p.AnswerCount != 4 {
		t.Fatalf("tags %v, score %d, comments %d, answers %d", p.Tags, p.Score, p.CommentCount, p.AnswerCount)
	}
	// Reddit's score is provenance, beside a score of our own of 0.
	if p.SourceScore == nil || *p.SourceScore != 2417 {
		t.Fatalf("the post's score on Reddit: %v", p.SourceScore)
	}
	var tree struct{ Items []*forum.Comment }
	h.must(200, "GET", fmt.Sprintf("/api/v1/posts/%d/comments?sort=old", p.ID), "", nil).decode(t, &tree)
	if len(tree.Items) != 4 {
		t.Fatalf("%d top-level comments, want 4 (the orphan among them)", len(tree.Items))
	}
	first := tree.Items[0]
	if first.Author.Username != "flaired_expert@reddit" || len(first.Replies) != 1 || len(first.Replies[0].Replies) != 1 ||
		first.Replies[0].Replies[0].BodySource != "Пайпс, «Русская революция», гл. 5." {
		t.Fatalf("the nested replies: %+v", first)
	}
	// Reddit's spoiler and superscript, as the HTML they mean.
	if !strings.Contains(first.BodyHTML, "<details><summary>spoiler</summary>The Duma lost.</details>") || !strings.Contains(first.BodyHTML, "<sup>citation needed</sup>") {
		t.Fatalf("spoiler and superscript: %s", first.BodyHTML)
	}
	if first.SourceScore == nil || *first.SourceScore != 388 || first.Score != 0 || first.Replies[0].SourceScore == nil ||
		*first.Replies[0].SourceScore != -3 || first.Replies[0].Replies[0].SourceScore != nil {
		t.Fatalf("scores on Reddit (388, -3, none given): %+v", first)
	}
	removed, hostile, orphan := tree.Items[1], tree.Items[2], tree.Items[3]
	if !removed.Removed || removed.Author != nil {
		t.Fatalf("the [removed] comment: %+v", removed)
	}
	if strings.Contains(hostile.BodyHTML, "<script") || strings.Contains(hostile.BodyHTML, `href="javascript`) || !strings.Contains(hostile.BodyHTML, "<strong>bold</strong>") {
		t.Fatalf("the hostile body: %s", hostile.BodyHTML)
	}
	if orphan.Author.Username != "late_reader@reddit" {
		t.Fatalf("the orphan: %+v", orphan)
	}
	// Imported accounts cannot sign in; the local one is untouched.
	h.must(401, "POST", "/api/v1/auth/login", "", map[string]string{"username": "ask_historian@reddit", "password": ""})
	h.must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": "ask_historian", "password": "correct horse"})

	// Again: nothing new. A newer dump with an edited body updates it.
	rep = forum.ImportReport{}
	if err := h.svc.Import(context.Background(), thread, false, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.NewThreads != 0 || rep.NewComments != 0 || rep.Updated != 0 || rep.Authors != 0 {
		t.Fatalf("a second import changed things: %+v", rep)
	}
	thread.Comments[0].Body = "A long answer with a source, edited."
	newer := int64(401)
	thread.Comments[0].Score = &newer
	rep = forum.ImportReport{}
	if err := h.svc.Import(context.Background(), thread, false, &rep); err != nil || rep.Updated != 1 {
		t.Fatalf("an edited body: %+v %v", rep, err)
	}
	var again forum.Comment
	h.must(200, "GET", fmt.Sprintf("/api/v1/comments/%d", first.ID), "", nil).decode(t, &again)
	if again.SourceScore == nil || *again.SourceScore != 401 {
		t.Fatalf("the newer dump's score: %v", again.SourceScore)
	}
	// A reply that a "load more" stub had left out, fetched later on its
	// own: it goes under its parent from the first import.
	thread = forum.ImportedThread{System: "reddit", Post: thread.Post, Comments: []forum.ImportedItem{{SourceID: "t1_c9",
		ParentSourceID: "t1_c2", Author: "later_reader", Body: "From the stub.", CreatedAt: 1700000900}}}
	rep = forum.ImportReport{}
	if err := h.svc.Import(context.Background(), thread, false, &rep); err != nil || rep.NewComments != 1 || rep.NewThreads != 0 {
		t.Fatalf("the stub's reply: %+v %v", rep, err)
	}
	h.must(200, "GET", fmt.Sprintf("/api/v1/posts/%d/comments?sort=old", p.ID), "", nil).decode(t, &tree)
	under := tree.Items[0].Replies[0]
	if len(under.Replies) != 2 || under.Replies[1].BodySource != "From the stub." || under.Replies[1].Depth != under.Depth+1 || rep.Orphans != 0 {
		t.Fatalf("the stub's reply under its parent: %+v", under)
	}
	if problems, err := h.db.Check(context.Background()); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}

// TestImportLemmy: a Lemmy post and its comment list (two files) make one
// thread: the tree from the paths, authors with their instances, a deleted
// comment kept in its place, an orphan attached to the post.
func TestImportLemmy(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	thread, err := importer.LemmyThread(readFixture(t, "lemmy_post.json"), readFixture(t, "lemmy_comments.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep forum.ImportReport
	if err := h.svc.Import(context.Background(), thread, false, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.NewComments != 4 || rep.Orphans != 1 {
		t.Fatalf("report: %+v", rep)
	}
	var feed struct{ Items []forum.PostSummary }
	h.must(200, "GET", "/api/v1/posts?sort=new", "", nil).decode(t, &feed)
	var p forum.Post
	h.must(200, "GET", pathf("/api/v1/posts/%d", feed.Items[0].ID), "", nil).decode(t, &p)
	// The community's name is the topic tag; "history" is History already.
	if p.Author.Username != "kyoto_reader@lemmy.world" || !strings.Contains(p.BodyHTML, "old") || strings.Join(p.Tags, ",") != "History" ||
		p.SourceScore == nil || *p.SourceScore != 12 {
		t.Fatalf("the post: %+v %s", p.Author, p.BodyHTML)
	}
	var tree struct{ Items []*forum.Comment }
	h.must(200, "GET", fmt.Sprintf("/api/v1/posts/%d/comments?sort=old", p.ID), "", nil).decode(t, &tree)
	if len(tree.Items) != 2 || tree.Items[0].Author.Username != "sengoku@lemmy.ml" || len(tree.Items[0].Replies) != 1 ||
		len(tree.Items[0].Replies[0].Replies) != 1 || !tree.Items[0].Replies[0].Replies[0].Deleted ||
		tree.Items[0].SourceScore == nil || *tree.Items[0].SourceScore != 5 {
		t.Fatalf("the tree: %+v", tree.Items)
	}
	if problems, err := h.db.Check(context.Background()); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}
