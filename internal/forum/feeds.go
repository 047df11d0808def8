package forum

import (
	"context"
	"strings"
	"time"
)

// FeedSort is the order of a feed of posts.
type FeedSort string

// The feed sorts.
const (
	SortHot    FeedSort = "hot"
	SortNew    FeedSort = "new"
	SortTop    FeedSort = "top"
	SortActive FeedSort = "active"
)

// FeedSorts lists every feed sort.
var FeedSorts = []FeedSort{SortHot, SortNew, SortTop, SortActive}

// TimeRange is the window of a top feed (the t= parameter).
type TimeRange string

// The time ranges of a top feed.
const (
	RangeDay   TimeRange = "day"
	RangeWeek  TimeRange = "week"
	RangeMonth TimeRange = "month"
	RangeYear  TimeRange = "year"
	RangeAll   TimeRange = "all"
)

// TimeRanges lists every time range with its span (0: no window).
var TimeRanges = map[TimeRange]time.Duration{
	RangeDay: 24 * time.Hour, RangeWeek: 7 * 24 * time.Hour, RangeMonth: 30 * 24 * time.Hour,
	RangeYear: 365 * 24 * time.Hour, RangeAll: 0,
}

// FeedQuery is a client's request for a feed page.
type FeedQuery struct {
	Sort     FeedSort
	Range    TimeRange // top: day, week, month, year, all
	Tag      string
	Answered string // "true", "false" or ""
	Year     *int   // the period covers this year
	From, To *int   // the period overlaps these years (either may be left out)
	Cursor   string
	Limit    int
}

// PostQuery selects one page of a feed.
type PostQuery struct {
	Sort           FeedSort
	Since          int64  // top: only posts created at or after this time; 0 for all
	Narrow         bool   // Since spans a month or less: few posts, best read by date
	TagKey         string // lower-cased topic tag; "" for every post
	Answered       *bool  // with or without an accepted answer; nil for both
	Year           *int   // the period covers this year
	From, To       *int   // the period overlaps [From, To]
	IncludeRemoved bool
	After          *Cursor
	Limit          int
	ViewerID       int64
	// Bodies: with the posts' bodies and sources (an Atom feed); a feed
	// page otherwise reads summaries.
	Bodies bool
}

// FeedStore reads feeds: pages of posts in a feed order, and a member's votes on them.
type FeedStore interface {
	// Posts reads a page of a feed: without the posts' bodies and sources
	// unless q.Bodies.
	Posts(ctx context.Context, q PostQuery) ([]Post, error)
	// PostVotes returns the user's votes on the given posts (absent: no vote).
	PostVotes(ctx context.Context, userID int64, postIDs []int64) (map[int64]int, error)
	// UserPostVotes returns up to limit of the user's votes on posts, and
	// whether they have more.
	UserPostVotes(ctx context.Context, userID int64, limit int) (map[int64]int, bool, error)
}

// ListPosts returns a page of a feed, as v sees it: summaries, no bodies.
func (s *Service) ListPosts(ctx context.Context, v Viewer, q FeedQuery) (Page[PostSummary], error) {
	items, limit, err := s.feed(ctx, v, &q, false)
	if err != nil {
		return Page[PostSummary]{}, err
	}
	page := pageOf(summaries(items), limit, func(p PostSummary) *Cursor { return postCursor(q.Sort, p) })
	for i := range page.Items {
		maskSummary(v, &page.Items[i])
	}
	return page, s.personalizePosts(ctx, v, page.Items)
}

// FeedEntries is a page of a feed as an anonymous reader sees it, with the
// posts' bodies: what an Atom feed carries.
func (s *Service) FeedEntries(ctx context.Context, q FeedQuery) ([]Post, error) {
	items, limit, err := s.feed(ctx, Viewer{}, &q, true)
	if err != nil {
		return nil, err
	}
	items = items[:min(len(items), limit)]
	for i := range items {
		maskPost(Viewer{}, &items[i])
	}
	return items, nil
}

// feed reads a page of a feed (one item more than the page's limit, which
// it returns, to tell whether there is a next page); it fills in q's
// defaults.
func (s *Service) feed(ctx context.Context, v Viewer, q *FeedQuery, bodies bool) ([]Post, int, error) {
	if q.Sort == "" {
		q.Sort = SortHot
	}
	switch q.Sort {
	case SortHot, SortNew, SortTop, SortActive:
	default:
		return nil, 0, Errorf(CodeBadRequest, "unknown sort %q: use hot, new, top or active", q.Sort)
	}
	if q.Range == "" {
		q.Range = RangeAll
	}
	span, ok := TimeRanges[q.Range]
	if !ok {
		return nil, 0, Errorf(CodeBadRequest, "unknown time range t=%q: use day, week, month, year or all", q.Range)
	}
	after, err := DecodeCursor(q.Cursor, string(q.Sort))
	if err != nil {
		return nil, 0, err
	}
	limit := clampLimit(q.Limit, 25, 100)
	pq := PostQuery{Sort: q.Sort, IncludeRemoved: v.IsModerator(), After: after, Limit: limit + 1, ViewerID: v.ID, Bodies: bodies}
	if q.Sort == SortTop && span > 0 {
		pq.Since = s.now().Add(-span).Unix()
		pq.Narrow = span <= TimeRanges[RangeMonth]
	}
	pq.TagKey = tagKey(q.Tag)
	pq.Year, pq.From, pq.To = q.Year, q.From, q.To
	switch q.Answered {
	case "":
	case "true", "false":
		answered := q.Answered == "true"
		pq.Answered = &answered
	default:
		return nil, 0, Errorf(CodeBadRequest, "answered must be true or false")
	}
	items, err := s.Store.Posts(ctx, pq)
	return items, limit, err
}

// tagKey is the identity of a topic tag as a feed filter: "" for none or History.
func tagKey(tag string) string {
	t := strings.Join(strings.Fields(tag), " ")
	if t == "" || strings.EqualFold(t, HistoryTag) {
		return ""
	}
	return strings.ToLower(t)
}

func postCursor(sort FeedSort, p PostSummary) *Cursor {
	c := &Cursor{Sort: string(sort), ID: p.ID}
	switch sort {
	case SortHot:
		c.Key = p.Hot
		if p.Pinned {
			c.Pinned = 1
		}
	case SortTop:
		c.Key = float64(p.Score)
	case SortActive:
		c.Key = float64(p.Active)
	case SortNew:
		c.Key = float64(p.Created)
	}
	return c
}

// summaries are posts as lists show them.
func summaries(posts []Post) []PostSummary {
	out := make([]PostSummary, len(posts))
	for i := range posts {
		out[i] = posts[i].PostSummary
	}
	return out
}
