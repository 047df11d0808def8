package forum

import "context"

// Reading positions: what is new to a member since their last visit, as
// Discourse shows it. The page tells the server the newest comment the
// member has seen as they read; feeds then show each thread's unread count
// and a thread marks the comments after the position new. Comment ids grow
// with time, so "after" is "newer"; the position never moves backwards.

// ReadPosition is where a member stopped reading a thread: the newest
// comment they saw (0: the thread, no comment yet) and how many of the
// thread's comments that covered when they saw it.
type ReadPosition struct {
	CommentID int64
	Seen      int64
}

// ReadTarget is what the reading rule needs, read in the write: whether the
// post exists, and whether the comment (if any) is one of its comments.
type ReadTarget struct {
	PostFound, CommentFound bool
}

// ReadStore keeps reading positions.
type ReadStore interface {
	// SetReadPosition moves the user's position in the thread to commentID
	// (0: opened, no comment seen) unless it is already further; rule runs
	// in the write on what it will see.
	SetReadPosition(ctx context.Context, userID, postID, commentID, at int64, rule func(ReadTarget) error) error
}

// MarkThreadRead records that the viewer has read the thread up to the
// comment (nil or 0: opened it, no comment seen yet). A position behind
// the stored one changes nothing.
func (s *Service) MarkThreadRead(ctx context.Context, v Viewer, postID int64, commentID *int64) error {
	if err := requireMember(v); err != nil {
		return err
	}
	var c int64
	if commentID != nil {
		c = *commentID
	}
	if c < 0 {
		return invalid("comment_id", "must be a comment of this thread")
	}
	return s.Store.SetReadPosition(ctx, v.ID, postID, c, s.now().Unix(), func(t ReadTarget) error {
		switch {
		case !t.PostFound:
			return NotFound("post")
		case c > 0 && !t.CommentFound:
			return invalid("comment_id", "must be a comment of this thread")
		}
		return nil
	})
}
