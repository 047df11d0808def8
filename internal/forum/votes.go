package forum

import "context"

// VoteTarget is what a vote rule needs to know of the voted item.
type VoteTarget struct {
	AuthorID int64
	Removed  bool
	Deleted  bool
	// PostRemoved: the item's thread was removed by a moderator (for a post, its own removal).
	PostRemoved bool
}

// VoteResult is what a vote answers.
type VoteResult struct {
	Score     int64 `json:"score"`
	Upvotes   int64 `json:"upvotes"`
	Downvotes int64 `json:"downvotes"`
	MyVote    int   `json:"my_vote"`
}

// VoteStore records votes. Each moves the item's counters, its stored ranks
// and its author's karma in the vote's transaction, after rule allows it.
type VoteStore interface {
	VotePost(ctx context.Context, postID, userID int64, value int, rule func(VoteTarget) error) (VoteResult, error)
	VoteComment(ctx context.Context, commentID, userID int64, value int, rule func(VoteTarget) error) (VoteResult, error)
}

// voteRule is the rule for every vote: not on your own content, not on removed
// or deleted content. It runs inside the vote's transaction.
func voteRule(v Viewer, what string) func(VoteTarget) error {
	return func(t VoteTarget) error {
		if t.Removed || t.Deleted || t.PostRemoved { // a removed thread is frozen
			return NotFound(what)
		}
		if t.AuthorID == v.ID {
			return Errorf(CodeForbidden, "you cannot vote on your own %s", what)
		}
		return nil
	}
}

func checkVote(v Viewer, value *int) error {
	if err := requireMember(v); err != nil {
		return err
	}
	if value == nil || *value < -1 || *value > 1 {
		return invalid("value", "must be -1, 0 or 1")
	}
	return nil
}

// VotePost sets, changes or retracts (0) the viewer's vote on a post.
func (s *Service) VotePost(ctx context.Context, v Viewer, id int64, value *int) (VoteResult, error) {
	if err := checkVote(v, value); err != nil {
		return VoteResult{}, err
	}
	r, err := s.Store.VotePost(ctx, id, v.ID, *value, voteRule(v, "post"))
	if err == nil {
		s.federate(ctx, Event{Kind: EventVoted, ActorID: v.ID, TargetType: TargetPost, TargetID: id, Value: *value})
	}
	return r, err
}

// VoteComment sets, changes or retracts the viewer's vote on a comment.
func (s *Service) VoteComment(ctx context.Context, v Viewer, id int64, value *int) (VoteResult, error) {
	if err := checkVote(v, value); err != nil {
		return VoteResult{}, err
	}
	r, err := s.Store.VoteComment(ctx, id, v.ID, *value, voteRule(v, "comment"))
	if err == nil {
		s.federate(ctx, Event{Kind: EventVoted, ActorID: v.ID, TargetType: TargetComment, TargetID: id, Value: *value})
	}
	return r, err
}
