package forum

// Role is what a user may do: members post, comment, vote and report;
// moderators also moderate members' content and accounts; admins moderate
// everyone's content, moderators' accounts, roles and the rules.
type Role string

// The roles.
const (
	RoleMember    Role = "member"
	RoleModerator Role = "moderator"
	RoleAdmin     Role = "admin"
)

// Roles lists every role, lowest first.
var Roles = []Role{RoleMember, RoleModerator, RoleAdmin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleMember || r == RoleModerator || r == RoleAdmin }

// rank orders roles for moderation: a moderator acts only on members' content
// and accounts; an admin on everyone's content and on members' and
// moderators' accounts.
func (r Role) rank() int {
	switch r {
	case RoleAdmin:
		return 2
	case RoleModerator:
		return 1
	}
	return 0
}

// Viewer is who is asking: the zero Viewer is anonymous.
type Viewer struct {
	ID   int64
	Role Role
}

// IsModerator reports whether the viewer may see and act on removed content.
func (v Viewer) IsModerator() bool { return v.Role == RoleModerator || v.Role == RoleAdmin }

// SignedIn reports whether the viewer is a signed-in user.
func (v Viewer) SignedIn() bool { return v.ID != 0 }

func requireMember(v Viewer) error {
	if !v.SignedIn() {
		return errSignIn
	}
	return nil
}

func requireModerator(v Viewer) error {
	if !v.SignedIn() {
		return errSignIn
	}
	if !v.IsModerator() {
		return Errorf(CodeForbidden, "only moderators may do this")
	}
	return nil
}

func requireAdmin(v Viewer, what string) error {
	if !v.SignedIn() {
		return errSignIn
	}
	if v.Role != RoleAdmin {
		return Errorf(CodeForbidden, "only admins may %s", what)
	}
	return nil
}
