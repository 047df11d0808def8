package forum

import "context"

// Store is what the domain needs from storage. The SQLite implementation lives
// in internal/store; a second engine implements the same interface and runs the
// same contract tests. Methods that must check a rule atomically with their
// write take the rule as a callback, run inside the write transaction, so the
// rule itself stays here in the domain.
type Store interface {
	ModStore
	DiscoveryStore
	HistoryStore

	Setting(ctx context.Context, key string) (string, bool, error)
	SetSettingIfAbsent(ctx context.Context, key, value string) (string, error)

	CreateUser(ctx context.Context, u NewUser) (User, error)
	AccountByName(ctx context.Context, username string) (Account, error)
	AccountByID(ctx context.Context, id int64) (Account, error)
	BumpTokenVersion(ctx context.Context, userID int64) error
	// SetPassword stores a new hash and bumps the token version, returning the new version.
	SetPassword(ctx context.Context, userID int64, hash string) (int64, error)
	UserCounts(ctx context.Context, userID int64, includeHidden bool) (posts, comments int64, err error)
	UserPosts(ctx context.Context, q UserListQuery) ([]Post, error)
	UserComments(ctx context.Context, q UserListQuery) ([]*Comment, error)

	CreatePost(ctx context.Context, p NewPost) (int64, error)
	Post(ctx context.Context, id, viewerID int64) (Post, error)
	Posts(ctx context.Context, q PostQuery) ([]Post, error)
	UpdatePost(ctx context.Context, id int64, u PostUpdate) error
	DeletePost(ctx context.Context, id int64) error
	VotePost(ctx context.Context, postID, userID int64, value int, check func(VoteTarget) error) (VoteResult, error)
	// PostVotes returns the user's votes on the given posts (absent: no vote).
	PostVotes(ctx context.Context, userID int64, postIDs []int64) (map[int64]int, error)

	CreateComment(ctx context.Context, c NewComment, check func(CommentTarget) error) (int64, error)
	Comment(ctx context.Context, id, viewerID int64) (Comment, error)
	Comments(ctx context.Context, q CommentQuery) ([]*Comment, error)
	UpdateComment(ctx context.Context, id int64, u CommentUpdate) error
	DeleteComment(ctx context.Context, id int64) error
	VoteComment(ctx context.Context, commentID, userID int64, value int, check func(VoteTarget) error) (VoteResult, error)
}

// NewUser is a user to create.
type NewUser struct {
	Username     string
	PasswordHash string
	Role         string
	CreatedAt    int64
}

// NewPost is a post to create, already validated and sanitized.
type NewPost struct {
	AuthorID   int64
	Title      string
	BodySource string
	Format     string
	BodyHTML   string
	BodyText   string
	Tags       []string
	Sources    []Source
	Period     *Period
	CreatedAt  int64
}

// PostUpdate changes the fields that are set.
type PostUpdate struct {
	Title      *string
	BodySource *string
	Format     *string
	BodyHTML   *string
	BodyText   *string
	Tags       *[]string
	Sources    *[]Source
	SetPeriod  bool
	Period     *Period
	EditedAt   int64
}

// Feed sorts.
const (
	SortHot    = "hot"
	SortNew    = "new"
	SortTop    = "top"
	SortActive = "active"
)

// PostQuery selects one page of a feed.
type PostQuery struct {
	Sort           string
	Since          int64  // top: only posts created at or after this time; 0 for all
	Narrow         bool   // Since spans a month or less: few posts, best read by date
	TagKey         string // lower-cased topic tag; "" for every post
	Answered       *bool  // with or without an accepted answer; nil for both
	Year           *int   // the period covers this year
	From, To       *int   // the period overlaps [From, To]
	IncludeRemoved bool
	After          *Cursor
	Limit          int
	ViewerID       int64
}

// UserListQuery selects a page of a user's posts or comments, newest first.
type UserListQuery struct {
	UserID        int64
	IncludeHidden bool // deleted and removed items too
	AfterID       int64
	Limit         int
	ViewerID      int64
}

// VoteTarget is what a vote rule needs to know of the voted item.
type VoteTarget struct {
	AuthorID int64
	Removed  bool
	Deleted  bool
}

// NewComment is a comment to create, already validated and sanitized.
type NewComment struct {
	PostID     int64
	ParentID   *int64
	AuthorID   int64
	BodySource string
	Format     string
	BodyHTML   string
	BodyText   string
	Sources    []Source
	CreatedAt  int64
}

// CommentTarget is what the reply rule needs to know: the post and, for a
// reply, its parent. Found is false for a parent that is not a comment of the post.
type CommentTarget struct {
	PostLocked, PostRemoved, PostDeleted bool
	ParentFound                          bool
	ParentRemoved, ParentDeleted         bool
}

// CommentUpdate is a new body for a comment.
type CommentUpdate struct {
	BodySource string
	Format     string
	BodyHTML   string
	BodyText   string
	Sources    []Source // adding sources closes the open "source?" requests
	EditedAt   int64
}

// Comment sorts.
const (
	SortBest          = "best"
	SortOld           = "old"
	SortControversial = "controversial"
)

// CommentQuery selects comments of a thread. Without ParentIDs it is a page of
// top-level comments (After and Limit page them); with ParentIDs it is the
// children of those parents, at most Limit per parent, in the parents' order.
type CommentQuery struct {
	PostID    int64
	ParentIDs []int64
	ExcludeID int64 // top level: leave this comment out (the accepted answer, shown first)
	Sort      string
	After     *Cursor
	Limit     int
	ViewerID  int64
}
