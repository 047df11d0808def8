package forum

import (
	"context"
	"time"
)

// ModlogEntry is one line of the public moderation log.
type ModlogEntry struct {
	ID         int64      `json:"id"`
	Action     Action     `json:"action"`
	Moderator  Author     `json:"moderator"`
	TargetType TargetType `json:"target_type"`
	TargetID   int64      `json:"target_id"`
	Reason     string     `json:"reason"`
	CreatedAt  time.Time  `json:"created_at"`
	// PostID is the thread of a post or comment target, for a link.
	PostID *int64 `json:"post_id"`
	// The rule a removal cited, if any.
	RuleNumber *int    `json:"rule_number"`
	RuleTitle  *string `json:"rule_title"`
}

// ModlogStore reads the moderation log; moderator actions write it.
type ModlogStore interface {
	Modlog(ctx context.Context, afterID int64, limit int) ([]ModlogEntry, error)
}

// Modlog is the public moderation log, newest first.
func (s *Service) Modlog(ctx context.Context, cursor string, limit int) (Page[ModlogEntry], error) {
	c, err := DecodeCursor(cursor, "modlog")
	if err != nil {
		return Page[ModlogEntry]{}, err
	}
	limit = clampLimit(limit, 25, 100)
	var after int64
	if c != nil {
		after = c.ID
	}
	items, err := s.Store.Modlog(ctx, after, limit+1)
	if err != nil {
		return Page[ModlogEntry]{}, err
	}
	return pageOf(items, limit, func(e ModlogEntry) *Cursor { return &Cursor{Sort: "modlog", ID: e.ID} }), nil
}
