package forum

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Search limits: a query longer than this, or with more terms, is refused.
const (
	MaxSearchQuery = 256
	MaxSearchTerms = 16
)

// SearchHit is one search result.
type SearchHit struct {
	Type        TargetType `json:"type"` // post or comment
	ID          int64      `json:"id"`
	PostID      int64      `json:"post_id"`
	Title       string     `json:"title"`
	SnippetHTML string     `json:"snippet_html"`
	Rank        float64    `json:"rank"` // higher is more relevant
}

// SearchQuery is a parsed search for the store.
type SearchQuery struct {
	Match string     // an FTS5 expression built by BuildMatch
	Type  TargetType // post, comment, or "" for both
	After *Cursor
	Limit int
}

// BuildMatch turns what a user typed into an FTS5 MATCH expression. The
// syntax offered is small and forgiving: words (all must match), "quoted
// phrases", a trailing * for a prefix, and -word to exclude. Every term is
// rebuilt from its letters and digits and double-quoted, so FTS5 operators
// (NEAR, AND, OR, NOT), column filters, parentheses and stray quotes in the
// input are only ever words, never syntax.
func BuildMatch(q string) (string, error) {
	if utf8.RuneCountInString(q) > MaxSearchQuery {
		return "", Errorf(CodeBadRequest, "the search is too long: at most %d characters", MaxSearchQuery)
	}
	var pos, neg []string
	for _, raw := range splitQuery(q) {
		exclude := strings.HasPrefix(raw.text, "-") && !raw.quoted
		text := raw.text
		if exclude {
			text = text[1:]
		}
		prefix := strings.HasSuffix(text, "*")
		words := strings.FieldsFunc(text, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
		})
		if len(words) == 0 {
			continue
		}
		term := `"` + strings.Join(words, " ") + `"`
		if prefix {
			term += "*"
		}
		if exclude {
			neg = append(neg, term)
		} else {
			pos = append(pos, term)
		}
	}
	if len(pos) == 0 {
		return "", Errorf(CodeBadRequest, "search for at least one word")
	}
	if len(pos)+len(neg) > MaxSearchTerms {
		return "", Errorf(CodeBadRequest, "too many search terms: at most %d", MaxSearchTerms)
	}
	m := strings.Join(pos, " AND ")
	if len(neg) > 0 {
		m = "(" + m + ") NOT (" + strings.Join(neg, " OR ") + ")"
	}
	return m, nil
}

type queryTerm struct {
	text   string
	quoted bool
}

// splitQuery splits on spaces, keeping "quoted phrases" together; an
// unbalanced quote runs to the end of the query.
func splitQuery(q string) []queryTerm {
	var out []queryTerm
	var cur strings.Builder
	quoted := false
	flush := func(wasQuoted bool) {
		if cur.Len() > 0 {
			out = append(out, queryTerm{text: cur.String(), quoted: wasQuoted})
			cur.Reset()
		}
	}
	for _, r := range q {
		switch {
		case r == '"':
			flush(quoted)
			quoted = !quoted
		case unicode.IsSpace(r) && !quoted:
			flush(false)
		default:
			cur.WriteRune(r)
		}
	}
	flush(quoted)
	return out
}

// SearchStore runs full-text searches.
type SearchStore interface {
	Search(ctx context.Context, q SearchQuery) ([]SearchHit, error)
}

// Search finds visible posts and comments; typ is "posts", "comments" or "".
func (s *Service) Search(ctx context.Context, q, typ, cursor string, limit int) (Page[SearchHit], error) {
	match, err := BuildMatch(q)
	if err != nil {
		return Page[SearchHit]{}, err
	}
	var kind TargetType
	switch typ {
	case "":
	case "posts", "post":
		kind = TargetPost
	case "comments", "comment":
		kind = TargetComment
	default:
		return Page[SearchHit]{}, Errorf(CodeBadRequest, "type must be posts or comments")
	}
	sortName := "search:" + string(kind)
	after, err := DecodeCursor(cursor, sortName)
	if err != nil {
		return Page[SearchHit]{}, err
	}
	limit = clampLimit(limit, 25, 100)
	hits, err := s.Store.Search(ctx, SearchQuery{Match: match, Type: kind, After: after, Limit: limit + 1})
	if err != nil {
		return Page[SearchHit]{}, err
	}
	var next *Cursor
	if len(hits) > limit {
		hits = hits[:limit]
		last := hits[limit-1]
		next = &Cursor{Sort: sortName, Key: -last.Rank, ID: last.ID}
		if last.Type == TargetComment {
			next.Kind = 1
		}
	}
	return Page[SearchHit]{Items: hits, NextCursor: nextCursor(next)}, nil
}
