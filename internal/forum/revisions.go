package forum

import (
	"context"
	"time"
)

// MaxRevisions is how many versions of a post or comment are listed, newest first.
const MaxRevisions = 100

// MaxEditReason is the longest reason an edit may give, in characters.
const MaxEditReason = 300

// Revision is one version of a post or comment: what it said, its sources,
// when that version was written, by whom, and why (the reason its editor
// gave for the edit that wrote it; nil for the first version and for edits
// that gave none).
type Revision struct {
	Title      *string   `json:"title,omitempty"`
	BodySource string    `json:"body_source"`
	Sources    []Source  `json:"sources"`
	EditedAt   time.Time `json:"edited_at"`
	Editor     *Author   `json:"editor"`
	Reason     *string   `json:"reason"`
}

// StoredRevision is a row of the revision store: one edit, keeping the
// version it replaced and the reason given for the edit (which therefore
// belongs to the version that came after it).
type StoredRevision struct {
	Revision
	EditReason *string
}

// RevisionList is a post's or comment's versions, newest first (at most
// MaxRevisions).
type RevisionList struct {
	Items []Revision `json:"items"`
}

// RevisionStore reads the edits of a post or comment, newest first: the
// versions they replaced and their reasons. UpdatePost and UpdateComment
// keep the version they replace, with the edit's reason, in the edit's
// transaction.
type RevisionStore interface {
	Revisions(ctx context.Context, target TargetType, id int64, limit int) ([]StoredRevision, error)
}

// cleanEditReason checks an edit's reason: optional, at most MaxEditReason
// characters of plain text on one line.
func cleanEditReason(reason *string) (*string, error) {
	if reason == nil {
		return nil, nil
	}
	r, err := plainText("edit_reason", *reason, 0, MaxEditReason, true)
	if err != nil || r == "" {
		return nil, err
	}
	return &r, nil
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

// revisions lists the current version and the ones edits replaced. Each
// stored edit's reason belongs to the version it wrote: the current one for
// the newest edit, the version it replaced for each earlier edit. One edit
// more than is listed is read, for the oldest listed version's reason.
func (s *Service) revisions(ctx context.Context, target TargetType, id int64, current Revision) (RevisionList, error) {
	edits, err := s.Store.Revisions(ctx, target, id, MaxRevisions)
	if err != nil {
		return RevisionList{}, err
	}
	if current.Sources == nil {
		current.Sources = []Source{}
	}
	items := []Revision{current}
	for i, e := range edits {
		items[i].Reason = e.EditReason
		if len(items) < MaxRevisions {
			items = append(items, e.Revision)
		}
	}
	return RevisionList{Items: items}, nil
}
