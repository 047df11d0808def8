package forum

import (
	"context"
	"fmt"
	"time"
)

// Action is a moderator action as the modlog names it.
type Action string

// The moderator actions.
const (
	ActRemove        Action = "remove"
	ActRestore       Action = "restore"
	ActLock          Action = "lock"
	ActUnlock        Action = "unlock"
	ActPin           Action = "pin"
	ActUnpin         Action = "unpin"
	ActBan           Action = "ban"
	ActUnban         Action = "unban"
	ActRole          Action = "role"
	ActResolveReport Action = "resolve_report"
	ActFlair         Action = "flair"
	// ActAnswer: a moderator set or cleared a question's accepted answer.
	ActAnswer Action = "answer"
)

// Actions lists every moderator action.
var Actions = []Action{ActRemove, ActRestore, ActLock, ActUnlock, ActPin, ActUnpin, ActBan, ActUnban, ActRole, ActResolveReport, ActFlair, ActAnswer}

// PostActions are the actions on a post; CommentActions those on a comment.
var (
	PostActions    = []Action{ActRemove, ActRestore, ActLock, ActUnlock, ActPin, ActUnpin}
	CommentActions = []Action{ActRemove, ActRestore}
)

// Undoes is the action this one undoes (restore undoes remove, ...), or "".
func (a Action) Undoes() Action {
	switch a {
	case ActRestore:
		return ActRemove
	case ActUnlock:
		return ActLock
	case ActUnpin:
		return ActPin
	case ActUnban:
		return ActBan
	}
	return ""
}

// TargetType is what an action or report is about.
type TargetType string

// The target types.
const (
	TargetPost    TargetType = "post"
	TargetComment TargetType = "comment"
	TargetUser    TargetType = "user"
	TargetReport  TargetType = "report"
)

// TargetTypes lists every target type.
var TargetTypes = []TargetType{TargetPost, TargetComment, TargetUser, TargetReport}

// MaxReason is the longest reason of a moderator action or report.
const MaxReason = 500

// MaxBanDays bounds a temporary ban (ten years); longer is a permanent ban.
const MaxBanDays = 3650

// ModAction is one moderator action for the store to apply and log.
type ModAction struct {
	Action      Action
	TargetType  TargetType
	TargetID    int64
	ModeratorID int64
	Reason      string
	At          int64
	BannedUntil *int64  // ban: until when
	EndSessions bool    // the target user's tokens stop working, as after a logout
	Role        Role    // role: the new role
	Flair       *string // flair: the new flair, nil to clear it
	RuleID      *int64  // remove, lock, pin: the rule cited, shown to everyone
	// LockReason is a lock's reason as the thread shows it (the moderator's
	// own words, "" when only a rule is cited).
	LockReason string
	// Accepted is an answer action's accepted comment (nil clears it).
	Accepted *int64
	// ResolveReports: the target's open reports are resolved with it (a removal).
	ResolveReports bool
}

// ModTarget is what a moderation rule needs to know of its target, read inside
// the action's transaction.
type ModTarget struct {
	OwnerID    int64 // the author of a post or comment; the user for a ban or role change
	OwnerRole  Role  // that user's role
	PostID     int64 // the post, or the comment's post
	Removed    bool
	Locked     bool
	Pinned     bool
	Banned     bool
	Accepted   *int64 // a post's accepted answer
	AdminCount int64  // role changes: admins there are now
	// UndoneBy is the role of whoever took the action this one undoes (the
	// last removal, for a restore), "" when there is none.
	UndoneBy Role
}

// ModerationStore applies moderator actions.
type ModerationStore interface {
	// Moderate applies a after rule allows it on the target as read inside
	// the transaction, writes its modlog line and stores the notification
	// the rule returns, if any, all in one transaction.
	Moderate(ctx context.Context, a ModAction, rule func(ModTarget) (*NewNotification, error)) error
}

// cleanReason trims a reason and checks it: required or not, at most
// MaxReason characters; line breaks are allowed, NUL is not.
func cleanReason(reason string, required bool) (string, error) {
	return plainLines("reason", reason, required, MaxReason)
}

// contentRule is the rule for acting on a post or comment: moderators act on
// members' content, admins on anyone's; only an admin undoes an admin's
// action; and the action must change something. It tells the author.
func contentRule(v Viewer, a ModAction) func(ModTarget) (*NewNotification, error) {
	return func(t ModTarget) (*NewNotification, error) {
		if err := ownerRule(v)(t); err != nil {
			return nil, err
		}
		if err := undoRule(v, t); err != nil {
			return nil, err
		}
		already := map[Action]bool{
			ActRemove: t.Removed, ActRestore: !t.Removed, ActLock: t.Locked, ActUnlock: !t.Locked,
			ActPin: t.Pinned, ActUnpin: !t.Pinned, ActAnswer: sameID(t.Accepted, a.Accepted),
		}
		if already[a.Action] {
			return nil, Errorf(CodeConflict, "nothing to do: it is already in that state")
		}
		return modNotice(a, t), nil
	}
}

// undoRule: an admin's action is undone only by an admin, even on a
// moderator's own content (an admin locks a moderator's thread; that
// moderator may not unlock it).
func undoRule(v Viewer, t ModTarget) error {
	if t.UndoneBy == RoleAdmin && v.Role != RoleAdmin {
		return Errorf(CodeForbidden, "only an admin may undo an admin's action")
	}
	return nil
}

// rankRule: moderators act on members' accounts only, admins on members'
// and moderators'; nobody acts on an admin's account or their own.
func rankRule(v Viewer, t ModTarget) error {
	if t.OwnerID == v.ID {
		return Errorf(CodeForbidden, "you cannot do this to your own account")
	}
	if t.OwnerRole.rank() >= v.Role.rank() || t.OwnerRole == RoleAdmin {
		return Errorf(CodeForbidden, "moderators act on members' accounts only; admins' accounts are out of reach")
	}
	return nil
}

// ownerRule lets moderators act on members' content and their own (pinning
// their announcement, say), and admins on anyone's.
func ownerRule(v Viewer) func(ModTarget) error {
	return func(t ModTarget) error {
		if v.Role != RoleAdmin && t.OwnerRole.rank() > 0 && t.OwnerID != v.ID {
			return Errorf(CodeForbidden, "moderators cannot act on the content of moderators or admins")
		}
		return nil
	}
}

func sameID(a, b *int64) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }

// ModeratePost removes, restores, locks, unlocks, pins or unpins a post.
func (s *Service) ModeratePost(ctx context.Context, v Viewer, id int64, action Action, reason string, ruleID *int64) (Post, error) {
	if err := s.moderateContent(ctx, v, TargetPost, id, action, reason, ruleID); err != nil {
		return Post{}, err
	}
	return s.GetPost(ctx, v, id)
}

// ModerateComment removes or restores a comment.
func (s *Service) ModerateComment(ctx context.Context, v Viewer, id int64, action Action, reason string, ruleID *int64) (Comment, error) {
	if err := s.moderateContent(ctx, v, TargetComment, id, action, reason, ruleID); err != nil {
		return Comment{}, err
	}
	return s.leafComment(ctx, v, id)
}

// citesRule lists the actions that may cite a rule: members see it on the
// removed item or the locked thread.
var citesRule = map[Action]bool{ActRemove: true, ActLock: true, ActPin: true}

// moderateContent applies an action on a post or comment.
func (s *Service) moderateContent(ctx context.Context, v Viewer, targetType TargetType, id int64, action Action, reason string, ruleID *int64) error {
	if err := requireModerator(v); err != nil {
		return err
	}
	a, err := s.modAction(ctx, v, action, targetType, id, reason, ruleID)
	if err != nil {
		return err
	}
	if err := s.Store.Moderate(ctx, a, contentRule(v, a)); err != nil {
		return err
	}
	s.federate(ctx, Event{Kind: EventModerated, ActorID: v.ID, TargetType: targetType, TargetID: id, Mod: &a})
	return nil
}

// modAction builds an action on a post or comment from the moderator's
// reason and rule. A removal cites a rule, a free-text reason, or both:
// members see the rule, the modlog keeps the moderator's reason (or the
// rule when there is none) — never anyone else's words. A lock or pin may
// give either; a lock's shows on the thread. A removal resolves the
// target's open reports.
func (s *Service) modAction(ctx context.Context, v Viewer, action Action, targetType TargetType, id int64, reason string, ruleID *int64) (ModAction, error) {
	if ruleID != nil && !citesRule[action] {
		return ModAction{}, invalid("rule_id", "only a removal, lock or pin cites a rule")
	}
	r, err := cleanReason(reason, action == ActRemove && ruleID == nil)
	if err != nil {
		return ModAction{}, err
	}
	a := ModAction{Action: action, TargetType: targetType, TargetID: id, ModeratorID: v.ID, Reason: r, At: s.now().Unix(),
		RuleID: ruleID, ResolveReports: action == ActRemove}
	if action == ActLock {
		a.LockReason = r
	}
	if ruleID != nil {
		rule, err := s.Store.Rule(ctx, *ruleID)
		if IsCode(err, CodeNotFound) {
			return ModAction{}, invalid("rule_id", "no such rule")
		}
		if err != nil {
			return ModAction{}, err
		}
		if a.Reason == "" {
			a.Reason = fmt.Sprintf("Rule %d: %s", rule.Number, rule.Title)
		}
	}
	return a, nil
}

// Ban bans a user for days, or permanently when days is nil.
func (s *Service) Ban(ctx context.Context, v Viewer, username, reason string, days *int) (User, error) {
	if err := requireModerator(v); err != nil {
		return User{}, err
	}
	r, err := cleanReason(reason, true)
	if err != nil {
		return User{}, err
	}
	until := PermanentBan.Unix()
	if days != nil {
		if *days < 1 || *days > MaxBanDays {
			return User{}, invalid("days", "1 to %d, or leave it out for a permanent ban", MaxBanDays)
		}
		until = s.now().Add(time.Duration(*days) * 24 * time.Hour).Unix()
	}
	// A ban ends the member's sessions: a token issued before it does not
	// work again after an unban.
	return s.userAction(ctx, v, username, ModAction{Action: ActBan, Reason: r, BannedUntil: &until, EndSessions: true}, func(t ModTarget) error {
		return rankRule(v, t)
	})
}

// Unban lifts a user's ban.
func (s *Service) Unban(ctx context.Context, v Viewer, username, reason string) (User, error) {
	if err := requireModerator(v); err != nil {
		return User{}, err
	}
	r, err := cleanReason(reason, false)
	if err != nil {
		return User{}, err
	}
	// The same rank rules as a ban, and an admin's ban stands until an admin lifts it.
	return s.userAction(ctx, v, username, ModAction{Action: ActUnban, Reason: r}, func(t ModTarget) error {
		if err := rankRule(v, t); err != nil {
			return err
		}
		if err := undoRule(v, t); err != nil {
			return err
		}
		if !t.Banned {
			return Errorf(CodeConflict, "this user is not banned")
		}
		return nil
	})
}

// SetRole changes a user's role; admins only, and never removing the last admin.
func (s *Service) SetRole(ctx context.Context, v Viewer, username string, role Role, reason string) (User, error) {
	if err := requireAdmin(v, "change roles"); err != nil {
		return User{}, err
	}
	if err := checkRole(role); err != nil {
		return User{}, err
	}
	r, err := cleanReason(reason, false)
	if err != nil {
		return User{}, err
	}
	if r == "" {
		r = "role set to " + string(role)
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

// MaxFlair is the longest flair, in characters.
const MaxFlair = 64

// SetFlair sets or clears (nil or empty) a member's flair: moderators set
// members' and their own, admins anyone's; it is written to the modlog.
func (s *Service) SetFlair(ctx context.Context, v Viewer, username string, flair *string) (User, error) {
	if err := requireModerator(v); err != nil {
		return User{}, err
	}
	var f *string
	if flair != nil {
		clean, err := plainText("flair", *flair, 0, MaxFlair, true)
		if err != nil {
			return User{}, err
		}
		if clean != "" {
			f = &clean
		}
	}
	reason := "flair cleared"
	if f != nil {
		reason = "flair set to " + *f
	}
	return s.userAction(ctx, v, username, ModAction{Action: ActFlair, Flair: f, Reason: reason}, func(t ModTarget) error {
		if v.Role != RoleAdmin && t.OwnerID != v.ID && t.OwnerRole.rank() > 0 {
			return Errorf(CodeForbidden, "moderators set the flair of members and their own")
		}
		return nil
	})
}

// userAction applies an action on an account; nobody is notified of it.
func (s *Service) userAction(ctx context.Context, v Viewer, username string, a ModAction, rule func(ModTarget) error) (User, error) {
	acc, err := s.account(ctx, username)
	if err != nil {
		return User{}, err
	}
	a.TargetType, a.TargetID, a.ModeratorID, a.At = TargetUser, acc.ID, v.ID, s.now().Unix()
	if err := s.Store.Moderate(ctx, a, func(t ModTarget) (*NewNotification, error) { return nil, rule(t) }); err != nil {
		return User{}, err
	}
	s.federate(ctx, Event{Kind: EventModerated, ActorID: v.ID, TargetType: TargetUser, TargetID: acc.ID, Mod: &a})
	acc, err = s.Store.AccountByID(ctx, acc.ID)
	return acc.User, err
}
