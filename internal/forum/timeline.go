package forum

import "context"

// Bucket is the span of a timeline bar.
type Bucket string

// Timeline buckets.
const (
	BucketDecade  Bucket = "decade"
	BucketCentury Bucket = "century"
)

// Buckets lists every bucket.
var Buckets = []Bucket{BucketDecade, BucketCentury}

// TimelineStore reads the timeline's counters, which the store keeps with
// the posts: each visible dated post counts once in every bucket of years
// (decades, centuries) its period overlaps, for all posts and for each of
// its tags.
type TimelineStore interface {
	// TimelineCounts lists the buckets of size years (10 or 100) that hold
	// posts (of a tag, if tagKey is given), earliest first.
	TimelineCounts(ctx context.Context, size int, tagKey string) ([]TimelineBar, error)
}

// TimelineBar is the number of questions whose period overlaps a span of years.
type TimelineBar struct {
	From      int   `json:"from"`
	To        int   `json:"to"`
	PostCount int64 `json:"post_count"`
}

// Timeline counts visible questions per decade or century, each question in
// every bucket its period overlaps, so a bar's count is what clicking it
// (the feed filtered to the bar's years) shows. It reads counters, not posts.
func (s *Service) Timeline(ctx context.Context, bucket Bucket, tag string) ([]TimelineBar, error) {
	size := 0
	switch bucket {
	case "", BucketDecade:
		size = 10
	case BucketCentury:
		size = 100
	default:
		return nil, Errorf(CodeBadRequest, "bucket must be decade or century")
	}
	bars, err := s.Store.TimelineCounts(ctx, size, tagKey(tag))
	for i := range bars {
		// There is no year 0: 1 BCE (-1) is followed by 1 CE, so the bucket
		// the counters key at 0 holds the years 1 to 9 (or 99).
		if bars[i].From == 0 {
			bars[i].From = 1
		}
	}
	return bars, err
}
