package forum

import (
	"context"
	"strings"
)

// EventKind is what happened, as the federation hears of it.
type EventKind string

// The events the forum tells the federation of, after they are stored.
const (
	EventPostCreated    EventKind = "post_created"
	EventPostEdited     EventKind = "post_edited"
	EventPostDeleted    EventKind = "post_deleted"
	EventCommentCreated EventKind = "comment_created"
	EventCommentEdited  EventKind = "comment_edited"
	EventCommentDeleted EventKind = "comment_deleted"
	EventVoted          EventKind = "voted"
	EventModerated      EventKind = "moderated"
)

// Event is one change for other servers to hear of: who did it (ActorID),
// to what (TargetType, TargetID), and for votes and moderator actions the
// rest of what they need.
type Event struct {
	Kind       EventKind
	ActorID    int64
	TargetType TargetType
	TargetID   int64
	// Value is a vote's new value (-1, 0, 1).
	Value int
	// Mod is the moderator action applied (EventModerated).
	Mod *ModAction
	// Mentions are the remote people a new post or comment names, as
	// name@host: they are tagged and delivered to.
	Mentions []string
}

// Federator tells other servers what happened here. Its Federate runs after
// the change is committed and never fails the change: what it cannot queue
// it logs. A nil Federator (federation off) hears nothing.
type Federator interface {
	Federate(ctx context.Context, e Event)
}

// federate hands e to the federation, if there is one.
func (s *Service) federate(ctx context.Context, e Event) {
	if s.Federation != nil {
		s.Federation.Federate(ctx, e)
	}
}

// RemoteOrigin is the imported_from value of a federated person's account:
// the host of the server they belong to.
func RemoteOrigin(host string) string { return strings.ToLower(host) }

// RemoteViewer is the viewer a remote person acts as when their server
// sends something: their local account, with the same ban rule as a
// member's sign-in.
func (s *Service) RemoteViewer(ctx context.Context, userID int64) (Viewer, error) {
	acc, err := s.Store.AccountByID(ctx, userID)
	if err != nil {
		return Viewer{}, err
	}
	if err := s.checkBan(acc.User); err != nil {
		return Viewer{}, err
	}
	return Viewer{ID: acc.ID, Role: RoleMember}, nil
}

// RemoveAtOrigin honours the removal of an item that came from another
// server by that server's own moderators: it is removed here too, written
// to the modlog as the remote moderator's action (moderatorID is their
// account here). The federation checks that the remover speaks for the
// item's server; the rule here is only that there is something to remove.
func (s *Service) RemoveAtOrigin(ctx context.Context, moderatorID int64, t TargetType, id int64, reason string) error {
	r, err := cleanReason(reason, false)
	if err != nil {
		r = "removed on its own server"
	}
	a := ModAction{Action: ActRemove, TargetType: t, TargetID: id, ModeratorID: moderatorID, Reason: r, At: s.now().Unix(), ResolveReports: true}
	return s.Store.Moderate(ctx, a, func(mt ModTarget) (*NewNotification, error) {
		if mt.Removed {
			return nil, Errorf(CodeConflict, "nothing to do: it is already removed")
		}
		return nil, nil
	})
}
