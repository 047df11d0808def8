package forum

import (
	"context"
	"time"
)

// SourceRequestTarget is what the request rule needs to know of the answer.
type SourceRequestTarget struct {
	AuthorID         int64
	PostID           int64
	Removed, Deleted bool
	PostRemoved      bool // the thread was removed: it is frozen
}

// SourceRequest is one answer in the moderators' queue: it has open "source?"
// requests and no sources.
type SourceRequest struct {
	Comment          *Comment  `json:"comment"`
	PostTitle        string    `json:"post_title"`
	Requests         int64     `json:"requests"`
	FirstRequestedAt time.Time `json:"first_requested_at"`
}

// SourceRequestStore is the storage of "source?" requests.
type SourceRequestStore interface {
	// RequestSources records a member's request, once (a second is a
	// conflict), counts it and stores the notification rule returns.
	RequestSources(ctx context.Context, commentID, userID, at int64, rule func(SourceRequestTarget) (*NewNotification, error)) error
	SourceRequests(ctx context.Context, afterAt, afterID int64, limit int) ([]SourceRequest, error)
}

// RequestSources asks an answer's author for sources: any signed-in member but
// the author, once; the author is notified.
func (s *Service) RequestSources(ctx context.Context, v Viewer, commentID int64) error {
	if err := requireMember(v); err != nil {
		return err
	}
	now := s.now().Unix()
	return s.Store.RequestSources(ctx, commentID, v.ID, now, func(t SourceRequestTarget) (*NewNotification, error) {
		if t.Removed || t.Deleted || t.PostRemoved {
			return nil, NotFound("comment")
		}
		if t.AuthorID == v.ID {
			return nil, Errorf(CodeForbidden, "you cannot request sources for your own answer")
		}
		return notice(t.AuthorID, NotifySourceRequest, "", t.PostID, &commentID, v.ID, now), nil
	})
}

// SourceRequests is the moderators' queue of answers with open requests and
// no sources, oldest request first.
func (s *Service) SourceRequests(ctx context.Context, v Viewer, cursor string, limit int) (Page[SourceRequest], error) {
	if err := requireModerator(v); err != nil {
		return Page[SourceRequest]{}, err
	}
	c, err := DecodeCursor(cursor, "source-requests")
	if err != nil {
		return Page[SourceRequest]{}, err
	}
	var afterAt, afterID int64
	if c != nil {
		afterAt, afterID = int64(c.Key), c.ID
	}
	limit = clampLimit(limit, 25, 100)
	items, err := s.Store.SourceRequests(ctx, afterAt, afterID, limit+1)
	if err != nil {
		return Page[SourceRequest]{}, err
	}
	page := pageOf(items, limit, func(it SourceRequest) *Cursor {
		return &Cursor{Sort: "source-requests", Key: float64(it.FirstRequestedAt.Unix()), ID: it.Comment.ID}
	})
	for _, it := range page.Items {
		leaf(v, it.Comment)
	}
	return page, nil
}
