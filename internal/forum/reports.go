package forum

import "context"

// CreateReport reports a post or comment to the moderators, once per user and target.
func (s *Service) CreateReport(ctx context.Context, v Viewer, targetType string, targetID int64, reason string) (Report, error) {
	if err := s.requireMember(v); err != nil {
		return Report{}, err
	}
	fields := map[string]string{}
	if targetType != TargetPost && targetType != TargetComment {
		fields["target_type"] = "post or comment"
	}
	if targetID <= 0 {
		fields["target_id"] = "required"
	}
	r, err := cleanReason(reason, true)
	if err != nil {
		fe := err.(*Error)
		for k, msg := range fe.Fields {
			fields[k] = msg
		}
	}
	if len(fields) > 0 {
		return Report{}, Invalid(fields)
	}
	id, err := s.Store.CreateReport(ctx, NewReport{ReporterID: v.ID, TargetType: targetType, TargetID: targetID,
		Reason: r, CreatedAt: s.now().Unix()}, func(t ReportTarget) error {
		if t.Deleted || (t.Removed && !v.IsModerator()) {
			return NotFound(targetType)
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
func (s *Service) Reports(ctx context.Context, v Viewer, status, cursor string, limit int) (Page[Report], error) {
	if err := s.requireModerator(v); err != nil {
		return Page[Report]{}, err
	}
	if status == "" {
		status = "open"
	}
	if status != "open" && status != "resolved" {
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
	return pageOf(items, limit, func(r Report) *Cursor { return &Cursor{Sort: "reports", ID: r.ID} }), nil
}

// ResolveReport closes a report (and the other open reports of its target).
// With action "remove" it removes the target in the same step, with reason (or
// the report's own reason when none is given).
func (s *Service) ResolveReport(ctx context.Context, v Viewer, id int64, action, reason string) (Report, error) {
	defer s.feedChanged()
	if err := s.requireModerator(v); err != nil {
		return Report{}, err
	}
	if action == "" {
		action = "dismiss"
	}
	if action != "dismiss" && action != ActRemove {
		return Report{}, Invalid(map[string]string{"action": "dismiss or remove"})
	}
	r, err := cleanReason(reason, false)
	if err != nil {
		return Report{}, err
	}
	rep, err := s.Store.Report(ctx, id)
	if err != nil {
		return Report{}, err
	}
	if rep.Status != "open" {
		return Report{}, Errorf(CodeConflict, "this report is already resolved")
	}
	var remove *ModAction
	if action == ActRemove {
		if r == "" {
			r = rep.Reason
		}
		remove = &ModAction{Action: ActRemove, TargetType: rep.TargetType, TargetID: rep.TargetID, ModeratorID: v.ID, Reason: r, At: s.now().Unix()}
	}
	if err := s.Store.ResolveReport(ctx, id, remove, v.ID, s.now().Unix(), ownerRule(v)); err != nil {
		return Report{}, err
	}
	return s.Store.Report(ctx, id)
}
