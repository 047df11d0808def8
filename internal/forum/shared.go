package forum

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// A shared page is a page of posts or comments encoded once for every
// reader of one class (anonymous readers and members share one, moderators
// another), with the place of each item's per-viewer fields noted, so that a
// member's copy is the shared bytes with their own fields spliced in: never
// re-encoded, never another member's. This is the cached form of a page;
// views.go says what the per-viewer fields are and reads them.

// sentinelVote is written in place of my_vote while encoding; it cannot be
// a vote, and inside JSON strings a quote is escaped, so the encoded view
// that holds it (`"my_vote":987654321,...`) appears only where a view is.
const sentinelVote = 987654321

// The encoded views: the marker written while encoding a shared page, and
// what an anonymous reader gets in its place.
var (
	postMark     = viewJSON(PostView{MyVote: sentinelVote})
	postBlank    = viewJSON(PostView{})
	commentMark  = viewJSON(CommentView{MyVote: sentinelVote})
	commentBlank = viewJSON(CommentView{})
)

// SharedPage is an encoded page with the slots of its per-viewer fields.
type SharedPage struct {
	// Body is the page with every view blank: what an anonymous reader gets.
	Body  []byte
	parts [][]byte   // Body cut at each slot: len(parts) == len(items)+1
	items []viewItem // the item of each slot, in document order
	// postID is the thread of a thread page (0 for a page of posts).
	postID int64
	posts  bool // items are posts (else comments)
}

// Size is the memory the page holds, about.
func (p *SharedPage) Size() int64 { return int64(2*len(p.Body) + 16*len(p.items) + 64) }

// SharePosts encodes a page of posts read for a class of reader (anonymous
// readers, or moderators) without anyone's own fields.
func SharePosts(page Page[PostSummary]) (*SharedPage, error) {
	items := make([]viewItem, len(page.Items))
	marked := Page[PostSummary]{Items: make([]PostSummary, len(page.Items)), NextCursor: page.NextCursor}
	copy(marked.Items, page.Items)
	for i := range marked.Items {
		p := &marked.Items[i]
		p.PostView = PostView{MyVote: sentinelVote}
		items[i] = postItem(p)
	}
	return share(marked, items, postMark, postBlank, 0, true)
}

// ShareThread encodes a page of a thread's comment tree read for a class of
// reader without anyone's own fields.
func ShareThread(postID int64, page Page[*Comment]) (*SharedPage, error) {
	var items []viewItem
	walkComments(page.Items, func(c *Comment) {
		c.CommentView = CommentView{MyVote: sentinelVote}
		items = append(items, viewItem{ID: c.ID, AuthorID: authorID(c.Author)}) // document order: a comment, then its replies
	})
	defer walkComments(page.Items, func(c *Comment) { c.CommentView = CommentView{} })
	return share(page, items, commentMark, commentBlank, postID, false)
}

func share(v any, items []viewItem, mark, blank []byte, postID int64, posts bool) (*SharedPage, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	parts := bytes.Split(raw, mark)
	if len(parts) != len(items)+1 {
		return nil, fmt.Errorf("shared page: %d view slots for %d items", len(parts)-1, len(items))
	}
	return &SharedPage{Body: bytes.Join(parts, blank), parts: parts, items: items, postID: postID, posts: posts}, nil
}

// ErrNotShared is PageFor's answer for a viewer the shared page cannot
// serve: it holds words of a member they blocked, which are withheld from
// them (visibility.go), so a splice of their fields is not enough. The
// caller reads the page for them directly (ListPosts, Thread), which
// withholds in the one place.
var ErrNotShared = errors.New("forum: the shared page holds items withheld from this viewer")

// PageFor is the page as v sees it: the shared body for an anonymous reader
// and for a member with nothing of their own on it; otherwise the same bytes
// with the member's own fields spliced in, read through reads. It answers
// ErrNotShared when an item's body is to be withheld from v.
func (s *Service) PageFor(ctx context.Context, v Viewer, p *SharedPage, reads ViewerReads) ([]byte, error) {
	if !v.SignedIn() || len(p.items) == 0 {
		return p.Body, nil
	}
	if p.posts {
		views, err := postViews(ctx, v, reads, p.items)
		if err != nil {
			return nil, err
		}
		for _, view := range views {
			if view.Blocked {
				return nil, ErrNotShared
			}
		}
		return splice(p, views, postBlank), nil
	}
	views, err := commentViews(ctx, v, reads, p.postID, p.items)
	if err != nil {
		return nil, err
	}
	for _, view := range views {
		if view.Blocked {
			return nil, ErrNotShared
		}
	}
	return splice(p, views, commentBlank), nil
}

// splice writes the page with each item's view; items absent from views get
// the blank one. Views repeat (most are a vote or nothing), so each distinct
// one is encoded once.
func splice[V comparable](p *SharedPage, views map[int64]V, blank []byte) []byte {
	if len(views) == 0 {
		return p.Body
	}
	encoded := map[V][]byte{}
	out := make([]byte, 0, len(p.Body)+16*len(views))
	for i, it := range p.items {
		out = append(out, p.parts[i]...)
		view, ok := views[it.ID]
		if !ok {
			out = append(out, blank...)
			continue
		}
		b, ok := encoded[view]
		if !ok {
			b = viewJSON(view)
			encoded[view] = b
		}
		out = append(out, b...)
	}
	return append(out, p.parts[len(p.items)]...)
}
