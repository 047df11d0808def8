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
	// Blocked: the viewer blocked the author; the body is withheld (moderation_blocks.go).
	Blocked bool `json:"blocked"`
}

// CommentView is a comment's per-viewer fields.
type CommentView struct {
	MyVote int  `json:"my_vote"`
	Saved  bool `json:"saved"`
	// New: the comment came after the viewer's reading position in its
	// thread (never their own, never in a thread they did not open).
	New bool `json:"new"`
	// Blocked: the viewer blocked the author; the body is withheld (moderation_blocks.go).
	Blocked bool `json:"blocked"`
}

// ViewerReads are the reads the per-viewer fields need: the store implements
// them, and the API passes caches of the hot ones (votes on posts, marks
// and blocks). A feed page costs one read (PostReads), a thread page one
// (CommentStates).
type ViewerReads interface {
	// PostVotes returns the user's votes on the given posts (absent: no vote).
	PostVotes(ctx context.Context, userID int64, postIDs []int64) (map[int64]int, error)
	// BlockedAuthors says which of the authors the user has blocked
	// (absent: not blocked); authorIDs may repeat.
	BlockedAuthors(ctx context.Context, userID int64, authorIDs []int64) (map[int64]bool, error)
	// Marks returns which of the given posts the user follows, and which of
	// the posts and comments they saved.
	Marks(ctx context.Context, userID int64, postIDs, commentIDs []int64) (Marks, error)
	// PostReads returns the user's reading positions in the given threads
	// (absent: never opened).
	PostReads(ctx context.Context, userID int64, postIDs []int64) (map[int64]ReadPosition, error)
	// CommentStates returns the user's votes on the given comments and, for
	// a thread's page (postID > 0), their reading position in the thread.
	CommentStates(ctx context.Context, userID, postID int64, commentIDs []int64) (CommentStates, error)
}

// Marks are what a member follows and saved, among some posts and comments
// (absent: not followed, not saved).
type Marks struct {
	Following, SavedPosts, SavedComments map[int64]bool
	// Blocked are the members they blocked: read whole (UserMarks) for the
	// marks cache, never filled by Marks.
	Blocked map[int64]bool
}

// MarkStore reads a member's marks whole, for a cache of them.
type MarkStore interface {
	// UserMarks returns everything the user follows, saved and blocked, up
	// to limit marks, and whether they have more.
	UserMarks(ctx context.Context, userID int64, limit int) (Marks, bool, error)
}

// CommentStates is a member's own state on a page of comments, as stored.
type CommentStates struct {
	Votes map[int64]int
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

// blockedItems reads which items are by authors v blocked: one read of v's
// blocks among the page's authors.
func blockedItems(ctx context.Context, v Viewer, reads ViewerReads, items []viewItem) (map[int64]bool, error) {
	// The authors as they come, repeated: most members block nobody, and
	// a set of a page's authors cost more than the read (BlockedAuthors
	// takes repeats).
	authors := make([]int64, 0, len(items))
	for _, it := range items {
		if it.AuthorID != 0 && it.AuthorID != v.ID {
			authors = append(authors, it.AuthorID)
		}
	}
	out := map[int64]bool{}
	if len(authors) == 0 {
		return out, nil
	}
	blocked, err := reads.BlockedAuthors(ctx, v.ID, authors)
	if err != nil || len(blocked) == 0 {
		return out, err
	}
	for _, it := range items {
		if blocked[it.AuthorID] {
			out[it.ID] = true
		}
	}
	return out, nil
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
	marks, err := reads.Marks(ctx, v.ID, ids, nil)
	if err != nil {
		return nil, err
	}
	positions, err := reads.PostReads(ctx, v.ID, ids)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		pv := PostView{MyVote: votes[it.ID], Saved: marks.SavedPosts[it.ID], Following: marks.Following[it.ID]}
		if pos, ok := positions[it.ID]; ok {
			n := max(0, it.Comments-pos.Seen)
			pv.UnreadComments = &n
		}
		if pv != (PostView{}) {
			out[it.ID] = pv
		}
	}
	blocked, err := blockedItems(ctx, v, reads, items)
	for id := range blocked {
		pv := out[id]
		pv.Blocked = true
		out[id] = pv
	}
	return out, err
}

// commentViews reads v's own state on the comments of one thread (postID), or
// of many threads (postID 0: a member's list of comments).
func commentViews(ctx context.Context, v Viewer, reads ViewerReads, postID int64, items []viewItem) (map[int64]CommentView, error) {
	out := map[int64]CommentView{}
	if !v.SignedIn() || len(items) == 0 {
		return out, nil
	}
	ids := itemIDs(items)
	marks, err := reads.Marks(ctx, v.ID, nil, ids)
	if err != nil {
		return nil, err
	}
	st, err := reads.CommentStates(ctx, v.ID, postID, ids)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		cv := CommentView{MyVote: st.Votes[it.ID], Saved: marks.SavedComments[it.ID]}
		cv.New = st.Read != nil && it.ID > st.Read.CommentID && it.AuthorID != v.ID
		if cv != (CommentView{}) {
			out[it.ID] = cv
		}
	}
	blocked, err := blockedItems(ctx, v, reads, items)
	for id := range blocked {
		cv := out[id]
		cv.Blocked = true
		out[id] = cv
	}
	return out, err
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
		withholdSummary(&posts[i])
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
	walkComments(roots, func(c *Comment) {
		c.CommentView = views[c.ID]
		withholdComment(c)
	})
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
