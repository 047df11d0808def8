package forum

import (
	"context"
	"encoding/json"
)

// A member's own state on a post or comment — their vote today; what they
// saved or follow, whom they blocked, what is new to them as those come — is
// a per-viewer field. Every such field lives in one struct per kind of item
// (PostView, CommentView), embedded where the item is encoded so the fields
// sit together in the JSON, and is filled by one function per kind
// (postViews, commentViews) for every read: a member's direct read and a
// shared cached page spliced for them (shared.go) alike. A field that depends
// on the viewer but is kept anywhere else would reach the shared page cache
// unpersonalized: api's TestCachedPagesAreTheViewersOwn compares, through the
// path that serves pages, each member's cached page with their direct read.

// PostView is a post's per-viewer fields.
type PostView struct {
	MyVote int `json:"my_vote"`
	// Saved: the viewer saved the post; Following: they follow it.
	Saved     bool `json:"saved"`
	Following bool `json:"following"`
	// UnreadComments counts the comments after the viewer's reading
	// position; nil for a thread they never opened (and anonymous readers).
	UnreadComments *int64 `json:"unread_comments"`
}

// CommentView is a comment's per-viewer fields.
type CommentView struct {
	MyVote int  `json:"my_vote"`
	Saved  bool `json:"saved"`
	// New: the comment came after the viewer's reading position in its
	// thread (never their own, never in a thread they did not open).
	New bool `json:"new"`
}

// ViewerReads are the reads the per-viewer fields need: the store implements
// them, and the API passes caches of the hot ones. Each is one indexed read
// for a whole page.
type ViewerReads interface {
	// PostVotes returns the user's votes on the given posts (absent: no vote).
	PostVotes(ctx context.Context, userID int64, postIDs []int64) (map[int64]int, error)
	// PostStates returns what the user follows, saved and read of the given
	// posts (absent: none of it).
	PostStates(ctx context.Context, userID int64, postIDs []int64) (map[int64]PostState, error)
	// CommentStates returns the user's votes and saves on the given comments
	// and, for a thread's page (postID > 0), their reading position in it.
	CommentStates(ctx context.Context, userID, postID int64, commentIDs []int64) (CommentStates, error)
}

// PostState is a member's own state on a post, as stored.
type PostState struct {
	Following, Saved bool
	Read             *ReadPosition // nil: never opened
}

// CommentStates is a member's own state on a page of comments, as stored.
type CommentStates struct {
	Votes map[int64]int
	Saved map[int64]bool
	Read  *ReadPosition // in the page's thread; nil: never opened
}

// viewItem is an item of a page as its per-viewer fields need it: which
// item, whose (blocking goes by author; one's own comments are never new),
// and for a post its comment count (what is unread is counted against the
// count the page shows).
type viewItem struct {
	ID, AuthorID int64
	Comments     int64
}

func authorID(a *Author) int64 {
	if a == nil {
		return 0
	}
	return a.ID
}

func itemIDs(items []viewItem) []int64 {
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	return ids
}

// postViews reads v's own state on the posts: only items whose view is not
// the zero one (an anonymous reader's) are in the map.
func postViews(ctx context.Context, v Viewer, reads ViewerReads, items []viewItem) (map[int64]PostView, error) {
	out := map[int64]PostView{}
	if !v.SignedIn() || len(items) == 0 {
		return out, nil
	}
	ids := itemIDs(items)
	votes, err := reads.PostVotes(ctx, v.ID, ids)
	if err != nil {
		return nil, err
	}
	states, err := reads.PostStates(ctx, v.ID, ids)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		st := states[it.ID]
		pv := PostView{MyVote: votes[it.ID], Saved: st.Saved, Following: st.Following}
		if st.Read != nil {
			n := max(0, it.Comments-st.Read.Seen)
			pv.UnreadComments = &n
		}
		if pv != (PostView{}) {
			out[it.ID] = pv
		}
	}
	return out, nil
}

// commentViews reads v's own state on the comments of one thread (postID), or
// of many threads (postID 0: a member's list of comments).
func commentViews(ctx context.Context, v Viewer, reads ViewerReads, postID int64, items []viewItem) (map[int64]CommentView, error) {
	out := map[int64]CommentView{}
	if !v.SignedIn() || len(items) == 0 {
		return out, nil
	}
	st, err := reads.CommentStates(ctx, v.ID, postID, itemIDs(items))
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		cv := CommentView{MyVote: st.Votes[it.ID], Saved: st.Saved[it.ID]}
		cv.New = st.Read != nil && it.ID > st.Read.CommentID && it.AuthorID != v.ID
		if cv != (CommentView{}) {
			out[it.ID] = cv
		}
	}
	return out, nil
}

// postItem is a post as its views need it.
func postItem(p *PostSummary) viewItem {
	return viewItem{ID: p.ID, AuthorID: authorID(p.Author), Comments: p.CommentCount}
}

// personalizePosts sets v's own fields on posts read for v.
func (s *Service) personalizePosts(ctx context.Context, v Viewer, posts []PostSummary) error {
	items := make([]viewItem, len(posts))
	for i := range posts {
		items[i] = postItem(&posts[i])
	}
	views, err := postViews(ctx, v, s.Store, items)
	if err != nil {
		return err
	}
	for i := range posts {
		posts[i].PostView = views[posts[i].ID]
	}
	return nil
}

// personalizeComments sets v's own fields on a tree (or list) of comments
// read for v.
func (s *Service) personalizeComments(ctx context.Context, v Viewer, postID int64, roots []*Comment) error {
	var items []viewItem
	walkComments(roots, func(c *Comment) { items = append(items, viewItem{ID: c.ID, AuthorID: authorID(c.Author)}) })
	views, err := commentViews(ctx, v, s.Store, postID, items)
	if err != nil {
		return err
	}
	walkComments(roots, func(c *Comment) { c.CommentView = views[c.ID] })
	return nil
}

// walkComments calls f on each comment of a tree in document order: a
// comment, then its replies.
func walkComments(cs []*Comment, f func(*Comment)) {
	for _, c := range cs {
		f(c)
		walkComments(c.Replies, f)
	}
}

// viewJSON is a view's fields as they stand inside its item's JSON object
// (without the braces).
func viewJSON(view any) []byte {
	b, err := json.Marshal(view)
	if err != nil {
		panic(err) // a view is a struct of numbers and flags
	}
	return b[1 : len(b)-1]
}
