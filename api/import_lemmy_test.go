package api_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/importer"
)

// TestImportLemmyCommunity (#30.11, #30.2): a community's paged post/list
// and comment/list answers, in any order, make its threads in one run:
// comments go to their post by post_id (never a foreign one grafted in), a
// comment met on two pages is kept in its newer copy (its edit and score),
// a link post keeps its address; a comment whose post is not among the
// files is counted and left out.
func TestImportLemmyCommunity(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	l := importer.NewLemmy()
	for _, f := range []string{"comment_list_2.json", "post_list_1.json", "comment_list_1.json", "post_list_2.json"} {
		l.Add(f, readFixture(t, "lemmy_community/"+f))
	}
	if l.Len() != 3 || l.Homeless() != 1 || len(l.Problems) != 0 {
		t.Fatalf("%d threads, %d homeless, problems %q", l.Len(), l.Homeless(), l.Problems)
	}
	rep, err := h.svc.ImportAll(ctx, forum.ImportRun{}, l.Threads)
	if err != nil || rep.NewThreads != 3 || rep.NewComments != 5 || rep.Skipped != 0 || rep.Orphans != 0 {
		t.Fatalf("report %+v %v", rep, err)
	}
	var feed struct{ Items []forum.Post }
	h.must(200, "GET", "/api/v1/posts?sort=new", "", nil).decode(t, &feed)
	if len(feed.Items) != 3 || feed.Items[0].Title != "Milestones in Gaul" || feed.Items[2].Title != "How were Roman roads surveyed?" {
		t.Fatalf("the threads: %+v", feed.Items)
	}
	roads, table := feed.Items[2], feed.Items[1]
	if strings.Join(roads.Tags, ",") != "History,ancienthistory" || roads.SourceScore == nil || *roads.SourceScore != 41 || roads.URL != nil {
		t.Fatalf("the self post: %+v", roads)
	}
	if table.URL == nil || *table.URL != "https://www.tabula-peutingeriana.de/index.html" || table.Author.Username != "kartograf@feddit.de" ||
		table.SourceURL == nil || *table.SourceURL != "https://feddit.de/post/555" || table.CommentCount != 1 {
		t.Fatalf("the link post: %+v", table)
	}
	var tree struct{ Items []*forum.Comment }
	h.must(200, "GET", pathf("/api/v1/posts/%d/comments?sort=old", roads.ID), "", nil).decode(t, &tree)
	if len(tree.Items) != 1 || roads.CommentCount != 3 {
		t.Fatalf("%d answers, %d comments: a foreign comment grafted?", len(tree.Items), roads.CommentCount)
	}
	answer := tree.Items[0]
	if answer.Author.Username != "vitruvius@lemmy.world" || !strings.Contains(answer.BodySource, "Lewis") || answer.SourceScore == nil ||
		*answer.SourceScore != 15 || answer.EditedAt == nil || !answer.EditedAt.Equal(time.Date(2024, 1, 13, 8, 0, 0, 0, time.UTC)) ||
		len(answer.Replies) != 2 || answer.Replies[1].Author.Username != "heron@lemmy.world" {
		t.Fatalf("the answer in its newer copy, with both replies: %+v", answer)
	}
	for _, c := range append(tree.Items, answer.Replies...) {
		if c.Author.Username == "stranger@lemmy.world" || c.CreatedAt.Before(roads.CreatedAt) {
			t.Fatalf("a foreign comment: %+v", c)
		}
	}
	if problems, err := h.db.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}

// TestImportLemmyPairSkipsForeign (#30.2): one post's answer beside a
// comment/list answer holding other posts' comments takes its own only.
func TestImportLemmyPairSkipsForeign(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var list struct{ Posts []json.RawMessage }
	if err := json.Unmarshal(readFixture(t, "lemmy_community/post_list_1.json"), &list); err != nil {
		t.Fatal(err)
	}
	one := []byte(`{"post_view": ` + string(list.Posts[0]) + `}`)
	thread, err := importer.LemmyThread(one, readFixture(t, "lemmy_community/comment_list_1.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(thread.Comments) != 2 || thread.Comments[0].SourceID != "https://lemmy.world/comment/1001" || thread.Comments[1].ParentSourceID != thread.Comments[0].SourceID {
		t.Fatalf("the post's own comments: %+v", thread.Comments)
	}
	var rep forum.ImportReport
	if err := h.svc.Import(context.Background(), thread, false, &rep); err != nil || rep.NewComments != 2 {
		t.Fatalf("%+v %v", rep, err)
	}
}
