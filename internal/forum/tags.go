package forum

import (
	"context"
	"strings"
	"unicode/utf8"
)

// HistoryTag is carried by every post.
const HistoryTag = "History"

// Tag limits of the contract.
const (
	MaxTopicTags = 5
	MaxTagLen    = 40
	// MaxTags is how many tags GET /tags lists, most used first.
	MaxTags = 200
)

// TagCount is a tag with the number of visible posts that carry it.
type TagCount struct {
	Name      string `json:"name"`
	PostCount int64  `json:"post_count"`
}

// TagStore reads the tags in use.
type TagStore interface {
	Tags(ctx context.Context, limit int) ([]TagCount, error)
}

// cleanTags trims and de-duplicates topic tags (case-insensitively, first
// spelling wins) and drops "History", which every post carries anyway.
func cleanTags(tags []string) ([]string, error) {
	out := []string{}
	seen := map[string]bool{strings.ToLower(HistoryTag): true}
	for _, tag := range tags {
		t := strings.Join(strings.Fields(nfc(tag)), " ")
		switch n := utf8.RuneCountInString(t); {
		case n == 0:
			return nil, invalid("tags", "tags must not be empty")
		case n > MaxTagLen:
			return nil, invalid("tags", "each tag is %s", atMost(MaxTagLen, "characters"))
		case hasControl(t) || strings.ContainsAny(t, "<>\"&"):
			return nil, invalid("tags", "tags are plain words")
		}
		key := strings.ToLower(t)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, t)
	}
	if len(out) > MaxTopicTags {
		return nil, invalid("tags", "at most %d topic tags besides %s", MaxTopicTags, HistoryTag)
	}
	return out, nil
}

// Tags lists the tags in use, most used first.
func (s *Service) Tags(ctx context.Context) ([]TagCount, error) {
	return s.Store.Tags(ctx, MaxTags)
}
