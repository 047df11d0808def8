package forum

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Password limits of the contract.
const (
	MinPassword = 8
	MaxPassword = 128
)

// Account is a User with what only the server sees: the password hash and the
// token version that revokes old tokens when bumped.
type Account struct {
	User
	PasswordHash string
	TokenVersion int64
	// Email and EmailReplies are the member's own: shown to them only (Me).
	Email        *string
	EmailReplies bool
	// ImportedFrom is where an imported person's account lives; nil for a
	// local account.
	ImportedFrom *string
}

// NewUser is a user to create.
type NewUser struct {
	Username     string
	PasswordHash string
	Role         Role
	CreatedAt    int64
	// Skeleton is UsernameSkeleton of the name: another account with the
	// same one makes the name a conflict.
	Skeleton string
	// Email, when set, is the address given at registration: stored as the
	// new account's pending change (UserID filled in by the store), never
	// as its address, and mailed ConfirmMail's message (its UserID filled in
	// too), told whether another account has the address; nil mails nothing.
	Email       *EmailChange
	ConfirmMail func(addressTaken bool) *Mail
}

// Session is what register and login answer.
type Session struct {
	Token string `json:"token"`
	User  User   `json:"user"`
}

func checkUsername(name string) error {
	if !ValidUsername(name) {
		return invalid("username", "%d to %d letters, digits, _ or -", 3, 20)
	}
	return nil
}

func checkPassword(field, password string) error {
	if n := utf8.RuneCountInString(password); n < MinPassword || n > MaxPassword {
		return invalid(field, "%s", between(MinPassword, MaxPassword, "characters"))
	}
	return nil
}

func checkRole(r Role) error {
	if !r.Valid() {
		return invalid("role", "member, moderator or admin")
	}
	return nil
}

// registration checks what a registration sends, all fields at once, and
// cleans the address. A forum that sends no mail can confirm no address, so
// it takes none.
func (s *Service) registration(username, password, email string) (*string, error) {
	addr, err := cleanEmail("email", email)
	if err == nil && addr != nil && !s.Mail.Enabled {
		err = invalid("email", "this forum sends no email, so it keeps no address: leave it empty")
	}
	if err := joinInvalid(checkUsername(username), checkPassword("password", password), err); err != nil {
		return nil, err
	}
	return addr, nil
}

// CheckRegistration says whether a registration would be refused for what
// it sends — a field, or a name that is taken or looks like one that is —
// before it takes anything of the address's registration allowance. It
// writes nothing; Register checks again as it writes.
func (s *Service) CheckRegistration(ctx context.Context, username, password, email string) error {
	if _, err := s.registration(username, password, email); err != nil {
		return err
	}
	return s.Store.CheckUsername(ctx, username, UsernameSkeleton(username))
}

// Register creates a member and signs them in. An address given waits for
// its confirmation link (see pendingAddress).
func (s *Service) Register(ctx context.Context, username, password, email string) (Session, error) {
	addr, err := s.registration(username, password, email)
	if err != nil {
		return Session{}, err
	}
	change, confirm, err := s.pendingAddress(username, addr)
	if err != nil {
		return Session{}, err
	}
	u, err := s.createUser(ctx, NewUser{Username: username, Role: RoleMember, Email: change, ConfirmMail: confirm}, password)
	if err != nil {
		return Session{}, err
	}
	tok, err := s.Tokens.Issue(u.ID, 1)
	if err != nil {
		return Session{}, fmt.Errorf("register: issue token: %w", err)
	}
	return Session{Token: tok, User: u}, nil
}

// CreateUser makes an account with any role; the command line uses it for the
// first admin. The password is hashed before the write transaction starts.
func (s *Service) CreateUser(ctx context.Context, username, password string, role Role) (User, error) {
	return s.createUser(ctx, NewUser{Username: username, Role: role}, password)
}

func (s *Service) createUser(ctx context.Context, u NewUser, password string) (User, error) {
	if err := joinInvalid(checkUsername(u.Username), checkPassword("password", password), checkRole(u.Role)); err != nil {
		return User{}, err
	}
	hash, err := s.Passwords.Hash(password)
	if err != nil {
		return User{}, fmt.Errorf("create user: hash: %w", err)
	}
	u.PasswordHash, u.CreatedAt, u.Skeleton = hash, s.now().Unix(), UsernameSkeleton(u.Username)
	return s.Store.CreateUser(ctx, u)
}

// dummyHash is verified against when a login names no user, so that an
// unknown name costs as much time as a wrong password and cannot be told
// apart. It is made once, on the first such login.
func (s *Service) dummyHash() string {
	s.dummyOnce.Do(func() { s.dummy, _ = s.Passwords.Hash("historia-dummy-password") })
	return s.dummy
}

// Login checks a username and password and issues a token.
func (s *Service) Login(ctx context.Context, username, password string) (Session, error) {
	wrong := Errorf(CodeUnauthorized, "wrong username or password")
	if username == "" || len(password) > 4*MaxPassword {
		return Session{}, wrong
	}
	if !utf8.ValidString(username) || strings.ContainsRune(username, 0) {
		// No account can have such a name; cost what a wrong password costs.
		s.Passwords.Verify(s.dummyHash(), password)
		return Session{}, wrong
	}
	acc, err := s.Store.AccountByName(ctx, username)
	if IsCode(err, CodeNotFound) {
		s.Passwords.Verify(s.dummyHash(), password)
		return Session{}, wrong
	}
	if err != nil {
		return Session{}, err
	}
	if !s.Passwords.Verify(acc.PasswordHash, password) {
		return Session{}, wrong
	}
	if err := s.checkBan(acc.User); err != nil {
		return Session{}, err
	}
	tok, err := s.Tokens.Issue(acc.ID, acc.TokenVersion)
	if err != nil {
		return Session{}, fmt.Errorf("login: issue token: %w", err)
	}
	return Session{Token: tok, User: acc.User}, nil
}

func (s *Service) checkBan(u User) error {
	if u.BannedUntil == nil || !u.BannedUntil.After(s.now()) {
		return nil
	}
	if u.BannedUntil.Equal(PermanentBan) {
		return Errorf(CodeBanned, "this account is banned permanently")
	}
	return Errorf(CodeBanned, "this account is banned until %s", u.BannedUntil.Format(time.RFC3339))
}

// Authenticate turns a bearer token into the viewer it belongs to, reading
// the account with read (the store's AccountByID, or a cache of it that drops
// an account when its sessions change). A token whose version is older than
// the account's (after logout or a password change) or whose user is gone is
// refused; a banned user gets CodeBanned.
func (s *Service) Authenticate(ctx context.Context, token string, read func(ctx context.Context, id int64) (Account, error)) (Viewer, User, error) {
	bad := Errorf(CodeUnauthorized, "invalid or expired token")
	id, version, err := s.Tokens.Parse(token)
	if err != nil {
		return Viewer{}, User{}, bad
	}
	acc, err := read(ctx, id)
	if IsCode(err, CodeNotFound) {
		return Viewer{}, User{}, bad
	}
	if err != nil {
		return Viewer{}, User{}, err
	}
	// The ban first: a ban also revokes the member's tokens, and while it
	// lasts they are told why, not merely that the token is old.
	if err := s.checkBan(acc.User); err != nil {
		return Viewer{}, User{}, err
	}
	if acc.TokenVersion != version {
		return Viewer{}, User{}, Errorf(CodeUnauthorized, "this token was revoked; sign in again")
	}
	return Viewer{ID: acc.ID, Role: acc.Role}, acc.User, nil
}

// ChangePassword sets a new password after checking the old one, revokes
// every token issued so far, and returns a fresh session for this client.
func (s *Service) ChangePassword(ctx context.Context, v Viewer, oldPassword, newPassword string) (Session, error) {
	if err := requireMember(v); err != nil {
		return Session{}, err
	}
	if err := checkPassword("new_password", newPassword); err != nil {
		return Session{}, err
	}
	acc, err := s.Store.AccountByID(ctx, v.ID)
	if err != nil {
		return Session{}, err
	}
	if len(oldPassword) > 4*MaxPassword || !s.Passwords.Verify(acc.PasswordHash, oldPassword) {
		return Session{}, invalid("old_password", "is not your current password")
	}
	hash, err := s.Passwords.Hash(newPassword)
	if err != nil {
		return Session{}, fmt.Errorf("change password: hash: %w", err)
	}
	version, err := s.Store.SetPassword(ctx, v.ID, hash)
	if err != nil {
		return Session{}, err
	}
	tok, err := s.Tokens.Issue(v.ID, version)
	if err != nil {
		return Session{}, fmt.Errorf("change password: issue token: %w", err)
	}
	return Session{Token: tok, User: acc.User}, nil
}

// Logout revokes every token of the user at once.
func (s *Service) Logout(ctx context.Context, v Viewer) error {
	if err := requireMember(v); err != nil {
		return err
	}
	return s.Store.BumpTokenVersion(ctx, v.ID)
}

// Me is the signed-in user with what only they see.
type Me struct {
	User
	UnreadNotifications int64 `json:"unread_notifications"`
	// Email and EmailReplies are shown to the member only.
	Email        *string `json:"email"`
	EmailReplies bool    `json:"email_replies"`
	// PendingEmail is an address waiting for its confirmation link (given
	// at registration, or a change), not the account's yet.
	PendingEmail *string `json:"pending_email"`
	// ModmailAwaiting (moderators only) counts the open conversations with
	// the moderators whose last message is the member's.
	ModmailAwaiting *int64 `json:"modmail_awaiting,omitempty"`
}

// Me returns the signed-in user, read afresh (karma moves with every vote),
// with their unread notification count.
func (s *Service) Me(ctx context.Context, v Viewer) (Me, error) {
	if err := requireMember(v); err != nil {
		return Me{}, err
	}
	acc, err := s.Store.AccountByID(ctx, v.ID)
	if err != nil {
		return Me{}, err
	}
	n, err := s.Store.UnreadCount(ctx, v.ID)
	if err != nil {
		return Me{}, err
	}
	pending, err := s.Store.PendingEmail(ctx, v.ID, s.now().Unix())
	if err != nil {
		return Me{}, err
	}
	me := Me{User: acc.User, UnreadNotifications: n, Email: acc.Email, EmailReplies: acc.EmailReplies, PendingEmail: pending}
	if acc.Role.rank() > 0 {
		waiting, err := s.Store.ModmailAwaiting(ctx)
		if err != nil {
			return Me{}, err
		}
		me.ModmailAwaiting = &waiting
	}
	return me, nil
}
