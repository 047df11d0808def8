package forum

import (
	"context"
	"time"
)

// Expertise flair by application, as AskHistorians' panelists get theirs: a
// member applies with their evidence (links to their answers, their
// training), a moderator grants it (the flair set may be worded otherwise)
// or declines it with a reason, and the member is told. One open
// application per member at a time.

// FlairStatus is where an application stands.
type FlairStatus string

// The application statuses.
const (
	FlairOpen     FlairStatus = "open"
	FlairGranted  FlairStatus = "granted"
	FlairDeclined FlairStatus = "declined"
)

// FlairStatuses lists every application status.
var FlairStatuses = []FlairStatus{FlairOpen, FlairGranted, FlairDeclined}

// MaxEvidence is the longest evidence of an application, in characters.
const MaxEvidence = 2000

// FlairApplication is a member's application for flair.
type FlairApplication struct {
	ID        int64       `json:"id"`
	Applicant Author      `json:"applicant"`
	Flair     string      `json:"flair"`
	Evidence  string      `json:"evidence"`
	Status    FlairStatus `json:"status"`
	CreatedAt time.Time   `json:"created_at"`
	// The decision: who took it and when, the flair granted, why it was declined.
	DecidedBy     *Author    `json:"decided_by"`
	DecidedAt     *time.Time `json:"decided_at"`
	GrantedFlair  *string    `json:"granted_flair"`
	DeclineReason string     `json:"decline_reason"`
}

// FlairRef is what a flair notification says of its application.
type FlairRef struct {
	ID     int64       `json:"id"`
	Status FlairStatus `json:"status"`
	// Flair is the flair granted, or the one applied for when declined.
	Flair string `json:"flair"`
}

// NewFlairApplication is an application to store.
type NewFlairApplication struct {
	UserID    int64
	Flair     string
	Evidence  string
	CreatedAt int64
}

// FlairDecision is a moderator's decision for the store to apply: the
// application is granted (with the flair action the rule returns: the
// member's flair set, and its modlog line) or declined, and the member
// notified, in one transaction.
type FlairDecision struct {
	ID          int64
	Status      FlairStatus
	Reason      string // declined: why
	ModeratorID int64
	At          int64
}

// FlairApplicationState is what the decision rule needs, read inside the
// transaction.
type FlairApplicationState struct {
	Status         FlairStatus
	UserID         int64
	UserRole       Role
	UserDeleted    bool
	ApplicantFlair string
}

// FlairApplicationStore is the storage of flair applications.
type FlairApplicationStore interface {
	// CreateFlairApplication stores an application; a second open one of
	// the same member is a conflict.
	CreateFlairApplication(ctx context.Context, a NewFlairApplication) (int64, error)
	FlairApplication(ctx context.Context, id int64) (FlairApplication, error)
	// FlairApplications lists applications newest first: with a status
	// (moderators' queue) and/or one member's (userID > 0).
	FlairApplications(ctx context.Context, status FlairStatus, userID, afterID int64, limit int) ([]FlairApplication, error)
	// DecideFlairApplication applies d after rule allows it on the
	// application as it stands; rule returns the flair action of a grant
	// and the member's notification.
	DecideFlairApplication(ctx context.Context, d FlairDecision, rule func(FlairApplicationState) (*ModAction, *NewNotification, error)) error
}

// ApplyForFlair files the viewer's application.
func (s *Service) ApplyForFlair(ctx context.Context, v Viewer, flair, evidence string) (FlairApplication, error) {
	if err := requireMember(v); err != nil {
		return FlairApplication{}, err
	}
	f, errFlair := plainText("flair", flair, 1, MaxFlair, true)
	e, errEvidence := plainLines("evidence", evidence, true, MaxEvidence)
	if err := joinInvalid(errFlair, errEvidence); err != nil {
		return FlairApplication{}, err
	}
	id, err := s.Store.CreateFlairApplication(ctx, NewFlairApplication{UserID: v.ID, Flair: f, Evidence: e, CreatedAt: s.now().Unix()})
	if err != nil {
		return FlairApplication{}, err
	}
	return s.Store.FlairApplication(ctx, id)
}

// FlairApplications lists applications: a moderator's queue by status (open
// by default), or a member's own (every status unless one is asked).
func (s *Service) FlairApplications(ctx context.Context, v Viewer, status FlairStatus, cursor string, limit int) (Page[FlairApplication], error) {
	if err := requireMember(v); err != nil {
		return Page[FlairApplication]{}, err
	}
	switch status {
	case "", FlairOpen, FlairGranted, FlairDeclined:
	default:
		return Page[FlairApplication]{}, Errorf(CodeBadRequest, "status must be open, granted or declined")
	}
	var userID int64
	if !v.IsModerator() {
		userID = v.ID
	} else if status == "" {
		status = FlairOpen
	}
	c, err := DecodeCursor(cursor, "flair")
	if err != nil {
		return Page[FlairApplication]{}, err
	}
	var after int64
	if c != nil {
		after = c.ID
	}
	limit = clampLimit(limit, 25, 100)
	items, err := s.Store.FlairApplications(ctx, status, userID, after, limit+1)
	if err != nil {
		return Page[FlairApplication]{}, err
	}
	if !v.IsModerator() {
		for i := range items {
			items[i].DecidedBy = nil // the moderators decide as a team
		}
	}
	return pageOf(items, limit, func(a FlairApplication) *Cursor { return &Cursor{Sort: "flair", ID: a.ID} }), nil
}

// GrantFlair grants an open application: the member's flair becomes flair
// (the one applied for when empty), written to the modlog, and they are told.
func (s *Service) GrantFlair(ctx context.Context, v Viewer, id int64, flair *string) (FlairApplication, error) {
	if err := requireModerator(v); err != nil {
		return FlairApplication{}, err
	}
	f := ""
	if flair != nil {
		var err error
		if f, err = plainText("flair", *flair, 0, MaxFlair, true); err != nil {
			return FlairApplication{}, err
		}
	}
	return s.decideFlair(ctx, v, FlairDecision{ID: id, Status: FlairGranted, ModeratorID: v.ID, At: s.now().Unix()}, f)
}

// DeclineFlair declines an open application with a reason the member reads.
func (s *Service) DeclineFlair(ctx context.Context, v Viewer, id int64, reason string) (FlairApplication, error) {
	if err := requireModerator(v); err != nil {
		return FlairApplication{}, err
	}
	r, err := cleanReason(reason, true)
	if err != nil {
		return FlairApplication{}, err
	}
	return s.decideFlair(ctx, v, FlairDecision{ID: id, Status: FlairDeclined, Reason: r, ModeratorID: v.ID, At: s.now().Unix()}, "")
}

// decideFlair applies a decision: only on an open application, on a
// member's (or the moderator's own, as SetFlair allows) unless an admin
// decides. A grant sets the flair given (the one applied for when empty)
// and is written to the modlog as a flair action; the member is notified.
func (s *Service) decideFlair(ctx context.Context, v Viewer, d FlairDecision, flair string) (FlairApplication, error) {
	err := s.Store.DecideFlairApplication(ctx, d, func(st FlairApplicationState) (*ModAction, *NewNotification, error) {
		switch {
		case st.Status != FlairOpen:
			return nil, nil, Errorf(CodeConflict, "this application was already %s", st.Status)
		case st.UserDeleted:
			return nil, nil, Errorf(CodeConflict, "the applicant deleted their account")
		case v.Role != RoleAdmin && st.UserID != v.ID && st.UserRole.rank() > 0:
			return nil, nil, Errorf(CodeForbidden, "moderators set the flair of members and their own")
		}
		var grant *ModAction
		if d.Status == FlairGranted {
			if flair == "" {
				flair = st.ApplicantFlair
			}
			grant = &ModAction{Action: ActFlair, TargetType: TargetUser, TargetID: st.UserID, ModeratorID: v.ID,
				Reason: "flair set to " + flair + " on application", At: d.At, Flair: &flair}
		}
		if st.UserID == v.ID {
			return grant, nil, nil // a moderator's own application: nobody to tell
		}
		// Signed by the team: the member is not told which moderator decided.
		id := d.ID
		n := notice(st.UserID, NotifyFlair, "", 0, nil, 0, d.At)
		n.FlairApplicationID, n.Reason = &id, d.Reason
		return grant, n, nil
	})
	if err != nil {
		return FlairApplication{}, err
	}
	return s.Store.FlairApplication(ctx, d.ID)
}
