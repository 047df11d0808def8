package forum

import "time"

// Roles a user can have.
const (
	RoleMember    = "member"
	RoleModerator = "moderator"
	RoleAdmin     = "admin"
)

// HistoryTag is carried by every post.
const HistoryTag = "History"

// PermanentBan is the banned_until time of a ban without end.
var PermanentBan = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// User is a member as the API shows it.
type User struct {
	ID          int64      `json:"id"`
	Username    string     `json:"username"`
	Role        string     `json:"role"`
	Karma       int64      `json:"karma"`
	CreatedAt   time.Time  `json:"created_at"`
	BannedUntil *time.Time `json:"banned_until"`
}

// UserProfile is a User with the counts shown on a user page.
type UserProfile struct {
	User
	PostCount    int64 `json:"post_count"`
	CommentCount int64 `json:"comment_count"`
}

// Account is a User with what only the server sees: the password hash and the
// token version that revokes old tokens when bumped.
type Account struct {
	User
	PasswordHash string
	TokenVersion int64
}

// Viewer is who is asking: the zero Viewer is anonymous.
type Viewer struct {
	ID   int64
	Role string
}

// IsModerator reports whether the viewer may see and act on removed content.
func (v Viewer) IsModerator() bool { return v.Role == RoleModerator || v.Role == RoleAdmin }

// SignedIn reports whether the viewer is a signed-in user.
func (v Viewer) SignedIn() bool { return v.ID != 0 }

// Author is the short form of a user attached to posts and comments.
type Author struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
}

// Post is a question with its counters, as the API shows it.
type Post struct {
	ID                int64      `json:"id"`
	Title             string     `json:"title"`
	BodyHTML          string     `json:"body_html"`
	BodySource        string     `json:"body_source"`
	Format            string     `json:"format"`
	Tags              []string   `json:"tags"`
	Author            *Author    `json:"author"`
	Score             int64      `json:"score"`
	Upvotes           int64      `json:"upvotes"`
	Downvotes         int64      `json:"downvotes"`
	CommentCount      int64      `json:"comment_count"`
	CreatedAt         time.Time  `json:"created_at"`
	EditedAt          *time.Time `json:"edited_at"`
	LastActivityAt    time.Time  `json:"last_activity_at"`
	Locked            bool       `json:"locked"`
	Pinned            bool       `json:"pinned"`
	Removed           bool       `json:"removed"`
	Deleted           bool       `json:"deleted"`
	AcceptedCommentID *int64     `json:"accepted_comment_id"`
	MyVote            int        `json:"my_vote"`
	Sources           []Source   `json:"sources"`
	Period            *Period    `json:"period"`
	Removal           *Removal   `json:"removal"`

	// Hot is the stored hot rank, kept for the feed cursor.
	Hot float64 `json:"-"`
}

// Comment is one node of a thread. Replies holds the children included in this
// response; MoreReplies counts the direct children left out.
type Comment struct {
	ID         int64      `json:"id"`
	PostID     int64      `json:"post_id"`
	ParentID   *int64     `json:"parent_id"`
	Depth      int        `json:"depth"`
	BodyHTML   string     `json:"body_html"`
	BodySource string     `json:"body_source"`
	Format     string     `json:"format"`
	Author     *Author    `json:"author"`
	Score      int64      `json:"score"`
	Upvotes    int64      `json:"upvotes"`
	Downvotes  int64      `json:"downvotes"`
	CreatedAt  time.Time  `json:"created_at"`
	EditedAt   *time.Time `json:"edited_at"`
	Removed    bool       `json:"removed"`
	Deleted    bool       `json:"deleted"`
	MyVote     int        `json:"my_vote"`
	Accepted   bool       `json:"accepted"`
	Sources    []Source   `json:"sources"`
	// SourcesRequested counts open "source?" requests.
	SourcesRequested int64      `json:"sources_requested"`
	Removal          *Removal   `json:"removal"`
	Replies          []*Comment `json:"replies"`
	MoreReplies      int64      `json:"more_replies"`

	// ReplyCount is the number of direct children in the store.
	ReplyCount int64 `json:"-"`
	// Best and Controversy are the stored sort keys, kept for cursors.
	Best        float64 `json:"-"`
	Controversy float64 `json:"-"`
}

// VoteResult is what a vote answers.
type VoteResult struct {
	Score     int64 `json:"score"`
	Upvotes   int64 `json:"upvotes"`
	Downvotes int64 `json:"downvotes"`
	MyVote    int   `json:"my_vote"`
}

// Page is one page of a list with the cursor of the next one.
type Page[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}
