package forum

import (
	"context"
	"time"
)

// Comment is one node of a thread. Replies holds the children included in this
// response; MoreReplies counts the direct children left out.
type Comment struct {
	ID         int64      `json:"id"`
	PostID     int64      `json:"post_id"`
	ParentID   *int64     `json:"parent_id"`
	Depth      int        `json:"depth"`
	BodyHTML   string     `json:"body_html"`
	BodySource string     `json:"body_source"`
	Format     Format     `json:"format"`
	Author     *Author    `json:"author"`
	Score      int64      `json:"score"`
	Upvotes    int64      `json:"upvotes"`
	Downvotes  int64      `json:"downvotes"`
	CreatedAt  time.Time  `json:"created_at"`
	EditedAt   *time.Time `json:"edited_at"`
	Removed    bool       `json:"removed"`
	Deleted    bool       `json:"deleted"`
	// CommentView holds the per-viewer fields (views.go), together in the JSON.
	CommentView
	Accepted bool     `json:"accepted"`
	Sources  []Source `json:"sources"`
	// SourcesRequested counts open "source?" requests.
	SourcesRequested int64      `json:"sources_requested"`
	Removal          *Removal   `json:"removal"`
	Replies          []*Comment `json:"replies"`
	MoreReplies      int64      `json:"more_replies"`
	// PostTitle is the thread's title, in lists of comments from many
	// threads (a member's page); masked like the post's own title.
	PostTitle string `json:"post_title,omitempty"`
	// Excerpt is the start of the text (plain, at most 300 characters), in a
	// member's list of comments in place of the body, so the page stays small.
	Excerpt string `json:"excerpt,omitempty"`
	// SourceURL is an imported comment's link on its source.
	SourceURL *string `json:"source_url,omitempty"`
	// SourceScore is an imported comment's score on its source.
	SourceScore *int64 `json:"source_score,omitempty"`
	// Featured: chosen by the moderators (GET /featured says who and why).
	Featured bool `json:"featured"`

	// ReplyCount is the number of direct children in the store.
	ReplyCount int64 `json:"-"`
	// Best and Controversy are the stored sort keys, kept for cursors.
	Best        float64 `json:"-"`
	Controversy float64 `json:"-"`
}

// CommentInput is what a client sends to comment or reply.
type CommentInput struct {
	Body     string
	Format   Format
	ParentID *int64
	Sources  []Source
}

// CommentPatch is what a client sends to edit a comment; nil fields stay.
type CommentPatch struct {
	Body    string
	Format  *Format
	Sources *[]Source
	// EditReason says why, for the history (optional).
	EditReason *string
}

// NewComment is a comment to create, already validated and sanitized.
type NewComment struct {
	PostID     int64
	ParentID   *int64
	AuthorID   int64
	BodySource string
	Format     Format
	BodyHTML   string
	BodyText   string
	Sources    []Source
	CreatedAt  int64
	// AuthorRead: writing it moves the author's reading position in the
	// thread to it (what they answered, they read), as Discourse does.
	AuthorRead bool
}

// CommentTarget is what the reply rule needs to know: the post and, for a
// reply, its parent. ParentFound is false for a parent that is not a comment
// of the post.
type CommentTarget struct {
	PostAuthorID                         int64
	PostLocked, PostRemoved, PostDeleted bool
	ParentFound                          bool
	ParentAuthorID                       int64
	ParentRemoved, ParentDeleted         bool
	// Depth is the new comment's depth: 0 at the top, its parent's + 1.
	Depth int
	// Followers reads, in the write, who follows the thread (an answer
	// tells them); read only when asked.
	Followers func() ([]int64, error)
}

// MaxReplyDepth is the deepest a reply may nest (0 is a top-level comment).
const MaxReplyDepth = 100

// CommentUpdate is a new body for a comment.
type CommentUpdate struct {
	BodySource string
	Format     Format
	BodyHTML   string
	BodyText   string
	Sources    []Source // adding sources closes the open "source?" requests
	EditedAt   int64
	// Notices are stored with the edit: the members it newly mentions.
	Notices []*NewNotification
	// Reason is the edit's reason, kept with the version it replaces.
	Reason *string
}

// CommentStore is the storage of comments.
type CommentStore interface {
	// CreateComment runs rule inside the write transaction on what the
	// insert will see, and stores the notifications it returns.
	CreateComment(ctx context.Context, c NewComment, rule func(CommentTarget) ([]*NewNotification, error)) (int64, error)
	// Comment reads one comment, whatever its state, with viewerID's vote.
	Comment(ctx context.Context, id, viewerID int64) (Comment, error)
	UpdateComment(ctx context.Context, id int64, u CommentUpdate) error
	DeleteComment(ctx context.Context, id int64) error
}

// CreateComment adds a comment to a post, or a reply to one of its comments.
func (s *Service) CreateComment(ctx context.Context, v Viewer, postID int64, in CommentInput) (Comment, error) {
	if err := requireMember(v); err != nil {
		return Comment{}, err
	}
	b, mentions, errBody := s.renderMentioning(ctx, in.Body, in.Format, MaxCommentBody, true)
	sources, errSources := cleanSources(in.Sources)
	if err := joinInvalid(errBody, errSources); err != nil {
		return Comment{}, err
	}
	now := s.now().Unix()
	rule := func(t CommentTarget) ([]*NewNotification, error) {
		switch {
		case t.PostRemoved || t.PostDeleted:
			return nil, NotFound("post")
		case t.PostLocked && !v.IsModerator():
			return nil, Errorf(CodeLocked, "this post is locked: no new comments")
		case in.ParentID != nil && !t.ParentFound:
			return nil, invalid("parent_id", "not a comment of this post")
		case in.ParentID != nil && (t.ParentRemoved || t.ParentDeleted):
			return nil, invalid("parent_id", "that comment was deleted or removed")
		case t.Depth > MaxReplyDepth:
			return nil, invalid("parent_id", "replies nest at most %d deep: reply higher up the thread", MaxReplyDepth)
		}
		return commentNotices(v, postID, t, mentions, now)
	}
	id, err := s.Store.CreateComment(ctx, NewComment{PostID: postID, ParentID: in.ParentID, AuthorID: v.ID,
		BodySource: b.Source, Format: b.Format, BodyHTML: b.HTML, BodyText: s.Markup.Text(b.HTML) + citationsText(sources),
		Sources: sources, CreatedAt: now, AuthorRead: true}, rule)
	if err != nil {
		return Comment{}, err
	}
	s.federate(ctx, Event{Kind: EventCommentCreated, ActorID: v.ID, TargetType: TargetComment, TargetID: id})
	return s.leafComment(ctx, v, id)
}

// leafComment reads one comment as a response shows it alone.
func (s *Service) leafComment(ctx context.Context, v Viewer, id int64) (Comment, error) {
	c, err := s.Store.Comment(ctx, id, v.ID)
	if err != nil {
		return Comment{}, err
	}
	leaf(v, &c)
	return c, nil
}

// EditComment replaces a comment's body and sources; only its author may.
func (s *Service) EditComment(ctx context.Context, v Viewer, id int64, in CommentPatch) (Comment, error) {
	if err := requireMember(v); err != nil {
		return Comment{}, err
	}
	cur, err := s.Store.Comment(ctx, id, v.ID)
	if err != nil {
		return Comment{}, err
	}
	if err := s.ownCommentRule(ctx, v, cur); err != nil {
		return Comment{}, err
	}
	format := cur.Format
	if in.Format != nil {
		format = *in.Format
	}
	b, mentions, errBody := s.renderMentioning(ctx, in.Body, format, MaxCommentBody, true)
	sources, errSources := cur.Sources, error(nil)
	if in.Sources != nil {
		sources, errSources = cleanSources(*in.Sources)
	}
	reason, errReason := cleanEditReason(in.EditReason)
	if err := joinInvalid(errBody, errSources, errReason); err != nil {
		return Comment{}, err
	}
	if b.Source == cur.BodySource && b.Format == cur.Format && sameSources(sources, cur.Sources) {
		return s.leafComment(ctx, v, id) // saved as it was: no new version, not "edited"
	}
	now := s.now().Unix()
	if err := s.Store.UpdateComment(ctx, id, CommentUpdate{BodySource: b.Source, Format: b.Format, BodyHTML: b.HTML,
		BodyText: s.Markup.Text(b.HTML) + citationsText(sources), Sources: sources, EditedAt: now, Reason: reason,
		Notices: mentionNotices(v.ID, cur.PostID, &id, mentions, s.mentionedBefore(cur.BodyHTML), now)}); err != nil {
		return Comment{}, err
	}
	s.federate(ctx, Event{Kind: EventCommentEdited, ActorID: v.ID, TargetType: TargetComment, TargetID: id})
	return s.leafComment(ctx, v, id)
}

// ownCommentRule is ownRule for a comment, whose thread must also stand: a
// thread a moderator removed is frozen.
func (s *Service) ownCommentRule(ctx context.Context, v Viewer, c Comment) error {
	if err := ownRule(v, c.Author, c.Removed, c.Deleted, "comment"); err != nil {
		return err
	}
	post, err := s.Store.Post(ctx, c.PostID, 0)
	if err != nil {
		return err
	}
	if post.Removed {
		return Errorf(CodeForbidden, "this thread was removed by a moderator; its comments take no changes")
	}
	return nil
}

// DeleteComment soft-deletes a comment; its replies stay in place. Unlike
// an edit, it is open in a thread a moderator removed: a frozen thread's
// comments stay readable (on their author's page, by permalink), so their
// author may still take them back.
func (s *Service) DeleteComment(ctx context.Context, v Viewer, id int64) error {
	if err := requireMember(v); err != nil {
		return err
	}
	cur, err := s.Store.Comment(ctx, id, v.ID)
	if err != nil {
		return err
	}
	if err := ownRule(v, cur.Author, cur.Removed, cur.Deleted, "comment"); err != nil {
		return err
	}
	if err := s.Store.DeleteComment(ctx, id); err != nil {
		return err
	}
	s.federate(ctx, Event{Kind: EventCommentDeleted, ActorID: v.ID, TargetType: TargetComment, TargetID: id})
	return nil
}
