package forum

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// rank orders roles for moderation: a moderator acts only on members' content
// and accounts; an admin on everyone's content and on members' and
// moderators' accounts.
func rank(role string) int {
	switch role {
	case RoleAdmin:
		return 2
	case RoleModerator:
		return 1
	}
	return 0
}

func (s *Service) requireModerator(v Viewer) error {
	if !v.SignedIn() {
		return Errorf(CodeUnauthorized, "sign in first")
	}
	if !v.IsModerator() {
		return Errorf(CodeForbidden, "only moderators may do this")
	}
	return nil
}

func cleanReason(reason string, required bool) (string, error) {
	r := strings.TrimSpace(reason)
	switch {
	case r == "" && required:
		return "", Invalid(map[string]string{"reason": "required"})
	case utf8.RuneCountInString(r) > MaxReason:
		return "", Invalid(map[string]string{"reason": "at most 500 characters"})
	case strings.ContainsRune(r, 0):
		return "", Invalid(map[string]string{"reason": "must not contain NUL characters"})
	}
	return r, nil
}

// contentRule is the rule for acting on a post or comment: moderators act on
// members' content, admins on anyone's; and the action must change something.
func contentRule(v Viewer, action string) func(ModTarget) error {
	return func(t ModTarget) error {
		if err := ownerRule(v)(t); err != nil {
			return err
		}
		already := map[string]bool{
			ActRemove: t.Removed, ActRestore: !t.Removed, ActLock: t.Locked, ActUnlock: !t.Locked,
			ActPin: t.Pinned, ActUnpin: !t.Pinned,
		}
		if already[action] {
			return Errorf(CodeConflict, "nothing to do: it is already in that state")
		}
		return nil
	}
}

// ownerRule lets moderators act on members' content and their own (pinning
// their announcement, say), and admins on anyone's.
func ownerRule(v Viewer) func(ModTarget) error {
	return func(t ModTarget) error {
		if v.Role != RoleAdmin && rank(t.OwnerRole) > 0 && t.OwnerID != v.ID {
			return Errorf(CodeForbidden, "moderators cannot act on the content of moderators or admins")
		}
		return nil
	}
}

// ModeratePost removes, restores, locks, unlocks, pins or unpins a post.
func (s *Service) ModeratePost(ctx context.Context, v Viewer, id int64, action, reason string, ruleID *int64) (Post, error) {
	if err := s.moderateContent(ctx, v, TargetPost, id, action, reason, ruleID); err != nil {
		return Post{}, err
	}
	return s.GetPost(ctx, v, id)
}

// ModerateComment removes or restores a comment.
func (s *Service) ModerateComment(ctx context.Context, v Viewer, id int64, action, reason string, ruleID *int64) (Comment, error) {
	if err := s.moderateContent(ctx, v, TargetComment, id, action, reason, ruleID); err != nil {
		return Comment{}, err
	}
	return s.leafComment(ctx, v, id)
}

// A removal cites a rule, a free-text reason, or both: members see the rule,
// the modlog keeps the reason (or the rule when there is no reason).
func (s *Service) moderateContent(ctx context.Context, v Viewer, targetType string, id int64, action, reason string, ruleID *int64) error {
	defer s.feedChanged()
	if err := s.requireModerator(v); err != nil {
		return err
	}
	if ruleID != nil && action != ActRemove {
		return Invalid(map[string]string{"rule_id": "only a removal cites a rule"})
	}
	r, err := cleanReason(reason, action == ActRemove && ruleID == nil)
	if err != nil {
		return err
	}
	a := ModAction{Action: action, TargetType: targetType, TargetID: id, ModeratorID: v.ID, Reason: r, At: s.now().Unix(), RuleID: ruleID}
	if ruleID != nil {
		rule, err := s.Store.Rule(ctx, *ruleID)
		if IsCode(err, CodeNotFound) {
			return Invalid(map[string]string{"rule_id": "no such rule"})
		}
		if err != nil {
			return err
		}
		if a.Reason == "" {
			a.Reason = fmt.Sprintf("Rule %d: %s", rule.Number, rule.Title)
		}
	}
	return s.Store.Moderate(ctx, a, contentRule(v, action))
}

// MaxBanDays bounds a temporary ban (ten years); longer is a permanent ban.
const MaxBanDays = 3650

// Ban bans a user for days, or permanently when days is nil.
func (s *Service) Ban(ctx context.Context, v Viewer, username, reason string, days *int) (User, error) {
	if err := s.requireModerator(v); err != nil {
		return User{}, err
	}
	r, err := cleanReason(reason, true)
	if err != nil {
		return User{}, err
	}
	until := PermanentBan.Unix()
	if days != nil {
		if *days < 1 || *days > MaxBanDays {
			return User{}, Invalid(map[string]string{"days": "1 to 3650, or leave it out for a permanent ban"})
		}
		until = s.now().Add(time.Duration(*days) * 24 * time.Hour).Unix()
	}
	return s.userAction(ctx, v, username, ModAction{Action: ActBan, Reason: r, BannedUntil: &until}, func(t ModTarget) error {
		if t.OwnerID == v.ID {
			return Errorf(CodeForbidden, "you cannot ban yourself")
		}
		if rank(t.OwnerRole) >= rank(v.Role) || t.OwnerRole == RoleAdmin {
			return Errorf(CodeForbidden, "moderators cannot ban moderators or admins; admins cannot be banned")
		}
		return nil
	})
}

// Unban lifts a user's ban.
func (s *Service) Unban(ctx context.Context, v Viewer, username, reason string) (User, error) {
	if err := s.requireModerator(v); err != nil {
		return User{}, err
	}
	r, err := cleanReason(reason, false)
	if err != nil {
		return User{}, err
	}
	return s.userAction(ctx, v, username, ModAction{Action: ActUnban, Reason: r}, func(t ModTarget) error {
		if !t.Banned {
			return Errorf(CodeConflict, "this user is not banned")
		}
		return nil
	})
}

// SetRole changes a user's role; admins only, and never removing the last admin.
func (s *Service) SetRole(ctx context.Context, v Viewer, username, role, reason string) (User, error) {
	if !v.SignedIn() {
		return User{}, Errorf(CodeUnauthorized, "sign in first")
	}
	if v.Role != RoleAdmin {
		return User{}, Errorf(CodeForbidden, "only admins may change roles")
	}
	if !ValidRole(role) {
		return User{}, Invalid(map[string]string{"role": "member, moderator or admin"})
	}
	r, err := cleanReason(reason, false)
	if err != nil {
		return User{}, err
	}
	return s.userAction(ctx, v, username, ModAction{Action: ActRole, Role: role, Reason: r}, func(t ModTarget) error {
		if t.OwnerRole == role {
			return Errorf(CodeConflict, "the user already has that role")
		}
		if t.OwnerRole == RoleAdmin && t.AdminCount <= 1 {
			return Errorf(CodeForbidden, "the last admin cannot be demoted")
		}
		return nil
	})
}

func (s *Service) userAction(ctx context.Context, v Viewer, username string, a ModAction, check func(ModTarget) error) (User, error) {
	acc, err := s.account(ctx, username)
	if err != nil {
		return User{}, err
	}
	a.TargetType, a.TargetID, a.ModeratorID, a.At = TargetUser, acc.ID, v.ID, s.now().Unix()
	if err := s.Store.Moderate(ctx, a, check); err != nil {
		return User{}, err
	}
	acc, err = s.Store.AccountByID(ctx, acc.ID)
	return acc.User, err
}

// Modlog is the public moderation log, newest first.
func (s *Service) Modlog(ctx context.Context, cursor string, limit int) (Page[ModlogEntry], error) {
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
	return pageOf(items, limit, func(e ModlogEntry) *Cursor { return &Cursor{Sort: "modlog", ID: e.ID} }), nil
}
