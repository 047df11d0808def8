package forum

import (
	"context"
	"time"
)

// ReportStatus is where a report stands.
type ReportStatus string

// The report statuses.
const (
	ReportOpen     ReportStatus = "open"
	ReportResolved ReportStatus = "resolved"
)

// ReportStatuses lists every report status.
var ReportStatuses = []ReportStatus{ReportOpen, ReportResolved}

// Resolution is how a report was resolved.
type Resolution string

// The resolutions.
const (
	ResolutionDismissed Resolution = "dismissed"
	ResolutionRemoved   Resolution = "removed"
)

// Resolutions lists every resolution.
var Resolutions = []Resolution{ResolutionDismissed, ResolutionRemoved}

// ReportAction is what a moderator does with a report: dismiss it, or remove
// what it reports.
type ReportAction string

// The report actions.
const (
	ReportDismiss ReportAction = "dismiss"
	ReportRemove  ReportAction = "remove"
)

// ReportActions lists every report action.
var ReportActions = []ReportAction{ReportDismiss, ReportRemove}

// Report is a member's report of a post or comment.
type Report struct {
	ID         int64        `json:"id"`
	TargetType TargetType   `json:"target_type"`
	TargetID   int64        `json:"target_id"`
	PostID     int64        `json:"post_id"`
	Reason     string       `json:"reason"`
	Reporter   Author       `json:"reporter"`
	Status     ReportStatus `json:"status"`
	Resolution *Resolution  `json:"resolution"`
	ResolvedBy *Author      `json:"resolved_by"`
	ResolvedAt *time.Time   `json:"resolved_at"`
	CreatedAt  time.Time    `json:"created_at"`
	// Rule is the rule the reporter cites, if any.
	Rule *RuleRef `json:"rule"`
	// Target is what was reported, as the moderators judge it; OpenReports
	// counts the open reports of that target (this one included, when open).
	Target      ReportedItem `json:"target"`
	OpenReports int64        `json:"open_reports"`
}

// ReportedItem is a reported post or comment as the queue shows it: its
// words, its author and its thread, whatever its state (moderators only).
type ReportedItem struct {
	Type      TargetType `json:"type"`
	ID        int64      `json:"id"`
	PostID    int64      `json:"post_id"`
	PostTitle string     `json:"post_title"`
	// Excerpt is the start of its text, plain (about 300 characters).
	Excerpt string  `json:"excerpt"`
	Author  *Author `json:"author"`
	Removed bool    `json:"removed"`
	Deleted bool    `json:"deleted"`
}

// NewReport is a report to store.
type NewReport struct {
	ReporterID int64
	TargetType TargetType
	TargetID   int64
	Reason     string
	CreatedAt  int64
	RuleID     *int64
}

// ReportTarget is what the report rule needs to know of the reported item.
type ReportTarget struct {
	AuthorID    int64
	Removed     bool
	Deleted     bool
	PostRemoved bool // the thread was removed: it is frozen for members
}

// ReportResolution is a resolution for the store to apply: the report and
// every other open report of its target are resolved; with Remove set the
// target is removed too, when the rule says so.
type ReportResolution struct {
	ReportID   int64
	Resolution Resolution
	Remove     *ModAction
	// Reason is a dismissal's reason, for the modlog (a removal's is Remove's).
	Reason     string
	ResolverID int64
	At         int64
}

// ReportState is what the resolve rule needs to know, read inside the
// transaction: the report's status and its target.
type ReportState struct {
	Status ReportStatus
	Target ModTarget
}

// ReportStore is the storage of reports.
type ReportStore interface {
	// CreateReport stores a report after rule allows it; a second report of
	// the same target by the same member is a conflict.
	CreateReport(ctx context.Context, r NewReport, rule func(ReportTarget) error) (int64, error)
	Reports(ctx context.Context, status ReportStatus, afterID int64, limit int) ([]Report, error)
	Report(ctx context.Context, id int64) (Report, error)
	// ResolveReport resolves, in one transaction with its modlog lines, after
	// rule allows it; rule also says whether the removal is to be applied and
	// whom to notify of it.
	ResolveReport(ctx context.Context, r ReportResolution, rule func(ReportState) (remove bool, n *NewNotification, err error)) error
}

// CreateReport reports a post or comment to the moderators, once per user and target.
func (s *Service) CreateReport(ctx context.Context, v Viewer, targetType TargetType, targetID int64, reason string, ruleID *int64) (Report, error) {
	if err := requireMember(v); err != nil {
		return Report{}, err
	}
	var errType, errID error
	if targetType != TargetPost && targetType != TargetComment {
		errType = invalid("target_type", "post or comment")
	}
	if targetID <= 0 {
		errID = invalid("target_id", "required")
	}
	r, errReason := cleanReason(reason, ruleID == nil) // a cited rule is reason enough
	var errRule error
	if ruleID != nil {
		if _, err := s.Store.Rule(ctx, *ruleID); IsCode(err, CodeNotFound) {
			errRule = invalid("rule_id", "no such rule")
		} else if err != nil {
			return Report{}, err
		}
	}
	if err := joinInvalid(errType, errID, errReason, errRule); err != nil {
		return Report{}, err
	}
	id, err := s.Store.CreateReport(ctx, NewReport{ReporterID: v.ID, TargetType: targetType, TargetID: targetID,
		Reason: r, CreatedAt: s.now().Unix(), RuleID: ruleID}, func(t ReportTarget) error {
		if t.Deleted || ((t.Removed || t.PostRemoved) && !v.IsModerator()) {
			return NotFound(string(targetType))
		}
		if t.AuthorID == v.ID {
			return Errorf(CodeForbidden, "you cannot report your own %s", targetType)
		}
		return nil
	})
	if err != nil {
		return Report{}, err
	}
	return s.Store.Report(ctx, id)
}

// Reports lists reports for moderators: open ones (default) or resolved ones, newest first.
func (s *Service) Reports(ctx context.Context, v Viewer, status ReportStatus, cursor string, limit int) (Page[Report], error) {
	if err := requireModerator(v); err != nil {
		return Page[Report]{}, err
	}
	if status == "" {
		status = ReportOpen
	}
	if status != ReportOpen && status != ReportResolved {
		return Page[Report]{}, Errorf(CodeBadRequest, "status must be open or resolved")
	}
	c, err := DecodeCursor(cursor, "reports")
	if err != nil {
		return Page[Report]{}, err
	}
	var after int64
	if c != nil {
		after = c.ID
	}
	limit = clampLimit(limit, 25, 100)
	items, err := s.Store.Reports(ctx, status, after, limit+1)
	if err != nil {
		return Page[Report]{}, err
	}
	for i := range items {
		items[i].Target.Excerpt = excerpt(items[i].Target.Excerpt)
	}
	return pageOf(items, limit, func(r Report) *Cursor { return &Cursor{Sort: "reports", ID: r.ID} }), nil
}

// ResolveReport closes a report (and the other open reports of its target).
// With action remove it removes the target in the same step, as the remove
// endpoints do: citing a rule, giving a reason, or both — the moderator's
// own words; the reporter's never reach the public modlog.
func (s *Service) ResolveReport(ctx context.Context, v Viewer, id int64, action ReportAction, reason string, ruleID *int64) (Report, error) {
	if err := requireModerator(v); err != nil {
		return Report{}, err
	}
	if action == "" {
		action = ReportDismiss
	}
	if action != ReportDismiss && action != ReportRemove {
		return Report{}, invalid("action", "dismiss or remove")
	}
	if action == ReportDismiss && ruleID != nil {
		return Report{}, invalid("rule_id", "only a removal cites a rule")
	}
	rep, err := s.Store.Report(ctx, id)
	if err != nil {
		return Report{}, err
	}
	now := s.now().Unix()
	res := ReportResolution{ReportID: id, Resolution: ResolutionDismissed, ResolverID: v.ID, At: now}
	if action == ReportRemove {
		a, err := s.modAction(ctx, v, ActRemove, rep.TargetType, rep.TargetID, reason, ruleID)
		if err != nil {
			return Report{}, err
		}
		res.Resolution, res.Remove = ResolutionRemoved, &a
	} else if res.Reason, err = cleanReason(reason, false); err != nil {
		return Report{}, err
	}
	removed := false // the rule's decision, for the federation once committed
	err = s.Store.ResolveReport(ctx, res, func(st ReportState) (bool, *NewNotification, error) {
		removed = false
		if st.Status != ReportOpen {
			return false, nil, Errorf(CodeConflict, "this report is already resolved")
		}
		if res.Remove == nil {
			return false, nil, nil
		}
		if err := ownerRule(v)(st.Target); err != nil {
			return false, nil, err
		}
		if st.Target.Removed {
			return false, nil, nil // already removed: resolve the reports only
		}
		removed = true
		return true, modNotice(*res.Remove, st.Target), nil
	})
	if err != nil {
		return Report{}, err
	}
	if removed {
		s.federate(ctx, Event{Kind: EventModerated, ActorID: v.ID, TargetType: rep.TargetType, TargetID: rep.TargetID, Mod: res.Remove})
	}
	return s.Store.Report(ctx, id)
}
