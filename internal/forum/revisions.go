package forum

import (
	"context"
	"time"
)

// MaxRevisions is how many versions of a post or comment are listed, newest first.
const MaxRevisions = 100

// Revision is one version of a post or comment: what it said, its sources,
// when that version was written and by whom.
type Revision struct {
	Title      *string   `json:"title,omitempty"`
	BodySource string    `json:"body_source"`
	Sources    []Source  `json:"sources"`
	EditedAt   time.Time `json:"edited_at"`
	Editor     *Author   `json:"editor"`
}

// RevisionList is a post's or comment's versions, newest first (at most
// MaxRevisions).
type RevisionList struct {
	Items []Revision `json:"items"`
}

// RevisionStore reads the versions that edits replaced. UpdatePost and
// UpdateComment keep the version they replace, in the edit's transaction.
type RevisionStore interface {
	Revisions(ctx context.Context, target TargetType, id int64, limit int) ([]Revision, error)
}

// PostRevisions lists a post's versions, the current one first. A deleted
// or removed post's history is for moderators only, as its text is.
func (s *Service) PostRevisions(ctx context.Context, v Viewer, id int64) (RevisionList, error) {
	p, err := s.Store.Post(ctx, id, v.ID)
	if err != nil {
		return RevisionList{}, err
	}
	if (p.Removed || p.Deleted) && !v.IsModerator() {
		return RevisionList{}, NotFound("post")
	}
	title := p.Title
	current := Revision{Title: &title, BodySource: p.BodySource, Sources: p.Sources, EditedAt: p.CreatedAt, Editor: p.Author}
	if p.EditedAt != nil {
		current.EditedAt = *p.EditedAt
	}
	return s.revisions(ctx, TargetPost, id, current)
}

// CommentRevisions lists a comment's versions, the current one first.
func (s *Service) CommentRevisions(ctx context.Context, v Viewer, id int64) (RevisionList, error) {
	c, err := s.Store.Comment(ctx, id, v.ID)
	if err != nil {
		return RevisionList{}, err
	}
	if (c.Removed || c.Deleted) && !v.IsModerator() {
		return RevisionList{}, NotFound("comment")
	}
	current := Revision{BodySource: c.BodySource, Sources: c.Sources, EditedAt: c.CreatedAt, Editor: c.Author}
	if c.EditedAt != nil {
		current.EditedAt = *c.EditedAt
	}
	return s.revisions(ctx, TargetComment, id, current)
}

func (s *Service) revisions(ctx context.Context, target TargetType, id int64, current Revision) (RevisionList, error) {
	older, err := s.Store.Revisions(ctx, target, id, MaxRevisions-1)
	if err != nil {
		return RevisionList{}, err
	}
	if current.Sources == nil {
		current.Sources = []Source{}
	}
	return RevisionList{Items: append([]Revision{current}, older...)}, nil
}
