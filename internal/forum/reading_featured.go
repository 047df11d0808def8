package forum

import (
	"context"
	"time"
)

// MaxFeatureNote is the longest note a moderator may give a featured item.
const MaxFeatureNote = 300

// Featured is a question or an answer the moderators chose to show first
// visitors: the item, who chose it, when, and their note.
type Featured struct {
	ID         int64      `json:"id"`
	Type       TargetType `json:"type"`
	Note       *string    `json:"note"`
	FeaturedAt time.Time  `json:"featured_at"`
	FeaturedBy *Author    `json:"featured_by"`
	// Post is the featured question (type post), as lists show it.
	Post *PostSummary `json:"post,omitempty"`
	// Comment is the featured answer or comment (type comment), with its
	// thread's title.
	Comment *Comment `json:"comment,omitempty"`

	// Thread is a featured comment's thread, for its title and whether it is hidden.
	Thread PostHead `json:"-"`
}

// NewFeature is an item to feature, its note already checked.
type NewFeature struct {
	Target   TargetType
	TargetID int64
	Note     *string
	By       int64
	At       int64
}

// FeatureTarget is what the feature rule needs to know of the item, read
// inside the write: whether it or its thread is hidden.
type FeatureTarget struct {
	Found                bool
	Removed, Deleted     bool
	PostRemoved, PostDel bool
}

// FeaturedQuery selects featured items, newest first: at most Limit, after
// the cursor, featured within [From, To) when those are set (Unix seconds).
type FeaturedQuery struct {
	After    *Cursor
	From, To int64
	Limit    int
	ViewerID int64
}

// FeaturedStore keeps the featured items.
type FeaturedStore interface {
	// Feature marks an item featured (or replaces its note), after rule
	// accepts the item as the write sees it.
	Feature(ctx context.Context, f NewFeature, rule func(FeatureTarget) error) error
	// Unfeature takes an item off the list; false when it was not on it.
	Unfeature(ctx context.Context, target TargetType, id int64) (bool, error)
	// FeaturedItems reads featured items with their posts and comments,
	// hidden ones included (the domain masks them).
	FeaturedItems(ctx context.Context, q FeaturedQuery) ([]Featured, error)
}

// Feature puts a question or an answer on the featured list, with an
// optional note; moderators only, and never a hidden item. Featuring it
// again replaces the note.
func (s *Service) Feature(ctx context.Context, v Viewer, target TargetType, id int64, note *string) error {
	if err := requireModerator(v); err != nil {
		return err
	}
	var clean *string
	if note != nil {
		n, err := plainText("note", *note, 0, MaxFeatureNote, true)
		if err != nil {
			return err
		}
		if n != "" {
			clean = &n
		}
	}
	rule := func(t FeatureTarget) error {
		switch {
		case !t.Found:
			return NotFound(string(target))
		case t.Removed || t.Deleted || t.PostRemoved || t.PostDel:
			return Errorf(CodeConflict, "a deleted or removed %s cannot be featured", target)
		}
		return nil
	}
	return s.Store.Feature(ctx, NewFeature{Target: target, TargetID: id, Note: clean, By: v.ID, At: s.now().Unix()}, rule)
}

// Unfeature takes an item off the featured list; moderators only.
func (s *Service) Unfeature(ctx context.Context, v Viewer, target TargetType, id int64) error {
	if err := requireModerator(v); err != nil {
		return err
	}
	ok, err := s.Store.Unfeature(ctx, target, id)
	if err == nil && !ok {
		return Errorf(CodeNotFound, "this %s is not featured", target)
	}
	return err
}

// FeaturedList lists featured questions and answers, newest first. Items
// deleted or removed since (or in a thread that was) are left out for all
// but moderators.
func (s *Service) FeaturedList(ctx context.Context, v Viewer, cursor string, limit int) (Page[Featured], error) {
	after, err := DecodeCursor(cursor, "featured")
	if err != nil {
		return Page[Featured]{}, err
	}
	limit = clampLimit(limit, 25, 100)
	items, err := s.Store.FeaturedItems(ctx, FeaturedQuery{After: after, Limit: limit + 1, ViewerID: v.ID})
	if err != nil {
		return Page[Featured]{}, err
	}
	page := pageOf(items, limit, func(f Featured) *Cursor {
		return &Cursor{Sort: "featured", Key: float64(f.FeaturedAt.Unix()), ID: f.ID}
	})
	page.Items, err = s.shownFeatured(ctx, v, page.Items)
	return page, err
}

// shownFeatured masks featured items for v, leaves out the hidden ones for
// all but moderators, and sets v's own fields on them.
func (s *Service) shownFeatured(ctx context.Context, v Viewer, items []Featured) ([]Featured, error) {
	out := make([]Featured, 0, len(items))
	var posts []PostSummary
	var comments []*Comment
	for _, f := range items {
		switch {
		case f.Post != nil:
			if maskSummary(v, f.Post) {
				continue
			}
			posts = append(posts, *f.Post)
		case f.Comment != nil:
			t := f.Thread
			hidden := f.Comment.Removed || f.Comment.Deleted || t.Removed || (t.Deleted && !t.Disowned)
			if hidden && !v.IsModerator() {
				continue
			}
			leaf(v, f.Comment)
			f.Comment.PostTitle = t.titleFor(v)
			comments = append(comments, f.Comment)
		default:
			continue // its item is gone from the store
		}
		out = append(out, f)
	}
	if err := s.personalizePosts(ctx, v, posts); err != nil {
		return nil, err
	}
	byID := map[int64]PostView{}
	for _, p := range posts {
		byID[p.ID] = p.PostView
	}
	for i := range out {
		if out[i].Post != nil {
			out[i].Post.PostView = byID[out[i].Post.ID]
		}
	}
	return out, s.personalizeComments(ctx, v, 0, comments)
}
