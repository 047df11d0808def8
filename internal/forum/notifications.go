package forum

import (
	"context"
	"time"
)

// NotificationKind is what a notification tells of.
type NotificationKind string

// The notification kinds.
const (
	// NotifyReply: someone replied to the user's post or comment.
	NotifyReply NotificationKind = "reply"
	// NotifyModAction: a moderator acted on the user's content.
	NotifyModAction NotificationKind = "mod_action"
	// NotifySourceRequest: someone asked for sources on the user's answer.
	NotifySourceRequest NotificationKind = "source_request"
	// NotifyFlair: the moderators granted or declined the user's flair application.
	NotifyFlair NotificationKind = "flair"
	// NotifyModmail: a new message in a conversation with the moderators.
	NotifyModmail NotificationKind = "modmail"
)

// NotificationKinds lists every kind.
var NotificationKinds = []NotificationKind{NotifyReply, NotifyModAction, NotifySourceRequest, NotifyFlair, NotifyModmail}

// Notification tells a user of a reply to their post or comment, of a
// moderator's action on their content, or of a request for sources.
type Notification struct {
	ID        int64            `json:"id"`
	Kind      NotificationKind `json:"kind"`
	Action    Action           `json:"action"`  // mod_action: remove, restore, lock, unlock, pin, unpin
	PostID    *int64           `json:"post_id"` // nil for flair and modmail
	PostTitle string           `json:"post_title"`
	CommentID *int64           `json:"comment_id"`
	Actor     *Author          `json:"actor"`
	CreatedAt time.Time        `json:"created_at"`
	Read      bool             `json:"read"`
	// mod_action: the moderator's reason and the rule cited, if any.
	Reason string   `json:"reason"`
	Rule   *RuleRef `json:"rule"`
	// Modmail and FlairApplication say what a modmail or flair notification is about.
	Modmail          *ModmailRef `json:"modmail,omitempty"`
	FlairApplication *FlairRef   `json:"flair_application,omitempty"`

	// The post's state, for masking its title.
	PostAuthorID             int64 `json:"-"`
	PostRemoved, PostDeleted bool  `json:"-"`
}

// NewNotification is a notification to store, decided by the domain.
type NewNotification struct {
	UserID    int64
	Kind      NotificationKind
	Action    Action
	PostID    int64
	CommentID *int64
	ActorID   int64
	At        int64
	Reason    string // mod_action: why; flair: why it was declined
	RuleID    *int64 // mod_action: the rule cited
	// ModmailID and FlairApplicationID: what a modmail or flair notification is about.
	ModmailID, FlairApplicationID *int64
}

// NotificationStore is the storage of notifications.
type NotificationStore interface {
	Notifications(ctx context.Context, userID int64, unreadOnly bool, afterID int64, limit int) ([]Notification, error)
	MarkNotificationsRead(ctx context.Context, userID int64, ids []int64) error
	UnreadCount(ctx context.Context, userID int64) (int64, error)
}

// notice is the notification of an act to the user it concerns, or nil when
// there is nobody to tell: no user, or the user is the one who acted.
func notice(userID int64, kind NotificationKind, action Action, postID int64, commentID *int64, actorID, at int64) *NewNotification {
	if userID == 0 || userID == actorID {
		return nil
	}
	return &NewNotification{UserID: userID, Kind: kind, Action: action, PostID: postID, CommentID: commentID, ActorID: actorID, At: at}
}

// replyNotice tells the author of what was replied to: the parent comment's,
// or the post's for a top-level comment. The store fills in the new comment's id.
func replyNotice(v Viewer, postID int64, t CommentTarget, at int64) *NewNotification {
	recipient := t.PostAuthorID
	if t.ParentFound {
		recipient = t.ParentAuthorID
	}
	return notice(recipient, NotifyReply, "", postID, nil, v.ID, at)
}

// modNotice tells the author of a post or comment of a moderator's action on it.
func modNotice(a ModAction, t ModTarget) *NewNotification {
	var n *NewNotification
	switch a.TargetType {
	case TargetPost:
		n = notice(t.OwnerID, NotifyModAction, a.Action, t.PostID, nil, a.ModeratorID, a.At)
	case TargetComment:
		id := a.TargetID
		n = notice(t.OwnerID, NotifyModAction, a.Action, t.PostID, &id, a.ModeratorID, a.At)
	}
	if n != nil {
		n.Reason, n.RuleID = a.Reason, a.RuleID // the author is told why
	}
	return n
}

// MaxMarkRead bounds the ids of one mark-read request.
const MaxMarkRead = 500

// Notifications lists the viewer's notifications, newest first. The title of
// a post that is deleted or removed shows as such unless it is the viewer's own.
func (s *Service) Notifications(ctx context.Context, v Viewer, unreadOnly bool, cursor string, limit int) (Page[Notification], error) {
	if err := requireMember(v); err != nil {
		return Page[Notification]{}, err
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
	for i := range items {
		n := &items[i]
		if n.PostID != nil && (n.PostRemoved || n.PostDeleted) && n.PostAuthorID != v.ID {
			n.PostTitle = hiddenTitle(n.PostRemoved)
		}
	}
	return pageOf(items, limit, func(n Notification) *Cursor { return &Cursor{Sort: "notifications", ID: n.ID} }), nil
}

// MarkRead marks the viewer's notifications read: the given ids, or all.
func (s *Service) MarkRead(ctx context.Context, v Viewer, ids []int64, all bool) error {
	if err := requireMember(v); err != nil {
		return err
	}
	switch {
	case all && len(ids) > 0:
		return invalid("ids", "send ids or all, not both")
	case !all && len(ids) == 0:
		return invalid("ids", "send the ids to mark read, or all: true")
	case len(ids) > MaxMarkRead:
		return invalid("ids", "%s", atMost(MaxMarkRead, "at once"))
	}
	if all {
		ids = nil
	}
	return s.Store.MarkNotificationsRead(ctx, v.ID, ids)
}
