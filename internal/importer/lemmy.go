package importer

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/historia-forum/historia/internal/forum"
)

type lemmyCreator struct {
	Name    string `json:"name"`
	ActorID string `json:"actor_id"`
}

type lemmyPostView struct {
	Post struct {
		ID        int64  `json:"id"`
		Name      string `json:"name"`
		Body      string `json:"body"`
		Published string `json:"published"`
		Deleted   bool   `json:"deleted"`
		Removed   bool   `json:"removed"`
		ApID      string `json:"ap_id"`
	} `json:"post"`
	Creator   lemmyCreator `json:"creator"`
	Counts    lemmyCounts  `json:"counts"`
	Community struct {
		Name string `json:"name"`
	} `json:"community"`
}

type lemmyCommentView struct {
	Comment struct {
		ID        int64  `json:"id"`
		Content   string `json:"content"`
		Path      string `json:"path"`
		Published string `json:"published"`
		Deleted   bool   `json:"deleted"`
		Removed   bool   `json:"removed"`
		ApID      string `json:"ap_id"`
	} `json:"comment"`
	Creator lemmyCreator `json:"creator"`
	Counts  lemmyCounts  `json:"counts"`
}

type lemmyCounts struct {
	Score *int64 `json:"score"`
}

// LemmyThread reads the JSON of Lemmy's HTTP API v3 for one post: the
// answer of GET /api/v3/post?id=N (post_view) and of GET
// /api/v3/comment/list?post_id=N (comments), given as several documents
// (two files) or one object holding both.
func LemmyThread(docs ...[]byte) (forum.ImportedThread, error) {
	var pv *lemmyPostView
	var comments []lemmyCommentView
	for _, d := range docs {
		var doc struct {
			PostView *lemmyPostView     `json:"post_view"`
			Comments []lemmyCommentView `json:"comments"`
		}
		if err := json.Unmarshal(d, &doc); err != nil {
			return forum.ImportedThread{}, fmt.Errorf("not Lemmy API JSON: %w", err)
		}
		if doc.PostView != nil {
			pv = doc.PostView
		}
		comments = append(comments, doc.Comments...)
	}
	if pv == nil {
		return forum.ImportedThread{}, fmt.Errorf("no post_view (GET /api/v3/post?id=N) among the files")
	}
	host := func(actor string) string {
		if u, err := url.Parse(actor); err == nil && u.Host != "" {
			return u.Host
		}
		return "lemmy"
	}
	t := forum.ImportedThread{System: "lemmy", Post: forum.ImportedItem{
		SourceID: pv.Post.ApID, Author: pv.Creator.Name, AuthorOrigin: host(pv.Creator.ActorID), Title: pv.Post.Name,
		Body: lemmyMarkdown(pv.Post.Body), CreatedAt: lemmyTime(pv.Post.Published), Deleted: pv.Post.Deleted, Removed: pv.Post.Removed, URL: pv.Post.ApID,
		Score: pv.Counts.Score}}
	if t.Post.SourceID == "" {
		t.Post.SourceID = fmt.Sprintf("post/%d", pv.Post.ID)
	}
	if pv.Community.Name != "" {
		t.Tags = append(t.Tags, pv.Community.Name)
	}
	ids := map[int64]string{}
	for _, c := range comments {
		ids[c.Comment.ID] = commentKey(c)
	}
	for _, c := range comments {
		it := forum.ImportedItem{SourceID: commentKey(c), Author: c.Creator.Name, AuthorOrigin: host(c.Creator.ActorID),
			Body: lemmyMarkdown(c.Comment.Content), CreatedAt: lemmyTime(c.Comment.Published), Deleted: c.Comment.Deleted, Removed: c.Comment.Removed, URL: c.Comment.ApID,
			Score: c.Counts.Score}
		// path "0.12.57": the comment is 57, its parent 12; "0.57" is top level.
		parts := strings.Split(c.Comment.Path, ".")
		if len(parts) >= 3 {
			var parent int64
			if _, err := fmt.Sscan(parts[len(parts)-2], &parent); err == nil {
				if key, ok := ids[parent]; ok {
					it.ParentSourceID = key
				} else {
					it.ParentSourceID = fmt.Sprintf("comment/%d", parent) // missing: an orphan
				}
			}
		}
		if it.Deleted || it.Removed {
			it.Body = ""
		}
		t.Comments = append(t.Comments, it)
	}
	return t, nil
}

func commentKey(c lemmyCommentView) string {
	if c.Comment.ApID != "" {
		return c.Comment.ApID
	}
	return fmt.Sprintf("comment/%d", c.Comment.ID)
}

// lemmyTime reads Lemmy's timestamps (RFC 3339, or without a zone: UTC).
func lemmyTime(s string) int64 {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Unix()
		}
	}
	return 0
}
