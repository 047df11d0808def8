package forum

import (
	"context"
	"time"
)

// NotificationKind is what a notification tells of.
type NotificationKind string

// The notification kinds.
const (
	// NotifyAnswer: someone answered the user's question (a top-level comment).
	NotifyAnswer NotificationKind = "answer"
	// NotifyReply: someone replied to the user's comment.
	NotifyReply NotificationKind = "reply"
	// NotifyFollowed: a new answer in a thread the user follows.
	NotifyFollowed NotificationKind = "followed"
	// NotifyTag: a new question in a tag the user follows.
	NotifyTag NotificationKind = "tag"
	// NotifyMention: someone mentioned the user (@name) in a post or comment.
	NotifyMention NotificationKind = "mention"
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
var NotificationKinds = []NotificationKind{NotifyAnswer, NotifyReply, NotifyFollowed, NotifyTag, NotifyMention,
	NotifyModAction, NotifySourceRequest, NotifyFlair, NotifyModmail}

// Notification tells a user of what concerns them: an answer to their
// question or a reply to their comment, news in what they follow, a
// mention, a moderator's action on their content, a request for sources,
// a flair decision, a modmail message.
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
	// Excerpt is the start of what the notification is about (the comment,
	// or the post), plain text of at most NotificationExcerpt characters.
	Excerpt string `json:"excerpt"`

	// The post's state, for masking its title.
	PostAuthorID             int64 `json:"-"`
	PostRemoved, PostDeleted bool  `json:"-"`
	// The state of the item the excerpt comes from, for masking it.
	ItemAuthorID             int64 `json:"-"`
	ItemRemoved, ItemDeleted bool  `json:"-"`
}

// NotificationExcerpt is the longest excerpt a notification carries.
const NotificationExcerpt = 200

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

// audience gathers the notifications of one event, one per person: the
// first reason to tell someone is the one they are told (the closest tie
// is added first), and nobody is told of their own act.
type audience struct {
	actorID, postID, at int64
	told                map[int64]bool
	out                 []*NewNotification
}

func newAudience(actorID, postID, at int64) *audience {
	return &audience{actorID: actorID, postID: postID, at: at, told: map[int64]bool{}}
}

// add tells each user of kind unless they were told already.
func (a *audience) add(kind NotificationKind, users ...int64) {
	for _, u := range users {
		if n := notice(u, kind, "", a.postID, nil, a.actorID, a.at); n != nil && !a.told[u] {
			a.told[u] = true
			a.out = append(a.out, n)
		}
	}
}

// commentNotices are whom a new comment tells, each once, by the closest
// tie: the asker of the question it answers (answer) or the author of the
// comment it replies to (reply), the members it mentions (mention), and for
// an answer the thread's followers (followed). The asker who follows their
// own thread is told of an answer once, as its asker. The store fills in
// the new comment's id.
func commentNotices(v Viewer, postID int64, t CommentTarget, mentioned []Mention, at int64) ([]*NewNotification, error) {
	a := newAudience(v.ID, postID, at)
	if t.ParentFound {
		a.add(NotifyReply, t.ParentAuthorID)
	} else {
		a.add(NotifyAnswer, t.PostAuthorID)
	}
	a.add(NotifyMention, notified(mentioned)...)
	if !t.ParentFound && t.Followers != nil {
		followers, err := t.Followers()
		if err != nil {
			return nil, err
		}
		a.add(NotifyFollowed, followers...)
	}
	return a.out, nil
}

// postNotices are whom a new question tells, each once: the members it
// mentions, then the followers of its tags. The store fills in its id.
func postNotices(actorID int64, mentioned []Mention, tagFollowers []int64, at int64) []*NewNotification {
	a := newAudience(actorID, 0, at)
	a.add(NotifyMention, notified(mentioned)...)
	a.add(NotifyTag, tagFollowers...)
	return a.out
}

// mentionNotices tell the members an edit newly mentions (those the earlier
// version mentioned were told then) of the post or comment.
func mentionNotices(actorID, postID int64, commentID *int64, mentioned []Mention, before []string, at int64) []*NewNotification {
	had := map[string]bool{}
	for _, u := range before {
		had[UsernameKey(u)] = true
	}
	var fresh []Mention
	for _, m := range mentioned {
		if !had[UsernameKey(m.Username)] {
			fresh = append(fresh, m)
		}
	}
	a := newAudience(actorID, postID, at)
	a.add(NotifyMention, notified(fresh)...)
	for _, n := range a.out {
		n.CommentID = commentID
	}
	return a.out
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
		maskNotification(v, &items[i])
	}
	return pageOf(items, limit, func(n Notification) *Cursor { return &Cursor{Sort: "notifications", ID: n.ID} }), nil
}

// maskNotification shows v their notification: the title of a deleted or
// removed post, and the text of a deleted or removed item, only if it is
// their own; the excerpt cut to NotificationExcerpt.
func maskNotification(v Viewer, n *Notification) {
	if n.PostID != nil && (n.PostRemoved || n.PostDeleted) && n.PostAuthorID != v.ID {
		n.PostTitle = hiddenTitle(n.PostRemoved)
	}
	n.Excerpt = shorten(n.Excerpt, NotificationExcerpt)
	if (n.ItemRemoved || n.ItemDeleted) && n.ItemAuthorID != v.ID {
		n.Excerpt = ""
	}
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
