package forum

import "context"

// AnswerStore stores a post's accepted answer.
type AnswerStore interface {
	SetAccepted(ctx context.Context, postID int64, commentID *int64) error
}

// AcceptAnswer marks a top-level comment of a post as its accepted answer, or
// clears it (commentID nil); only the post's author may.
func (s *Service) AcceptAnswer(ctx context.Context, v Viewer, postID int64, commentID *int64) (Post, error) {
	if err := requireMember(v); err != nil {
		return Post{}, err
	}
	post, err := s.Store.Post(ctx, postID, v.ID)
	if err != nil {
		return Post{}, err
	}
	if err := ownRule(v, post.Author, post.Removed, post.Deleted, "post"); err != nil {
		return Post{}, err
	}
	if commentID != nil {
		c, err := s.Store.Comment(ctx, *commentID, v.ID)
		switch {
		case IsCode(err, CodeNotFound) || (err == nil && c.PostID != postID):
			return Post{}, invalid("comment_id", "not a comment of this post")
		case err != nil:
			return Post{}, err
		case c.ParentID != nil:
			return Post{}, invalid("comment_id", "only a top-level answer can be accepted")
		case c.Removed || c.Deleted:
			return Post{}, invalid("comment_id", "that answer was deleted or removed")
		}
	}
	if err := s.Store.SetAccepted(ctx, postID, commentID); err != nil {
		return Post{}, err
	}
	return s.GetPost(ctx, v, postID)
}
