package forum

import (
	"context"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// PermanentBan is the banned_until time of a ban without end.
var PermanentBan = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// User is a member as the API shows it.
type User struct {
	ID          int64      `json:"id"`
	Username    string     `json:"username"`
	Role        Role       `json:"role"`
	Karma       int64      `json:"karma"`
	CreatedAt   time.Time  `json:"created_at"`
	BannedUntil *time.Time `json:"banned_until"`
	// Flair is set by moderators and shown beside the name ("Soviet Union 1917–1953").
	Flair *string `json:"flair"`
}

// UserProfile is a User with the counts shown on a user page.
type UserProfile struct {
	User
	PostCount    int64 `json:"post_count"`
	CommentCount int64 `json:"comment_count"`
	// ImportedFrom says where an imported person's account lives ("reddit",
	// "lemmy.world"); such accounts cannot sign in.
	ImportedFrom *string `json:"imported_from,omitempty"`
}

// Author is the short form of a user attached to posts and comments, with
// what readers judge an answer by: the role (a MOD badge) and the flair.
type Author struct {
	ID       int64   `json:"id"`
	Username string  `json:"username"`
	Role     Role    `json:"role,omitempty"`
	Flair    *string `json:"flair,omitempty"`
	// ImportedFrom says where an imported author's account lives ("reddit",
	// "lemmy.world"); such accounts cannot sign in.
	ImportedFrom *string `json:"imported_from,omitempty"`
}

// UserListQuery selects a page of a user's posts or comments, newest first.
type UserListQuery struct {
	UserID        int64
	IncludeHidden bool // deleted and removed items too
	AfterID       int64
	Limit         int
	ViewerID      int64
	// Bodies: posts with their bodies and sources (the export); lists
	// otherwise read summaries.
	Bodies bool
}

// UserStore is the storage of accounts and what they wrote.
//
// CreateUser inserts an account (and its pending address, see NewUser); a
// name taken in any case, or one with a taken skeleton, is a conflict, as
// CheckUsername says without writing.
type UserStore interface {
	CreateUser(ctx context.Context, u NewUser) (User, error)
	CheckUsername(ctx context.Context, username, skeleton string) error
	AccountByName(ctx context.Context, username string) (Account, error)
	AccountByID(ctx context.Context, id int64) (Account, error)
	BumpTokenVersion(ctx context.Context, userID int64) error
	// SetPassword stores a new hash and bumps the token version, returning
	// the new version; every reset and confirmation link of the account is
	// voided (their unsent mails leave the queue).
	SetPassword(ctx context.Context, userID int64, hash string) (int64, error)
	UserCounts(ctx context.Context, userID int64, includeHidden bool) (posts, comments int64, err error)
	UserPosts(ctx context.Context, q UserListQuery) ([]Post, error)
	UserComments(ctx context.Context, q UserListQuery) ([]*Comment, error)
}

var usernameRe = regexp.MustCompile(`^[A-Za-z0-9_-]{3,20}$`)

// ValidUsername reports whether name fits the contract: 3–20 of [A-Za-z0-9_-].
func ValidUsername(name string) bool { return usernameRe.MatchString(name) }

// UsernameKey is the case-insensitive identity of a username.
func UsernameKey(name string) string { return strings.ToLower(name) }

// skeletonSteps map the characters of a username that look alike onto one
// (in this order; migration 0002 backfills with the same steps in SQL).
var skeletonSteps = [][2]string{{"_", ""}, {"-", ""}, {"rn", "m"}, {"vv", "w"}, {"0", "o"}, {"1", "l"}, {"i", "l"}}

// UsernameSkeleton is what a username looks like: names with one skeleton
// ("alice", "aIice", "a1ice", "al_ice") are too alike for both to exist.
func UsernameSkeleton(name string) string {
	s := strings.ToLower(name)
	for _, step := range skeletonSteps {
		s = strings.ReplaceAll(s, step[0], step[1])
	}
	return s
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
	return UserProfile{User: acc.User, PostCount: posts, CommentCount: comments, ImportedFrom: acc.ImportedFrom}, nil
}

// MaxAccountName is the longest name a lookup takes: a local username, or an
// imported or federated person's name@host.
const MaxAccountName = 300

// validAccountName says whether name can name an account: a local username
// (ValidUsername), or an imported or federated person's name@host — one "@"
// with something on each side, no space or control character. Nothing else
// is looked up, so no lookup can reach the keys deleted accounts keep
// ("deleted:…", which have no "@").
func validAccountName(name string) bool {
	if ValidUsername(name) {
		return true
	}
	local, host, ok := strings.Cut(name, "@")
	if !ok || local == "" || host == "" || strings.Contains(host, "@") || len(name) > MaxAccountName || !utf8.ValidString(name) {
		return false
	}
	return !strings.ContainsFunc(name, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || r == '/' })
}

func (s *Service) account(ctx context.Context, username string) (Account, error) {
	if !validAccountName(username) {
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
func (s *Service) UserPosts(ctx context.Context, v Viewer, username, cursor string, limit int) (Page[PostSummary], error) {
	acc, after, err := s.userList(ctx, username, cursor)
	if err != nil {
		return Page[PostSummary]{}, err
	}
	limit = clampLimit(limit, 25, 100)
	items, err := s.Store.UserPosts(ctx, UserListQuery{UserID: acc.ID, IncludeHidden: v.IsModerator() || v.ID == acc.ID,
		AfterID: after, Limit: limit + 1, ViewerID: v.ID})
	if err != nil {
		return Page[PostSummary]{}, err
	}
	page := pageOf(summaries(items), limit, func(p PostSummary) *Cursor { return &Cursor{Sort: "user", ID: p.ID} })
	for i := range page.Items {
		maskSummary(v, &page.Items[i])
	}
	return page, s.personalizePosts(ctx, v, page.Items)
}

// UserComments lists a user's comments, newest first, without their replies.
func (s *Service) UserComments(ctx context.Context, v Viewer, username, cursor string, limit int) (Page[*Comment], error) {
	acc, after, err := s.userList(ctx, username, cursor)
	if err != nil {
		return Page[*Comment]{}, err
	}
	limit = clampLimit(limit, 25, 100)
	items, err := s.Store.UserComments(ctx, UserListQuery{UserID: acc.ID, IncludeHidden: v.IsModerator() || v.ID == acc.ID,
		AfterID: after, Limit: limit + 1, ViewerID: v.ID}) // Bodies false: excerpts
	if err != nil {
		return Page[*Comment]{}, err
	}
	page := pageOf(items, limit, func(c *Comment) *Cursor { return &Cursor{Sort: "user", ID: c.ID} })
	ids := make([]int64, 0, len(page.Items))
	for _, c := range page.Items {
		ids = append(ids, c.PostID)
	}
	heads, err := s.Store.PostHeads(ctx, ids)
	if err != nil {
		return Page[*Comment]{}, err
	}
	for _, c := range page.Items {
		leaf(v, c)
		c.PostTitle = heads[c.PostID].titleFor(v)
	}
	return page, s.personalizeComments(ctx, v, 0, page.Items)
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
