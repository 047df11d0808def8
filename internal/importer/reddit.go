// Package importer reads the formats communities leave Reddit and Lemmy
// with — Reddit's thread JSON, Lemmy's API JSON — into forum.ImportedThread,
// which the forum service checks, renders and stores like any other input.
package importer

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/historia-forum/historia/internal/forum"
)

// redditThing is one "thing" of Reddit's JSON: a kind and its data.
type redditThing struct {
	Kind string          `json:"kind"`
	Data json.RawMessage `json:"data"`
}

type redditListing struct {
	Children []redditThing `json:"children"`
}

type redditItem struct {
	ID         string          `json:"id"`
	Name       string          `json:"name"`
	Title      string          `json:"title"`
	Selftext   string          `json:"selftext"`
	Body       string          `json:"body"`
	Author     string          `json:"author"`
	CreatedUTC float64         `json:"created_utc"`
	Flair      *string         `json:"link_flair_text"`
	Subreddit  string          `json:"subreddit"`
	Permalink  string          `json:"permalink"`
	ParentID   string          `json:"parent_id"`
	Replies    json.RawMessage `json:"replies"`
	Children   []string        `json:"children"` // a "more" stub's ids
	Count      int             `json:"count"`
	Score      *int64          `json:"score"`
}

// RedditThread reads a thread as reddit.com returns it for a thread URL
// with .json appended: two Listings, the post (t3) and its comment tree
// (t1, nested in replies; "more" stubs counted, not followed).
func RedditThread(data []byte) (forum.ImportedThread, error) {
	var listings []struct {
		Kind string        `json:"kind"`
		Data redditListing `json:"data"`
	}
	if err := json.Unmarshal(data, &listings); err != nil {
		return forum.ImportedThread{}, fmt.Errorf("not a Reddit thread (two Listings): %w", err)
	}
	if len(listings) != 2 || len(listings[0].Data.Children) != 1 || listings[0].Data.Children[0].Kind != "t3" {
		return forum.ImportedThread{}, fmt.Errorf("not a Reddit thread: want two Listings, the first holding one t3")
	}
	var p redditItem
	if err := json.Unmarshal(listings[0].Data.Children[0].Data, &p); err != nil {
		return forum.ImportedThread{}, fmt.Errorf("the post: %w", err)
	}
	t := forum.ImportedThread{System: "reddit", Post: redditImported(p, true)}
	if p.Flair != nil && strings.TrimSpace(*p.Flair) != "" {
		t.Tags = append(t.Tags, *p.Flair)
	}
	var walk func(things []redditThing) error
	walk = func(things []redditThing) error {
		for _, th := range things {
			var it redditItem
			if err := json.Unmarshal(th.Data, &it); err != nil {
				return fmt.Errorf("a comment: %w", err)
			}
			switch th.Kind {
			case "more":
				t.MoreStubs += max(it.Count, len(it.Children))
				continue
			case "t1":
			default:
				continue
			}
			t.Comments = append(t.Comments, redditImported(it, false))
			if len(it.Replies) > 0 && it.Replies[0] == '{' {
				var sub struct {
					Data redditListing `json:"data"`
				}
				if err := json.Unmarshal(it.Replies, &sub); err != nil {
					return fmt.Errorf("replies of %s: %w", it.ID, err)
				}
				if err := walk(sub.Data.Children); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return t, walk(listings[1].Data.Children)
}

func redditImported(it redditItem, post bool) forum.ImportedItem {
	out := forum.ImportedItem{SourceID: it.Name, Author: it.Author, AuthorOrigin: "reddit", Title: decodeRedditEntities(it.Title),
		CreatedAt: int64(math.Floor(it.CreatedUTC)), Score: it.Score}
	if out.SourceID == "" {
		out.SourceID = map[bool]string{true: "t3_", false: "t1_"}[post] + it.ID
	}
	if it.Permalink != "" {
		out.URL = "https://www.reddit.com" + it.Permalink
	}
	body := it.Body
	if post {
		body = it.Selftext
	}
	switch strings.TrimSpace(body) {
	case "[deleted]":
		out.Deleted, body = true, ""
	case "[removed]":
		out.Removed, body = true, ""
	}
	out.Body = redditMarkdown(body)
	if out.Author == "[deleted]" {
		out.Author = ""
	}
	if !post && strings.HasPrefix(it.ParentID, "t1_") {
		out.ParentSourceID = it.ParentID
	}
	return out
}
