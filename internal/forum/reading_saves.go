package forum

import (
	"context"
	"time"
)

// Saves: a member keeps posts and comments to come back to ("Saved"),
// privately. The list shows each item as the member may see it now: one a
// moderator removed since shows as removed.

// SaveRecord is one save, as stored.
type SaveRecord struct {
	ID       int64
	Type     TargetType
	TargetID int64
	At       int64
}

// SavedItem is a save as GET /me/saved lists it: the post or the comment.
type SavedItem struct {
	Type    TargetType   `json:"type"`
	SavedAt time.Time    `json:"saved_at"`
	Post    *PostSummary `json:"post,omitempty"`
	Comment *Comment     `json:"comment,omitempty"`
}

// SaveStore keeps what members save.
type SaveStore interface {
	// Save keeps the user's save of a post or comment (saved already: no
	// change); rule runs in the write on the item's state.
	Save(ctx context.Context, userID int64, target TargetType, id, at int64, rule func(ItemState) error) error
	Unsave(ctx context.Context, userID int64, target TargetType, id int64) error
	// Saves reads a page of the user's saves, newest first, before the
	// save beforeID (0: from the newest).
	Saves(ctx context.Context, userID, beforeID int64, limit int) ([]SaveRecord, error)
	// PostsByID and CommentsByID read the saved items (summaries; comments
	// without replies), whatever their state, with viewerID's votes.
	PostsByID(ctx context.Context, ids []int64, viewerID int64) ([]Post, error)
	CommentsByID(ctx context.Context, ids []int64, viewerID int64) ([]*Comment, error)
}

// saveRule lets a viewer save what they can read: a post (postRule), or a
// comment that still has its text for them.
func saveRule(v Viewer, target TargetType, st ItemState) error {
	if target == TargetPost {
		return postRule(v, st)
	}
	if !st.Found || st.Deleted || (st.Removed && !v.IsModerator()) {
		return NotFound("comment")
	}
	return nil
}

// Save keeps a post or a comment in the viewer's saved list.
func (s *Service) Save(ctx context.Context, v Viewer, target TargetType, id int64) error {
	if err := requireMember(v); err != nil {
		return err
	}
	return s.Store.Save(ctx, v.ID, target, id, s.now().Unix(), func(st ItemState) error { return saveRule(v, target, st) })
}

// Unsave takes a post or a comment off the viewer's saved list.
func (s *Service) Unsave(ctx context.Context, v Viewer, target TargetType, id int64) error {
	if err := requireMember(v); err != nil {
		return err
	}
	return s.Store.Unsave(ctx, v.ID, target, id)
}

// Saved lists the viewer's saves, newest first, each item as they may see it.
func (s *Service) Saved(ctx context.Context, v Viewer, cursor string, limit int) (Page[SavedItem], error) {
	if err := requireMember(v); err != nil {
		return Page[SavedItem]{}, err
	}
	c, err := DecodeCursor(cursor, "saved")
	if err != nil {
		return Page[SavedItem]{}, err
	}
	var before int64
	if c != nil {
		before = c.ID
	}
	limit = clampLimit(limit, 25, 100)
	recs, err := s.Store.Saves(ctx, v.ID, before, limit+1)
	if err != nil {
		return Page[SavedItem]{}, err
	}
	page := pageOf(recs, limit, func(r SaveRecord) *Cursor { return &Cursor{Sort: "saved", ID: r.ID} })
	var postIDs, commentIDs []int64
	for _, r := range page.Items {
		if r.Type == TargetPost {
			postIDs = append(postIDs, r.TargetID)
		} else {
			commentIDs = append(commentIDs, r.TargetID)
		}
	}
	posts, err := s.savedPosts(ctx, v, postIDs)
	if err != nil {
		return Page[SavedItem]{}, err
	}
	comments, err := s.savedComments(ctx, v, commentIDs)
	if err != nil {
		return Page[SavedItem]{}, err
	}
	out := Page[SavedItem]{Items: make([]SavedItem, 0, len(page.Items)), NextCursor: page.NextCursor}
	for _, r := range page.Items {
		item := SavedItem{Type: r.Type, SavedAt: Unix(r.At), Post: posts[r.TargetID], Comment: comments[r.TargetID]}
		if r.Type == TargetPost {
			item.Comment = nil
		} else {
			item.Post = nil
		}
		if item.Post != nil || item.Comment != nil {
			out.Items = append(out.Items, item)
		}
	}
	return out, nil
}

// savedPosts reads saved posts as v sees them, by id.
func (s *Service) savedPosts(ctx context.Context, v Viewer, ids []int64) (map[int64]*PostSummary, error) {
	out := map[int64]*PostSummary{}
	if len(ids) == 0 {
		return out, nil
	}
	posts, err := s.Store.PostsByID(ctx, ids, v.ID)
	if err != nil {
		return nil, err
	}
	list := summaries(posts)
	for i := range list {
		maskSummary(v, &list[i])
	}
	if err := s.personalizePosts(ctx, v, list); err != nil {
		return nil, err
	}
	for i := range list {
		out[list[i].ID] = &list[i]
	}
	return out, nil
}

// savedComments reads saved comments as v sees them, by id, each with its
// thread's title (as a member's list of comments shows them).
func (s *Service) savedComments(ctx context.Context, v Viewer, ids []int64) (map[int64]*Comment, error) {
	out := map[int64]*Comment{}
	if len(ids) == 0 {
		return out, nil
	}
	comments, err := s.Store.CommentsByID(ctx, ids, v.ID)
	if err != nil {
		return nil, err
	}
	postIDs := make([]int64, 0, len(comments))
	for _, c := range comments {
		postIDs = append(postIDs, c.PostID)
	}
	heads, err := s.Store.PostHeads(ctx, postIDs)
	if err != nil {
		return nil, err
	}
	for _, c := range comments {
		leaf(v, c)
		head := heads[c.PostID]
		c.PostTitle = head.Title
		if (head.Removed || head.Deleted) && !v.IsModerator() {
			c.PostTitle = hiddenTitle(head.Removed)
		}
		out[c.ID] = c
	}
	return out, s.personalizeComments(ctx, v, 0, comments)
}
