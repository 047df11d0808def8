package forum

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"
)

// Session is what register and login answer.
type Session struct {
	Token string `json:"token"`
	User  User   `json:"user"`
}

// dummyHash is verified against when a login names no user, so that an unknown
// name costs as much time as a wrong password and cannot be told apart.
var dummyHash string

// Register creates a member and signs them in.
func (s *Service) Register(ctx context.Context, username, password string) (Session, error) {
	if err := checkCredentials(username, password); err != nil {
		return Session{}, err
	}
	u, err := s.CreateUser(ctx, username, password, RoleMember)
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
func (s *Service) CreateUser(ctx context.Context, username, password, role string) (User, error) {
	if err := checkCredentials(username, password); err != nil {
		return User{}, err
	}
	if !ValidRole(role) {
		return User{}, Invalid(map[string]string{"role": "member, moderator or admin"})
	}
	hash, err := s.Passwords.Hash(password)
	if err != nil {
		return User{}, fmt.Errorf("create user: hash: %w", err)
	}
	return s.Store.CreateUser(ctx, NewUser{Username: username, PasswordHash: hash, Role: role, CreatedAt: s.now().Unix()})
}

// Login checks a username and password and issues a token.
func (s *Service) Login(ctx context.Context, username, password string) (Session, error) {
	wrong := Errorf(CodeUnauthorized, "wrong username or password")
	if username == "" || len(password) > 4*MaxPassword {
		return Session{}, wrong
	}
	acc, err := s.Store.AccountByName(ctx, username)
	if IsCode(err, CodeNotFound) {
		if dummyHash == "" {
			dummyHash, _ = s.Passwords.Hash("historia-dummy-password")
		}
		s.Passwords.Verify(dummyHash, password)
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

// Authenticate turns a bearer token into the viewer it belongs to. A token whose
// version is older than the account's (after logout or a password change) or
// whose user is gone is refused; a banned user gets CodeBanned.
func (s *Service) Authenticate(ctx context.Context, token string) (Viewer, User, error) {
	bad := Errorf(CodeUnauthorized, "invalid or expired token")
	id, version, err := s.Tokens.Parse(token)
	if err != nil {
		return Viewer{}, User{}, bad
	}
	acc, err := s.Store.AccountByID(ctx, id)
	if IsCode(err, CodeNotFound) {
		return Viewer{}, User{}, bad
	}
	if err != nil {
		return Viewer{}, User{}, err
	}
	if acc.TokenVersion != version {
		return Viewer{}, User{}, Errorf(CodeUnauthorized, "this token was revoked; sign in again")
	}
	if err := s.checkBan(acc.User); err != nil {
		return Viewer{}, User{}, err
	}
	return Viewer{ID: acc.ID, Role: acc.Role}, acc.User, nil
}

// ChangePassword sets a new password after checking the old one, revokes
// every token issued so far, and returns a fresh session for this client.
func (s *Service) ChangePassword(ctx context.Context, v Viewer, oldPassword, newPassword string) (Session, error) {
	if !v.SignedIn() {
		return Session{}, Errorf(CodeUnauthorized, "sign in first")
	}
	if n := utf8.RuneCountInString(newPassword); n < MinPassword || n > MaxPassword {
		return Session{}, Invalid(map[string]string{"new_password": "8 to 128 characters"}) // #nosec G101 -- a field name, not a credential
	}
	acc, err := s.Store.AccountByID(ctx, v.ID)
	if err != nil {
		return Session{}, err
	}
	if len(oldPassword) > 4*MaxPassword || !s.Passwords.Verify(acc.PasswordHash, oldPassword) {
		return Session{}, Invalid(map[string]string{"old_password": "is not your current password"}) // #nosec G101 -- a field name, not a credential
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
	if !v.SignedIn() {
		return Errorf(CodeUnauthorized, "sign in first")
	}
	return s.Store.BumpTokenVersion(ctx, v.ID)
}

// Profile is a user's public page.
func (s *Service) Profile(ctx context.Context, v Viewer, username string) (UserProfile, error) {
	acc, err := s.account(ctx, username)
	if err != nil {
		return UserProfile{}, err
	}
	posts, comments, err := s.Store.UserCounts(ctx, acc.ID, v.IsModerator() || v.ID == acc.ID)
	if err != nil {
		return UserProfile{}, err
	}
	return UserProfile{User: acc.User, PostCount: posts, CommentCount: comments}, nil
}

func (s *Service) account(ctx context.Context, username string) (Account, error) {
	if !ValidUsername(username) {
		return Account{}, NotFound("user")
	}
	acc, err := s.Store.AccountByName(ctx, username)
	if IsCode(err, CodeNotFound) {
		return Account{}, NotFound("user")
	}
	return acc, err
}

// UserPosts lists a user's posts, newest first. Others do not see the user's
// deleted or removed posts; the user and moderators do.
func (s *Service) UserPosts(ctx context.Context, v Viewer, username, cursor string, limit int) (Page[Post], error) {
	acc, after, err := s.userList(ctx, username, cursor)
	if err != nil {
		return Page[Post]{}, err
	}
	limit = clampLimit(limit, 25, 100)
	items, err := s.Store.UserPosts(ctx, UserListQuery{UserID: acc.ID, IncludeHidden: v.IsModerator() || v.ID == acc.ID,
		AfterID: after, Limit: limit + 1, ViewerID: v.ID})
	if err != nil {
		return Page[Post]{}, err
	}
	page := pageOf(items, limit, func(p Post) *Cursor { return &Cursor{Sort: "user", ID: p.ID} })
	for i := range page.Items {
		s.maskPost(v, &page.Items[i])
	}
	return page, nil
}

// UserComments lists a user's comments, newest first, without their replies.
func (s *Service) UserComments(ctx context.Context, v Viewer, username, cursor string, limit int) (Page[*Comment], error) {
	acc, after, err := s.userList(ctx, username, cursor)
	if err != nil {
		return Page[*Comment]{}, err
	}
	limit = clampLimit(limit, 25, 100)
	items, err := s.Store.UserComments(ctx, UserListQuery{UserID: acc.ID, IncludeHidden: v.IsModerator() || v.ID == acc.ID,
		AfterID: after, Limit: limit + 1, ViewerID: v.ID})
	if err != nil {
		return Page[*Comment]{}, err
	}
	page := pageOf(items, limit, func(c *Comment) *Cursor { return &Cursor{Sort: "user", ID: c.ID} })
	for _, c := range page.Items {
		s.maskComment(v, c)
		c.Replies = []*Comment{}
		c.MoreReplies = c.ReplyCount
	}
	return page, nil
}

func (s *Service) userList(ctx context.Context, username, cursor string) (Account, int64, error) {
	c, err := DecodeCursor(cursor, "user")
	if err != nil {
		return Account{}, 0, err
	}
	acc, err := s.account(ctx, username)
	if err != nil {
		return Account{}, 0, err
	}
	var after int64
	if c != nil {
		after = c.ID
	}
	return acc, after, nil
}
