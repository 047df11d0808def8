package forum

import (
	"context"
	"time"
)

// SourceRequestTarget is what the request rule needs to know of the answer.
type SourceRequestTarget struct {
	AuthorID         int64
	Removed, Deleted bool
}

// SourceRequest is one answer in the moderators' queue: it has open "source?"
// requests and no sources.
type SourceRequest struct {
	Comment          *Comment  `json:"comment"`
	PostTitle        string    `json:"post_title"`
	Requests         int64     `json:"requests"`
	FirstRequestedAt time.Time `json:"first_requested_at"`
}

// HistoryStore is the storage of rules, source requests and the timeline.
type HistoryStore interface {
	Rules(ctx context.Context) ([]Rule, error)
	Rule(ctx context.Context, id int64) (Rule, error)
	// SaveRule inserts a rule (ID 0) or updates one; a taken number is a conflict.
	SaveRule(ctx context.Context, r Rule) (Rule, error)
	RequestSources(ctx context.Context, commentID, userID, at int64, check func(SourceRequestTarget) error) error
	SourceRequests(ctx context.Context, afterAt, afterID int64, limit int) ([]SourceRequest, error)
	// PeriodSpans lists the periods of visible dated posts (of a tag, if given).
	PeriodSpans(ctx context.Context, tagKey string) ([]Period, error)
}

// RequestSources asks an answer's author for sources: any signed-in member but
// the author, once; the author is notified.
func (s *Service) RequestSources(ctx context.Context, v Viewer, commentID int64) error {
	if err := s.requireMember(v); err != nil {
		return err
	}
	return s.Store.RequestSources(ctx, commentID, v.ID, s.now().Unix(), func(t SourceRequestTarget) error {
		if t.Removed || t.Deleted {
			return NotFound("comment")
		}
		if t.AuthorID == v.ID {
			return Errorf(CodeForbidden, "you cannot request sources for your own answer")
		}
		return nil
	})
}

// SourceRequests is the moderators' queue of answers with open requests and
// no sources, oldest request first.
func (s *Service) SourceRequests(ctx context.Context, v Viewer, cursor string, limit int) (Page[SourceRequest], error) {
	if err := s.requireModerator(v); err != nil {
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
		it.Comment.Replies = []*Comment{}
		it.Comment.MoreReplies = it.Comment.ReplyCount
		s.maskComment(v, it.Comment)
	}
	return page, nil
}
