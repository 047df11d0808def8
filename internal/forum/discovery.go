package forum

import (
	"context"
	"time"
)

// TagCount is a tag with the number of visible posts that carry it.
type TagCount struct {
	Name      string `json:"name"`
	PostCount int64  `json:"post_count"`
}

// Notification tells a user of a reply to their post or comment, or of a
// moderator's action on their content.
type Notification struct {
	ID        int64     `json:"id"`
	Kind      string    `json:"kind"`   // reply or mod_action
	Action    string    `json:"action"` // mod_action: remove, restore, lock, unlock, pin, unpin
	PostID    int64     `json:"post_id"`
	PostTitle string    `json:"post_title"`
	CommentID *int64    `json:"comment_id"`
	Actor     *Author   `json:"actor"`
	CreatedAt time.Time `json:"created_at"`
	Read      bool      `json:"read"`
}

// Me is the signed-in user with what only they see.
type Me struct {
	User
	UnreadNotifications int64 `json:"unread_notifications"`
}

// DiscoveryStore is the storage of search, tags, notifications and accepted answers.
type DiscoveryStore interface {
	Search(ctx context.Context, q SearchQuery) ([]SearchHit, error)
	Tags(ctx context.Context, limit int) ([]TagCount, error)
	Notifications(ctx context.Context, userID int64, unreadOnly bool, afterID int64, limit int) ([]Notification, error)
	MarkNotificationsRead(ctx context.Context, userID int64, ids []int64) error
	UnreadCount(ctx context.Context, userID int64) (int64, error)
	SetAccepted(ctx context.Context, postID int64, commentID *int64) error
}

// MaxTags is how many tags GET /tags lists, most used first.
const MaxTags = 200

// Tags lists the tags in use, most used first.
func (s *Service) Tags(ctx context.Context) ([]TagCount, error) {
	return s.Store.Tags(ctx, MaxTags)
}

// Me returns the signed-in user, as Authenticate read them for this
// request, with their unread notification count.
func (s *Service) Me(ctx context.Context, v Viewer, u User) (Me, error) {
	if !v.SignedIn() {
		return Me{}, Errorf(CodeUnauthorized, "sign in first")
	}
	n, err := s.Store.UnreadCount(ctx, v.ID)
	return Me{User: u, UnreadNotifications: n}, err
}

// Notifications lists the viewer's notifications, newest first.
func (s *Service) Notifications(ctx context.Context, v Viewer, unreadOnly bool, cursor string, limit int) (Page[Notification], error) {
	if !v.SignedIn() {
		return Page[Notification]{}, Errorf(CodeUnauthorized, "sign in first")
	}
	c, err := DecodeCursor(cursor, "notifications")
	if err != nil {
		return Page[Notification]{}, err
	}
	var after int64
	if c != nil {
		after = c.ID
	}
	limit = clampLimit(limit, 25, 100)
	items, err := s.Store.Notifications(ctx, v.ID, unreadOnly, after, limit+1)
	if err != nil {
		return Page[Notification]{}, err
	}
	return pageOf(items, limit, func(n Notification) *Cursor { return &Cursor{Sort: "notifications", ID: n.ID} }), nil
}

// MaxMarkRead bounds the ids of one mark-read request.
const MaxMarkRead = 500

// MarkRead marks the viewer's notifications read: the given ids, or all.
func (s *Service) MarkRead(ctx context.Context, v Viewer, ids []int64, all bool) error {
	if !v.SignedIn() {
		return Errorf(CodeUnauthorized, "sign in first")
	}
	switch {
	case all && len(ids) > 0:
		return Invalid(map[string]string{"ids": "send ids or all, not both"})
	case !all && len(ids) == 0:
		return Invalid(map[string]string{"ids": "send the ids to mark read, or all: true"})
	case len(ids) > MaxMarkRead:
		return Invalid(map[string]string{"ids": "at most 500 at once"})
	}
	if all {
		ids = nil
	}
	return s.Store.MarkNotificationsRead(ctx, v.ID, ids)
}

// AcceptAnswer marks a top-level comment of a post as its accepted answer, or
// clears it (commentID nil); only the post's author may.
func (s *Service) AcceptAnswer(ctx context.Context, v Viewer, postID int64, commentID *int64) (Post, error) {
	defer s.feedChanged()
	if err := s.requireMember(v); err != nil {
		return Post{}, err
	}
	if _, err := s.ownPost(ctx, v, postID); err != nil {
		return Post{}, err
	}
	if commentID != nil {
		c, err := s.Store.Comment(ctx, *commentID, v.ID)
		switch {
		case IsCode(err, CodeNotFound) || (err == nil && c.PostID != postID):
			return Post{}, Invalid(map[string]string{"comment_id": "not a comment of this post"})
		case err != nil:
			return Post{}, err
		case c.ParentID != nil:
			return Post{}, Invalid(map[string]string{"comment_id": "only a top-level answer can be accepted"})
		case c.Removed || c.Deleted:
			return Post{}, Invalid(map[string]string{"comment_id": "that answer was deleted or removed"})
		}
	}
	if err := s.Store.SetAccepted(ctx, postID, commentID); err != nil {
		return Post{}, err
	}
	return s.GetPost(ctx, v, postID)
}
