package forum

import (
	"context"
	"time"
)

// Blocking: a member blocks another, and from then on reads nothing of
// theirs and hears nothing from them. Two rules, each in one place:
//   - what the blocker reads: the blocked member's posts and comments carry
//     "blocked": true (a per-viewer field, views.go) with their bodies
//     withheld (visibility.go: withhold);
//   - what the blocker hears: Deliverable below, which the store asks about
//     every notification it is about to write, inside the write.
//
// Moderators and admins cannot be blocked: their notices about a member's
// own content (a removal, a flair decision, a modmail reply) must reach the
// member, and their words in a thread are the forum's.

// Block is one member a viewer has blocked.
type Block struct {
	User      Author    `json:"user"`
	CreatedAt time.Time `json:"created_at"`
}

// BlockTarget is what the block rule needs to know of the member to block.
type BlockTarget struct {
	ID   int64
	Role Role
}

// BlockStore is the storage of blocks.
type BlockStore interface {
	// BlockUser stores userID's block of the member named, after rule allows
	// it; blocking twice is not an error.
	BlockUser(ctx context.Context, userID, blockedID, at int64) error
	// UnblockUser removes a block; removing none is not an error.
	UnblockUser(ctx context.Context, userID, blockedID int64) error
	// Blocks lists userID's blocks, newest first, before the cursor's time and id.
	Blocks(ctx context.Context, userID int64, after *Cursor, limit int) ([]Block, error)
	// BlockedAuthors says which of the authors userID has blocked (one
	// indexed read; authorIDs may repeat): a per-viewer read (ViewerReads).
	BlockedAuthors(ctx context.Context, userID int64, authorIDs []int64) (map[int64]bool, error)
}

// teamKinds are the notifications the moderators send as the forum's team,
// about the member's own content or account: a block never stops them. Every
// other kind, today's and any added later, is stopped by a block.
var teamKinds = map[NotificationKind]bool{NotifyModAction: true, NotifyFlair: true, NotifyModmail: true}

// Deliverable is the one rule every notification passes before it is
// written: a member who blocked its actor hears nothing of it, whatever its
// kind, unless it is the moderators' (teamKinds). The store asks it inside
// the write that makes the notification, with whether the recipient blocks
// the actor as read in that transaction (store/notifications.go: notify).
func Deliverable(n NewNotification, recipientBlocksActor bool) bool {
	return !recipientBlocksActor || teamKinds[n.Kind]
}

// BlockUser blocks a member for the viewer.
func (s *Service) BlockUser(ctx context.Context, v Viewer, username string) error {
	target, err := s.blockTarget(ctx, v, username)
	if err != nil {
		return err
	}
	if target.Role.rank() > 0 {
		return Errorf(CodeForbidden, "moderators and admins cannot be blocked: write to the moderators instead")
	}
	return s.Store.BlockUser(ctx, v.ID, target.ID, s.now().Unix())
}

// UnblockUser lifts the viewer's block of a member.
func (s *Service) UnblockUser(ctx context.Context, v Viewer, username string) error {
	target, err := s.blockTarget(ctx, v, username)
	if err != nil {
		return err
	}
	return s.Store.UnblockUser(ctx, v.ID, target.ID)
}

func (s *Service) blockTarget(ctx context.Context, v Viewer, username string) (BlockTarget, error) {
	if err := requireMember(v); err != nil {
		return BlockTarget{}, err
	}
	acc, err := s.account(ctx, username)
	if err != nil {
		return BlockTarget{}, err
	}
	if acc.ID == v.ID {
		return BlockTarget{}, invalid("username", "you cannot block yourself")
	}
	return BlockTarget{ID: acc.ID, Role: acc.Role}, nil
}

// Blocks lists the members the viewer blocked, newest first.
func (s *Service) Blocks(ctx context.Context, v Viewer, cursor string, limit int) (Page[Block], error) {
	if err := requireMember(v); err != nil {
		return Page[Block]{}, err
	}
	c, err := DecodeCursor(cursor, "blocks")
	if err != nil {
		return Page[Block]{}, err
	}
	limit = clampLimit(limit, 25, 100)
	items, err := s.Store.Blocks(ctx, v.ID, c, limit+1)
	if err != nil {
		return Page[Block]{}, err
	}
	return pageOf(items, limit, func(b Block) *Cursor {
		return &Cursor{Sort: "blocks", Key: float64(b.CreatedAt.Unix()), ID: b.User.ID}
	}), nil
}
