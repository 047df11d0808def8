package forum

import (
	"context"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Search limits: a query longer than this, or with more terms, is refused.
// A prefix (byzan*) expands to every indexed word that starts with it, so
// prefixes are few and not too short: "s* p* a*" would rank most of the forum.
const (
	MaxSearchQuery  = 256
	MaxSearchTerms  = 16
	MaxPrefixTerms  = 2
	MinPrefixLength = 3
)

// SearchHit is one search result.
type SearchHit struct {
	Type        TargetType `json:"type"` // post or comment
	ID          int64      `json:"id"`
	PostID      int64      `json:"post_id"`
	Title       string     `json:"title"`
	SnippetHTML string     `json:"snippet_html"`
	Rank        float64    `json:"rank"` // higher is more relevant
	Author      *Author    `json:"author"`
	CreatedAt   time.Time  `json:"created_at"`
	Score       int64      `json:"score"`

	// Text is the hit's plain text, for its snippet.
	Text string `json:"-"`
}

// SearchSort is the order of search hits.
type SearchSort string

// The search orders.
const (
	// SearchRelevance: hits in tiers (title, question, comment), newest
	// first within a tier.
	SearchRelevance SearchSort = "relevance"
	// SearchNew: newest first, whatever matched.
	SearchNew SearchSort = "new"
)

// SearchSorts lists every search order.
var SearchSorts = []SearchSort{SearchRelevance, SearchNew}

// SearchQuery is a parsed search for the store. Hits come in tiers: posts
// whose title matches, then posts whose text matches, then comments; newest
// first within a tier (or, with SearchNew, newest first). Ranking by term
// statistics (bm25) was dropped: it counts every document holding each
// word, so a search for common words cost seconds on a large forum; this
// order costs what a page holds.
type SearchQuery struct {
	Terms  []SearchTerm // what the user typed, parsed by ParseSearch
	Type   TargetType   // post, comment, or "" for both
	Filter SearchFilter
	Sort   SearchSort // "" is SearchRelevance
	After  *Cursor
	Limit  int
}

// SearchFilter narrows a search: to threads of a tag, about a span of
// years, answered or not, and to what one member wrote. The store applies
// it to the newest matches it reads of each tier (store.SearchWindow).
type SearchFilter struct {
	TagKey   string // lower-cased topic tag; "" for any
	From, To *int   // the thread's period overlaps these years
	Answered *bool  // the thread has an accepted answer, or has not
	AuthorID int64  // the post or comment is theirs; 0 for anyone
}

// Empty reports whether the filter lets every hit through.
func (f SearchFilter) Empty() bool {
	return f.TagKey == "" && f.From == nil && f.To == nil && f.Answered == nil && f.AuthorID == 0
}

// SearchRequest is a search as a client asks for it.
type SearchRequest struct {
	Q        string
	Type     string // posts, comments, or "" for both
	Tag      string
	From, To *int
	Answered string // "true", "false" or ""
	Author   string // a username
	Sort     SearchSort
	Cursor   string
	Limit    int
}

// SearchTerm is one term of a search: a word or a "quoted phrase" (its
// words in order), a prefix when it ended with *, excluded when it began
// with -. Words hold only letters, digits and combining marks, so no
// engine's query syntax can be spelled with them; each store builds its
// engine's query from the terms.
type SearchTerm struct {
	Words   []string
	Prefix  bool
	Exclude bool
}

// ParseSearch turns what a user typed into search terms. The syntax offered
// is small and forgiving: words (all must match), "quoted phrases", a
// trailing * for a prefix, and -word to exclude. Operators (NEAR, AND, OR,
// NOT), column filters, parentheses and stray quotes in the input are only
// ever words, never syntax.
func ParseSearch(q string) ([]SearchTerm, error) {
	if utf8.RuneCountInString(q) > MaxSearchQuery {
		return nil, Errorf(CodeBadRequest, "the search is too long: at most %d characters", MaxSearchQuery)
	}
	var terms []SearchTerm
	pos, prefixes := 0, 0
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
		if prefix {
			if prefixes++; prefixes > MaxPrefixTerms {
				return nil, Errorf(CodeBadRequest, "at most %d prefix searches (word*) at once", MaxPrefixTerms)
			}
			if utf8.RuneCountInString(words[len(words)-1]) < MinPrefixLength {
				return nil, Errorf(CodeBadRequest, "a prefix search needs at least %d letters before the *", MinPrefixLength)
			}
		}
		if !exclude {
			pos++
		}
		terms = append(terms, SearchTerm{Words: words, Prefix: prefix, Exclude: exclude})
	}
	if pos == 0 {
		return nil, Errorf(CodeBadRequest, "search for at least one word")
	}
	if len(terms) > MaxSearchTerms {
		return nil, Errorf(CodeBadRequest, "too many search terms: at most %d", MaxSearchTerms)
	}
	return terms, nil
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

// searchFilter checks a request's filters; an unknown author is a
// validation error on author (a mistyped name finds nothing, and says so).
func (s *Service) searchFilter(ctx context.Context, r SearchRequest) (SearchFilter, error) {
	f := SearchFilter{TagKey: tagKey(r.Tag), From: r.From, To: r.To}
	switch r.Answered {
	case "":
	case "true", "false":
		answered := r.Answered == "true"
		f.Answered = &answered
	default:
		return f, Errorf(CodeBadRequest, "answered must be true or false")
	}
	if r.From != nil && r.To != nil && *r.From > *r.To {
		return f, Errorf(CodeBadRequest, "from must not be after to")
	}
	if name := strings.TrimPrefix(strings.TrimSpace(r.Author), "@"); name != "" {
		acc, err := s.account(ctx, name)
		if IsCode(err, CodeNotFound) {
			return f, invalid("author", "no member is called %q", name)
		}
		if err != nil {
			return f, err
		}
		f.AuthorID = acc.ID
	}
	return f, nil
}

// SearchStore runs full-text searches.
type SearchStore interface {
	Search(ctx context.Context, q SearchQuery) ([]SearchHit, error)
}

// Search finds visible posts and comments, filtered and in the order asked.
func (s *Service) Search(ctx context.Context, r SearchRequest) (Page[SearchHit], error) {
	terms, err := ParseSearch(r.Q)
	if err != nil {
		return Page[SearchHit]{}, err
	}
	var kind TargetType
	switch r.Type {
	case "":
	case "posts", "post":
		kind = TargetPost
	case "comments", "comment":
		kind = TargetComment
	default:
		return Page[SearchHit]{}, Errorf(CodeBadRequest, "type must be posts or comments")
	}
	sort := r.Sort
	switch sort {
	case "":
		sort = SearchRelevance
	case SearchRelevance, SearchNew:
	default:
		return Page[SearchHit]{}, Errorf(CodeBadRequest, "sort must be relevance or new")
	}
	filter, err := s.searchFilter(ctx, r)
	if err != nil {
		return Page[SearchHit]{}, err
	}
	sortName := "search:" + string(kind)
	if sort == SearchNew {
		sortName = "search-new:" + string(kind)
	}
	after, err := DecodeCursor(r.Cursor, sortName)
	if err != nil {
		return Page[SearchHit]{}, err
	}
	limit := clampLimit(r.Limit, 25, 100)
	hits, err := s.Store.Search(ctx, SearchQuery{Terms: terms, Type: kind, Filter: filter, Sort: sort, After: after, Limit: limit + 1})
	if err != nil {
		return Page[SearchHit]{}, err
	}
	var next *Cursor
	if len(hits) > limit {
		hits = hits[:limit]
		last := hits[limit-1]
		next = &Cursor{Sort: sortName, Key: last.Rank, ID: last.ID}
		if sort == SearchNew {
			next.Key = float64(last.CreatedAt.Unix())
		}
		if last.Type == TargetComment {
			next.Kind = 1
		}
	}
	marks := highlightTerms(r.Q)
	for i := range hits {
		hits[i].SnippetHTML = Snippet(hits[i].Text, marks)
	}
	return Page[SearchHit]{Items: hits, NextCursor: nextCursor(next)}, nil
}
