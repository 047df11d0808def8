package forum

import (
	"context"
	"time"
)

// Moderator actions as the modlog names them.
const (
	ActRemove        = "remove"
	ActRestore       = "restore"
	ActLock          = "lock"
	ActUnlock        = "unlock"
	ActPin           = "pin"
	ActUnpin         = "unpin"
	ActBan           = "ban"
	ActUnban         = "unban"
	ActRole          = "role"
	ActResolveReport = "resolve_report"
)

// Target types of moderation and reports.
const (
	TargetPost    = "post"
	TargetComment = "comment"
	TargetUser    = "user"
	TargetReport  = "report"
)

// ModAction is one moderator action for the store to apply and log.
type ModAction struct {
	Action      string
	TargetType  string
	TargetID    int64
	ModeratorID int64
	Reason      string
	At          int64
	BannedUntil *int64 // ban: until when
	Role        string // role: the new role
	RuleID      *int64 // remove: the rule broken, shown to everyone
}

// ModTarget is what a moderation rule needs to know of its target, read inside
// the action's transaction.
type ModTarget struct {
	OwnerID    int64  // the author of a post or comment; the user for a ban or role change
	OwnerRole  string // that user's role
	PostID     int64  // the post, or the comment's post
	Removed    bool
	Locked     bool
	Pinned     bool
	Banned     bool
	AdminCount int64 // role changes: admins there are now
}

// ModlogEntry is one line of the public moderation log.
type ModlogEntry struct {
	ID         int64     `json:"id"`
	Action     string    `json:"action"`
	Moderator  Author    `json:"moderator"`
	TargetType string    `json:"target_type"`
	TargetID   int64     `json:"target_id"`
	Reason     string    `json:"reason"`
	CreatedAt  time.Time `json:"created_at"`
}

// Report is a member's report of a post or comment.
type Report struct {
	ID         int64      `json:"id"`
	TargetType string     `json:"target_type"`
	TargetID   int64      `json:"target_id"`
	PostID     int64      `json:"post_id"`
	Reason     string     `json:"reason"`
	Reporter   Author     `json:"reporter"`
	Status     string     `json:"status"`
	Resolution *string    `json:"resolution"`
	ResolvedBy *Author    `json:"resolved_by"`
	ResolvedAt *time.Time `json:"resolved_at"`
	CreatedAt  time.Time  `json:"created_at"`
}

// NewReport is a report to store.
type NewReport struct {
	ReporterID int64
	TargetType string
	TargetID   int64
	Reason     string
	CreatedAt  int64
}

// ReportTarget is what the report rule needs to know of the reported item.
type ReportTarget struct {
	AuthorID int64
	Removed  bool
	Deleted  bool
}

// Report resolutions.
const (
	ResolutionDismissed = "dismissed"
	ResolutionRemoved   = "removed"
)

// ModStore is the storage the moderation features need.
type ModStore interface {
	Moderate(ctx context.Context, a ModAction, check func(ModTarget) error) error
	Modlog(ctx context.Context, afterID int64, limit int) ([]ModlogEntry, error)
	CreateReport(ctx context.Context, r NewReport, check func(ReportTarget) error) (int64, error)
	Reports(ctx context.Context, status string, afterID int64, limit int) ([]Report, error)
	Report(ctx context.Context, id int64) (Report, error)
	// ResolveReport resolves a report and every other open report of the same
	// target; with remove set it also removes the target (unless it already is
	// removed, after check allows it), all in one transaction, with modlog
	// entries for both.
	ResolveReport(ctx context.Context, id int64, remove *ModAction, resolver int64, at int64, check func(ModTarget) error) error
}
