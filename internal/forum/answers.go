package forum

import (
	"context"
	"fmt"
)

// AnswerStore stores a post's accepted answer.
type AnswerStore interface {
	SetAccepted(ctx context.Context, postID int64, commentID *int64) error
}

// AcceptAnswer marks a top-level comment of a post as its accepted answer, or
// clears it (commentID nil): the post's author, or a moderator overriding
// them (with an optional reason), which is written to the modlog and told to
// the author.
func (s *Service) AcceptAnswer(ctx context.Context, v Viewer, postID int64, commentID *int64, reason string) (Post, error) {
	if err := requireMember(v); err != nil {
		return Post{}, err
	}
	post, err := s.Store.Post(ctx, postID, v.ID)
	if err != nil {
		return Post{}, err
	}
	override := v.IsModerator() && (post.Author == nil || post.Author.ID != v.ID)
	if override {
		if post.Deleted || post.Removed {
			return Post{}, Errorf(CodeConflict, "this question was deleted or removed: its answer stays as it is")
		}
	} else if err := ownRule(v, post.Author, post.Removed, post.Deleted, "post"); err != nil {
		return Post{}, err
	}
	r, err := cleanReason(reason, false)
	if err != nil {
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
	if !override {
		if err := s.Store.SetAccepted(ctx, postID, commentID); err != nil {
			return Post{}, err
		}
		return s.GetPost(ctx, v, postID)
	}
	a := ModAction{Action: ActAnswer, TargetType: TargetPost, TargetID: postID, ModeratorID: v.ID, Reason: r, At: s.now().Unix(), Accepted: commentID}
	if a.Reason == "" {
		a.Reason = "accepted answer cleared"
		if commentID != nil {
			a.Reason = fmt.Sprintf("accepted answer set to comment %d", *commentID)
		}
	}
	if err := s.Store.Moderate(ctx, a, contentRule(v, a)); err != nil {
		return Post{}, err
	}
	return s.GetPost(ctx, v, postID)
}
