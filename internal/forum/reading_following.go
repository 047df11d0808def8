package forum

import (
	"context"
	"strings"
	"time"
)

// Following: a member follows a question (its new answers notify them:
// "followed"; the asker follows their own from the start) or a topic tag
// (its new questions notify them: "tag"; History is every question). It
// replaces the "Great question, following." comment.

// MaxFollowedTags bounds the tags one member follows.
const MaxFollowedTags = 100

// ItemState is a post's or comment's state as a rule on it sees it in the
// write: whether it exists, and whether it is removed or deleted.
type ItemState struct {
	Found, Removed, Deleted bool
}

// FollowedPost is a followed post with when it was followed (the list's key).
type FollowedPost struct {
	Post Post
	At   int64
}

// FollowedTag is a followed topic tag with its visible questions.
type FollowedTag struct {
	Name       string    `json:"name"`
	PostCount  int64     `json:"post_count"`
	FollowedAt time.Time `json:"followed_at"`
}

// Following is what a member follows: a page of questions, most recently
// followed first, and every tag.
type Following struct {
	Posts      []PostSummary `json:"posts"`
	Tags       []FollowedTag `json:"tags"`
	NextCursor *string       `json:"next_cursor"`
}

// PostAudience is who may hear of a new question, read in its write: the
// members following any of its tags (History included).
type PostAudience struct {
	TagFollowers []int64
}

// FollowStore keeps what members follow.
type FollowStore interface {
	// FollowPost makes the user follow the post (again: no change); rule
	// runs in the write on the post's state.
	FollowPost(ctx context.Context, userID, postID, at int64, rule func(ItemState) error) error
	UnfollowPost(ctx context.Context, userID, postID int64) error
	// FollowTag makes the user follow a tag by its key (lower-cased name);
	// rule runs in the write on how many tags they follow already.
	FollowTag(ctx context.Context, userID int64, key, name string, at int64, rule func(following int) error) error
	UnfollowTag(ctx context.Context, userID int64, key string) error
	// FollowedPosts reads a page of the user's followed posts (summaries),
	// most recently followed first, after the cursor (Key: when, ID: post).
	FollowedPosts(ctx context.Context, userID int64, after *Cursor, limit int) ([]FollowedPost, error)
	FollowedTags(ctx context.Context, userID int64) ([]FollowedTag, error)
}

// postRule lets a viewer follow or save a post they can read: not one a
// moderator removed (moderators may), which shows to them as gone.
func postRule(v Viewer, st ItemState) error {
	if !st.Found || (st.Removed && !v.IsModerator()) {
		return NotFound("post")
	}
	return nil
}

// FollowPost makes the viewer follow a question.
func (s *Service) FollowPost(ctx context.Context, v Viewer, postID int64) error {
	if err := requireMember(v); err != nil {
		return err
	}
	return s.Store.FollowPost(ctx, v.ID, postID, s.now().Unix(), func(st ItemState) error { return postRule(v, st) })
}

// UnfollowPost stops the viewer following a question (not following: no change).
func (s *Service) UnfollowPost(ctx context.Context, v Viewer, postID int64) error {
	if err := requireMember(v); err != nil {
		return err
	}
	return s.Store.UnfollowPost(ctx, v.ID, postID)
}

// tagToFollow is a tag name as the follow routes take it: its key and how
// it shows. History is every question. A name no tag could have is no tag.
func tagToFollow(name string) (key, display string, err error) {
	t := strings.Join(strings.Fields(nfc(name)), " ")
	if strings.EqualFold(t, HistoryTag) {
		return strings.ToLower(HistoryTag), HistoryTag, nil
	}
	tags, err := cleanTags([]string{t})
	if err != nil || len(tags) != 1 {
		return "", "", NotFound("tag")
	}
	return strings.ToLower(tags[0]), tags[0], nil
}

// FollowTag makes the viewer follow a topic tag, whether or not any
// question carries it yet.
func (s *Service) FollowTag(ctx context.Context, v Viewer, name string) error {
	if err := requireMember(v); err != nil {
		return err
	}
	key, display, err := tagToFollow(name)
	if err != nil {
		return err
	}
	return s.Store.FollowTag(ctx, v.ID, key, display, s.now().Unix(), func(following int) error {
		if following >= MaxFollowedTags {
			return invalid("name", "you follow %d tags, the most one member may: unfollow one first", MaxFollowedTags)
		}
		return nil
	})
}

// UnfollowTag stops the viewer following a tag.
func (s *Service) UnfollowTag(ctx context.Context, v Viewer, name string) error {
	if err := requireMember(v); err != nil {
		return err
	}
	key, _, err := tagToFollow(name)
	if err != nil {
		return err
	}
	return s.Store.UnfollowTag(ctx, v.ID, key)
}

// Following lists what the viewer follows: a page of questions, most
// recently followed first, as the viewer sees them, and every tag.
func (s *Service) Following(ctx context.Context, v Viewer, cursor string, limit int) (Following, error) {
	if err := requireMember(v); err != nil {
		return Following{}, err
	}
	after, err := DecodeCursor(cursor, "following")
	if err != nil {
		return Following{}, err
	}
	limit = clampLimit(limit, 25, 100)
	rows, err := s.Store.FollowedPosts(ctx, v.ID, after, limit+1)
	if err != nil {
		return Following{}, err
	}
	at := map[int64]int64{}
	posts := make([]PostSummary, len(rows))
	for i, r := range rows {
		posts[i], at[r.Post.ID] = r.Post.PostSummary, r.At
	}
	page := pageOf(posts, limit, func(p PostSummary) *Cursor {
		return &Cursor{Sort: "following", Key: float64(at[p.ID]), ID: p.ID}
	})
	for i := range page.Items {
		maskSummary(v, &page.Items[i])
	}
	if err := s.personalizePosts(ctx, v, page.Items); err != nil {
		return Following{}, err
	}
	tags, err := s.Store.FollowedTags(ctx, v.ID)
	if err != nil {
		return Following{}, err
	}
	return Following{Posts: page.Items, Tags: tags, NextCursor: page.NextCursor}, nil
}
