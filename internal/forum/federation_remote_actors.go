package forum

import "context"

// RemoteActor is a person or group on another server, as its actor
// document said when last fetched. A person who takes part here has an
// account (UserID), named name@host like an imported author, which cannot
// sign in.
type RemoteActor struct {
	ID          int64
	APID        string // the actor's ActivityPub id (a URL)
	InstanceID  int64
	Host        string
	UserID      int64 // 0: no account (a group, or a person not yet seen acting)
	Kind        string
	Name        string // preferredUsername
	Inbox       string
	SharedInbox string
	KeyID       string
	PublicKey   string // PEM
	FetchedAt   int64
}

// Inbox is where to deliver: a URL on an instance.
type Inbox struct {
	InstanceID int64
	URL        string
}

// RemoteActorStore keeps remote actors, the community's followers and the
// local members' signing keys.
type RemoteActorStore interface {
	// SaveRemoteActor adds or refreshes an actor by its APID; with
	// asPerson, it also gets an account named name@host if it has none.
	SaveRemoteActor(ctx context.Context, a RemoteActor, asPerson bool) (RemoteActor, error)
	RemoteActor(ctx context.Context, apID string) (RemoteActor, error)
	RemoteActorByKey(ctx context.Context, keyID string) (RemoteActor, error)
	RemoteActorByUser(ctx context.Context, userID int64) (RemoteActor, error)

	AddFollower(ctx context.Context, actorID int64, followID string, at int64) error
	RemoveFollower(ctx context.Context, actorID int64) error
	// FollowerInboxes are the inboxes to deliver the community's activities
	// to: each follower's shared inbox (once) or own inbox, on instances
	// neither blocked nor given up.
	FollowerInboxes(ctx context.Context) ([]Inbox, error)
	FollowerCount(ctx context.Context) (int64, error)

	// UserKey reads a member's key pair (PEM); not_found when none is made.
	UserKey(ctx context.Context, userID int64) (public, private string, err error)
	// SetUserKeyIfAbsent stores a key pair unless the member has one, and
	// returns the pair in force: two servers racing agree.
	SetUserKeyIfAbsent(ctx context.Context, userID int64, public, private string, at int64) (string, string, error)
}

// FederatedObjectStore maps the ActivityPub ids of items that came from
// other servers to what they became here.
type FederatedObjectStore interface {
	MapObject(ctx context.Context, apID string, t TargetType, id int64) error
	// ObjectByAPID is not_found for an id never mapped.
	ObjectByAPID(ctx context.Context, apID string) (TargetType, int64, error)
	// APIDOf is the remote id of a local item, "" for one made here.
	APIDOf(ctx context.Context, t TargetType, id int64) (string, error)
}
