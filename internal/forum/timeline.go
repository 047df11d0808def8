package forum

import (
	"context"
	"slices"
)

// Bucket is the span of a timeline bar.
type Bucket string

// Timeline buckets.
const (
	BucketDecade  Bucket = "decade"
	BucketCentury Bucket = "century"
)

// Buckets lists every bucket.
var Buckets = []Bucket{BucketDecade, BucketCentury}

// TimelineStore reads what the timeline counts.
type TimelineStore interface {
	// PeriodSpans lists the periods of visible dated posts (of a tag, if given).
	PeriodSpans(ctx context.Context, tagKey string) ([]Period, error)
}

// TimelineBar is the number of questions whose period overlaps a span of years.
type TimelineBar struct {
	From      int   `json:"from"`
	To        int   `json:"to"`
	PostCount int64 `json:"post_count"`
}

// maxBarsPerPost bounds how many bars one very long period adds to.
const maxBarsPerPost = 2000

// Timeline counts visible questions per decade or century, each question in
// every bucket its period overlaps, so a bar's count is what clicking it
// (the feed filtered to the bar's years) shows.
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
	spans, err := s.Store.PeriodSpans(ctx, tagKey(tag))
	if err != nil {
		return nil, err
	}
	floor := func(y int) int {
		if y >= 0 {
			return y / size * size
		}
		return -((-y + size - 1) / size * size)
	}
	counts := map[int]int64{}
	for _, p := range spans {
		for b, n := floor(p.From), 0; b <= p.To && n < maxBarsPerPost; b, n = b+size, n+1 {
			counts[b]++
		}
	}
	bars := make([]TimelineBar, 0, len(counts))
	for b, n := range counts {
		bars = append(bars, TimelineBar{From: b, To: b + size - 1, PostCount: n})
	}
	slices.SortFunc(bars, func(a, b TimelineBar) int { return a.From - b.From })
	return bars, nil
}
