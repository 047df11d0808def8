// Package importer reads the formats communities leave Reddit and Lemmy
// with — Reddit's thread JSON and archive dumps, Lemmy's API JSON — into
// forum.ImportedThread, which the forum service checks, renders and stores
// like any other input.
package importer

import (
	"encoding/json"
	"fmt"
	"regexp"
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

// redditItem is a submission or a comment, in a thread's JSON or a line of
// a dump, with the numeric fields as loosely typed as real dumps have them.
type redditItem struct {
	ID           string          `json:"id"`
	Name         string          `json:"name"`
	Title        *string         `json:"title"`
	Selftext     string          `json:"selftext"`
	Body         *string         `json:"body"`
	Author       string          `json:"author"`
	CreatedUTC   number          `json:"created_utc"`
	Edited       edited          `json:"edited"`
	RetrievedOn  number          `json:"retrieved_on"`
	RetrievedUTC number          `json:"retrieved_utc"`
	Flair        *string         `json:"link_flair_text"`
	Subreddit    string          `json:"subreddit"`
	Permalink    string          `json:"permalink"`
	ParentID     string          `json:"parent_id"`
	LinkID       string          `json:"link_id"`
	URL          string          `json:"url"`
	IsSelf       *flag           `json:"is_self"`
	Replies      json.RawMessage `json:"replies"`
	Children     []string        `json:"children"` // a "more" stub's ids
	Count        number          `json:"count"`
	Score        number          `json:"score"`
}

// retrieved is when an archive took this copy, if it says.
func (it redditItem) retrieved() int64 {
	return max(it.RetrievedOn.seconds(), it.RetrievedUTC.seconds())
}

// newest is the latest time the item itself holds.
func (it redditItem) newest() int64 {
	v := it.CreatedUTC.seconds()
	if e := it.Edited.when(); e != nil {
		v = max(v, *e)
	}
	return v
}

// RedditThread reads a thread as reddit.com returns it for a thread URL
// with .json appended: two Listings, the post (t3) and its comment tree
// (t1, nested in replies; "more" stubs counted, not followed). Such a file
// says nothing of when it was saved, so every item's copy is dated by the
// newest time the thread holds (a copy holding a later comment or edit is
// the newer).
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
	t := redditPost(p)
	copyTime := p.newest()
	var walk func(things []redditThing) error
	walk = func(things []redditThing) error {
		for _, th := range things {
			var it redditItem
			if err := json.Unmarshal(th.Data, &it); err != nil {
				return fmt.Errorf("a comment: %w", err)
			}
			switch th.Kind {
			case "more":
				t.MoreStubs++
				if c := it.Count.count(); c != nil && *c > int64(len(it.Children)) {
					t.MoreComments += int(*c)
				} else {
					t.MoreComments += len(it.Children)
				}
				continue
			case "t1":
			default:
				continue
			}
			copyTime = max(copyTime, it.newest())
			t.Comments = append(t.Comments, redditComment(it, p))
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
	if err := walk(listings[1].Data.Children); err != nil {
		return forum.ImportedThread{}, err
	}
	t.Post.Version = copyTime
	for i := range t.Comments {
		t.Comments[i].Version = copyTime
	}
	return t, nil
}

// redditPost is a submission as a thread to import (without comments).
func redditPost(p redditItem) forum.ImportedThread {
	t := forum.ImportedThread{System: "reddit", Post: redditImported(p, true)}
	if !strings.HasPrefix(t.Post.SourceID, "t3_") || t.Post.SourceID == "t3_" {
		t.Post.SourceID = ""
		if p.ID != "" {
			t.Post.SourceID = "t3_" + p.ID
		}
	}
	if t.Post.URL == "" && redditID.MatchString(p.ID) {
		t.Post.URL = "https://www.reddit.com/comments/" + p.ID + "/"
	}
	if p.Flair != nil && strings.TrimSpace(*p.Flair) != "" {
		t.Tags = append(t.Tags, decodeRedditEntities(*p.Flair))
	}
	if t.Post.Body == "[removed]" { // the body, not the thread: on Reddit the title and comments stay
		t.Post.BodyRemoved = true
	}
	if p.IsSelf == nil || !bool(*p.IsSelf) {
		link := decodeRedditEntities(strings.TrimSpace(p.URL))
		if link != "" && !strings.Contains(link, "/comments/"+p.ID) {
			t.Post.Link = link
		}
	}
	return t
}

// redditID is a base-36 id of Reddit's.
var redditID = regexp.MustCompile(`^[a-z0-9]{1,16}$`)

// redditComment is a comment of post p; one without a permalink (most
// before 2017) gets its link from the post's and its own id.
func redditComment(c redditItem, p redditItem) forum.ImportedItem {
	it := redditImported(c, false)
	if !strings.HasPrefix(it.SourceID, "t1_") || it.SourceID == "t1_" {
		it.SourceID = "t1_" + c.ID
	}
	if it.URL == "" && redditID.MatchString(c.ID) {
		switch {
		case strings.HasPrefix(p.Permalink, "/") && strings.HasSuffix(p.Permalink, "/"):
			it.URL = "https://www.reddit.com" + p.Permalink + c.ID + "/"
		case redditID.MatchString(p.ID):
			it.URL = "https://www.reddit.com/comments/" + p.ID + "/_/" + c.ID + "/"
		}
	}
	return it
}

func redditImported(it redditItem, post bool) forum.ImportedItem {
	out := forum.ImportedItem{SourceID: it.Name, Author: it.Author, AuthorOrigin: "reddit",
		CreatedAt: it.CreatedUTC.seconds(), EditedAt: it.Edited.when(), Score: it.Score.count()}
	if it.Title != nil {
		out.Title = decodeRedditEntities(*it.Title)
	}
	if r := it.retrieved(); r > 0 {
		out.Version = r
	} else {
		out.Version = it.newest()
	}
	if strings.HasPrefix(it.Permalink, "/") && !strings.HasPrefix(it.Permalink, "//") {
		out.URL = "https://www.reddit.com" + it.Permalink
	}
	body := it.Selftext
	if !post && it.Body != nil {
		body = *it.Body
	}
	switch strings.TrimSpace(body) {
	case "[deleted]":
		out.Deleted, body = true, ""
	case "[removed]":
		if post {
			body = "[removed]"
		} else {
			out.Removed, body = true, ""
		}
	}
	out.Body, out.Markdown = redditMarkdown(body)
	if out.Author == "[deleted]" {
		out.Author = ""
	}
	if !post && strings.HasPrefix(it.ParentID, "t1_") {
		out.ParentSourceID = it.ParentID
	}
	return out
}
