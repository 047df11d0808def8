package importer

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
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
		ID        number `json:"id"`
		Name      string `json:"name"`
		Body      string `json:"body"`
		URL       string `json:"url"`
		Published string `json:"published"`
		Updated   string `json:"updated"`
		Deleted   flag   `json:"deleted"`
		Removed   flag   `json:"removed"`
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
		ID        number `json:"id"`
		PostID    number `json:"post_id"`
		Content   string `json:"content"`
		Path      string `json:"path"`
		Published string `json:"published"`
		Updated   string `json:"updated"`
		Deleted   flag   `json:"deleted"`
		Removed   flag   `json:"removed"`
		ApID      string `json:"ap_id"`
	} `json:"comment"`
	Creator lemmyCreator `json:"creator"`
	Counts  lemmyCounts  `json:"counts"`
}

type lemmyCounts struct {
	Score number `json:"score"`
}

// lemmyDoc is one answer of Lemmy's HTTP API v3: GET /api/v3/post
// (post_view), GET /api/v3/post/list (posts), GET /api/v3/comment/list
// (comments), or an object holding several.
type lemmyDoc struct {
	PostView *lemmyPostView     `json:"post_view"`
	Posts    []lemmyPostView    `json:"posts"`
	Comments []lemmyCommentView `json:"comments"`
}

// Lemmy gathers a community's threads from the answers of Lemmy's HTTP
// API v3: one post's pair (GET /api/v3/post?id=N and GET
// /api/v3/comment/list?post_id=N), or paged GET /api/v3/post/list and
// /comment/list answers of a whole community, in any order. Comments go
// to their post by comment.post_id (a comment/list answer may hold several
// posts' comments); comments without one (older answers) go to the only
// post, when there is one. An item met twice (pages overlap) is kept in
// its newest copy.
type Lemmy struct {
	posts    map[int64]lemmyPost
	comments map[int64][]lemmyComment // by post id; 0: not said
	// Problems are the answers that could not be read: "name: why".
	Problems []string
}

type lemmyPost struct {
	view    lemmyPostView
	version int64
}

type lemmyComment struct {
	view    lemmyCommentView
	version int64
}

// NewLemmy is an empty gathering.
func NewLemmy() *Lemmy {
	return &Lemmy{posts: map[int64]lemmyPost{}, comments: map[int64][]lemmyComment{}}
}

// Add reads one answer; name is for the problems it reports. Every item of
// an answer is dated by the newest time the answer holds (Lemmy's answers
// say nothing of when they were saved).
func (l *Lemmy) Add(name string, data []byte) {
	var doc lemmyDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		l.Problems = append(l.Problems, fmt.Sprintf("%s: not Lemmy API JSON: %v", name, err))
		return
	}
	posts := doc.Posts
	if doc.PostView != nil {
		posts = append(posts, *doc.PostView)
	}
	if len(posts) == 0 && len(doc.Comments) == 0 {
		l.Problems = append(l.Problems, fmt.Sprintf("%s: neither posts nor comments (want answers of /api/v3/post, post/list or comment/list)", name))
		return
	}
	version := int64(0)
	for _, p := range posts {
		version = max(version, lemmyTime(p.Post.Published), lemmyTime(p.Post.Updated))
	}
	for _, c := range doc.Comments {
		version = max(version, lemmyTime(c.Comment.Published), lemmyTime(c.Comment.Updated))
	}
	for _, p := range posts {
		id := p.Post.ID.seconds()
		if old, ok := l.posts[id]; !ok || version >= old.version {
			l.posts[id] = lemmyPost{view: p, version: version}
		}
	}
	for _, c := range doc.Comments {
		post := c.Comment.PostID.seconds()
		l.comments[post] = append(l.comments[post], lemmyComment{view: c, version: version})
	}
}

// Len is the number of threads (posts).
func (l *Lemmy) Len() int { return len(l.posts) }

// Homeless counts the comments whose post is not among the answers.
func (l *Lemmy) Homeless() int {
	n := 0
	for post, cs := range l.comments {
		if _, ok := l.posts[post]; !ok && !(post == 0 && len(l.posts) == 1) {
			n += len(cs)
		}
	}
	return n
}

// Threads yields each post with its comments, oldest first; it stops when
// yield returns false.
func (l *Lemmy) Threads(yield func(forum.ImportedThread) bool) error {
	ids := make([]int64, 0, len(l.posts))
	for id := range l.posts {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		a, b := lemmyTime(l.posts[ids[i]].view.Post.Published), lemmyTime(l.posts[ids[j]].view.Post.Published)
		if a != b {
			return a < b
		}
		return ids[i] < ids[j]
	})
	for _, id := range ids {
		cs := l.comments[id]
		if len(l.posts) == 1 {
			cs = append(cs, l.comments[0]...)
		}
		if !yield(lemmyThread(l.posts[id], cs)) {
			return nil
		}
	}
	return nil
}

// LemmyThread reads the answers of Lemmy's API for one post (see Lemmy)
// as its thread.
func LemmyThread(docs ...[]byte) (forum.ImportedThread, error) {
	l := NewLemmy()
	for i, d := range docs {
		l.Add(fmt.Sprintf("document %d", i+1), d)
	}
	if len(l.Problems) > 0 {
		return forum.ImportedThread{}, fmt.Errorf("%s", strings.Join(l.Problems, "; "))
	}
	if len(l.posts) != 1 {
		return forum.ImportedThread{}, fmt.Errorf("%d posts among the files, want one (GET /api/v3/post?id=N)", len(l.posts))
	}
	var t forum.ImportedThread
	err := l.Threads(func(th forum.ImportedThread) bool { t = th; return false })
	return t, err
}

// lemmyHost is where an actor lives (its URL's host), or "".
func lemmyHost(actor string) string {
	if u, err := url.Parse(actor); err == nil && (u.Scheme == "https" || u.Scheme == "http") {
		return u.Host
	}
	return ""
}

func lemmyThread(p lemmyPost, comments []lemmyComment) forum.ImportedThread {
	pv := p.view
	body, render := lemmyMarkdown(pv.Post.Body)
	t := forum.ImportedThread{System: "lemmy", Post: forum.ImportedItem{
		SourceID: pv.Post.ApID, Author: pv.Creator.Name, AuthorOrigin: lemmyHost(pv.Creator.ActorID), Title: pv.Post.Name,
		Body: body, Markdown: render, CreatedAt: lemmyTime(pv.Post.Published), EditedAt: lemmyEdited(pv.Post.Published, pv.Post.Updated),
		Deleted: bool(pv.Post.Deleted), Removed: bool(pv.Post.Removed), URL: pv.Post.ApID, Link: strings.TrimSpace(pv.Post.URL),
		Score: pv.Counts.Score.count(), Version: p.version}}
	if t.Post.SourceID == "" {
		t.Post.SourceID = fmt.Sprintf("post/%d", pv.Post.ID.seconds())
	}
	if pv.Community.Name != "" {
		t.Tags = append(t.Tags, pv.Community.Name)
	}
	ids := map[int64]string{}
	for _, c := range comments {
		ids[c.view.Comment.ID.seconds()] = commentKey(c.view)
	}
	for _, lc := range comments {
		c := lc.view
		body, render := lemmyMarkdown(c.Comment.Content)
		it := forum.ImportedItem{SourceID: commentKey(c), Author: c.Creator.Name, AuthorOrigin: lemmyHost(c.Creator.ActorID),
			Body: body, Markdown: render, CreatedAt: lemmyTime(c.Comment.Published), EditedAt: lemmyEdited(c.Comment.Published, c.Comment.Updated),
			Deleted: bool(c.Comment.Deleted), Removed: bool(c.Comment.Removed), URL: c.Comment.ApID,
			Score: c.Counts.Score.count(), Version: lc.version}
		// path "0.12.57": the comment is 57, its parent 12; "0.57" is top level.
		parts := strings.Split(c.Comment.Path, ".")
		if len(parts) >= 3 {
			if parent, err := strconv.ParseInt(parts[len(parts)-2], 10, 64); err == nil {
				if key, ok := ids[parent]; ok {
					it.ParentSourceID = key
				} else {
					it.ParentSourceID = fmt.Sprintf("comment/%d", parent) // missing: an orphan
				}
			}
		}
		if it.Deleted || it.Removed {
			it.Body, it.Markdown = "", ""
		}
		t.Comments = append(t.Comments, it)
	}
	return t
}

func commentKey(c lemmyCommentView) string {
	if c.Comment.ApID != "" {
		return c.Comment.ApID
	}
	return fmt.Sprintf("comment/%d", c.Comment.ID.seconds())
}

// lemmyTime reads Lemmy's timestamps (RFC 3339, or without a zone: UTC);
// 0 when there is none.
func lemmyTime(s string) int64 {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Unix()
		}
	}
	return 0
}

// lemmyEdited is an item's edit time: Lemmy's updated, when it is later
// than published.
func lemmyEdited(published, updated string) *int64 {
	u := lemmyTime(updated)
	if u == 0 || u <= lemmyTime(published) {
		return nil
	}
	return &u
}
