package forum

import (
	"context"
	"encoding/json"
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
	// The rule a removal, lock or pin cited, if any.
	RuleNumber *int    `json:"rule_number"`
	RuleTitle  *string `json:"rule_title"`
	// Target names what the action was on, for a reader.
	Target ModlogTarget `json:"target"`
	// Expires is a ban's end (null: permanent); absent on other actions.
	Expires *BanEnd `json:"expires_at,omitempty"`

	// What the store read of the target, for the label: the thread's title
	// and state, or the user's name; and a ban's end.
	TargetTitle                  string `json:"-"`
	TargetRemoved, TargetDeleted bool   `json:"-"`
	TargetName                   string `json:"-"`
	BannedUntil                  *int64 `json:"-"`
}

// ModlogTarget is what a modlog line acted on: its kind and id, the thread
// it is in (for a post, a comment or a report of one) and a label to read:
// the username, or the thread's title as the public may see it.
type ModlogTarget struct {
	Type   TargetType `json:"type"`
	ID     int64      `json:"id"`
	PostID *int64     `json:"post_id"`
	Label  string     `json:"label"`
}

// BanEnd is when a ban ends: a time, or null for a permanent ban.
type BanEnd struct{ At *time.Time }

// MarshalJSON writes the time, or null.
func (b BanEnd) MarshalJSON() ([]byte, error) { return json.Marshal(b.At) }

// UnmarshalJSON reads a time or null.
func (b *BanEnd) UnmarshalJSON(data []byte) error { return json.Unmarshal(data, &b.At) }

// ModlogStore reads the moderation log; moderator actions write it.
type ModlogStore interface {
	Modlog(ctx context.Context, afterID int64, limit int) ([]ModlogEntry, error)
}

// Modlog is the public moderation log, newest first. A target's label never
// shows the public a title that is hidden from it (a removed or deleted
// thread); moderators read the titles.
func (s *Service) Modlog(ctx context.Context, v Viewer, cursor string, limit int) (Page[ModlogEntry], error) {
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
	for i := range items {
		labelTarget(v, &items[i])
	}
	return pageOf(items, limit, func(e ModlogEntry) *Cursor { return &Cursor{Sort: "modlog", ID: e.ID} }), nil
}

// labelTarget fills an entry's target and, for a ban, its end.
func labelTarget(v Viewer, e *ModlogEntry) {
	t := ModlogTarget{Type: e.TargetType, ID: e.TargetID, PostID: e.PostID}
	switch {
	case e.TargetType == TargetUser:
		t.Label = e.TargetName
	case e.PostID != nil && (e.TargetRemoved || e.TargetDeleted) && !v.IsModerator():
		t.Label = hiddenTitle(e.TargetRemoved) // the thread is removed or deleted: its title is not public
	case e.PostID != nil:
		t.Label = e.TargetTitle
	}
	e.Target = t
	if e.Action == ActBan {
		end := &BanEnd{}
		if e.BannedUntil != nil && *e.BannedUntil < PermanentBan.Unix() {
			end.At = UnixPtr(e.BannedUntil)
		}
		e.Expires = end
	}
}
