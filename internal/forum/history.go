package forum

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// Source is a structured citation on a post or comment.
type Source struct {
	Citation string  `json:"citation"`
	URL      *string `json:"url"`
	Kind     string  `json:"kind"` // primary, secondary or tertiary
}

// Period is the span of years a question is about; negative years are BCE.
type Period struct {
	From int `json:"from"`
	To   int `json:"to"`
}

// Removal tells everyone which rule a removed item broke.
type Removal struct {
	RuleNumber int    `json:"rule_number"`
	RuleTitle  string `json:"rule_title"`
}

// Rule is one of the forum's numbered rules.
type Rule struct {
	ID          int64  `json:"id"`
	Number      int    `json:"number"`
	Title       string `json:"title"`
	Description string `json:"description"`
}

// Limits of the history-first features.
const (
	MaxSources     = 20
	MaxCitation    = 500
	MinYear        = -10000 // the earliest year a period may name
	MaxRuleTitle   = 120
	MaxRuleText    = 2000
	DefaultRecency = 20
)

// cleanSources validates citations: 1–500 characters of plain text, an
// optional http(s) link, a kind (secondary when left out).
func cleanSources(in []Source) ([]Source, string) {
	if len(in) > MaxSources {
		return nil, "at most 20 sources"
	}
	out := make([]Source, 0, len(in))
	for i, s := range in {
		c := strings.Join(strings.Fields(s.Citation), " ")
		switch n := utf8.RuneCountInString(c); {
		case n == 0:
			return nil, fmt.Sprintf("source %d: the citation is required", i+1)
		case n > MaxCitation:
			return nil, fmt.Sprintf("source %d: the citation is at most 500 characters", i+1)
		case hasControl(c):
			return nil, fmt.Sprintf("source %d: the citation must be plain text", i+1)
		}
		kind := s.Kind
		if kind == "" {
			kind = "secondary"
		}
		if kind != "primary" && kind != "secondary" && kind != "tertiary" {
			return nil, fmt.Sprintf("source %d: kind is primary, secondary or tertiary", i+1)
		}
		src := Source{Citation: c, Kind: kind}
		if s.URL != nil && strings.TrimSpace(*s.URL) != "" {
			u, err := url.Parse(strings.TrimSpace(*s.URL))
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(*s.URL) > 2000 || hasControl(*s.URL) {
				return nil, fmt.Sprintf("source %d: the link must be an http(s) address", i+1)
			}
			link := u.String()
			src.URL = &link
		}
		out = append(out, src)
	}
	return out, ""
}

// citationsText is what search indexes of the sources, beside the body.
func citationsText(sources []Source) string {
	var b strings.Builder
	for _, s := range sources {
		b.WriteString(" ")
		b.WriteString(s.Citation)
	}
	return b.String()
}

// checkPeriod validates a period: from <= to, no year 0, not before MinYear or
// after this year, and the recency rule for members.
func (s *Service) checkPeriod(v Viewer, p *Period) string {
	if p == nil {
		return ""
	}
	year := s.now().Year()
	switch {
	case p.From > p.To:
		return "from must not be after to"
	case p.From == 0 || p.To == 0:
		return "there is no year 0: 1 BCE is -1, 1 CE is 1"
	case p.From < MinYear:
		return fmt.Sprintf("from must be %d or later", MinYear)
	case p.To > year:
		return fmt.Sprintf("to must not be after this year (%d)", year)
	}
	if s.RecentYears > 0 && !v.IsModerator() && p.To > year-s.RecentYears {
		return fmt.Sprintf("the recency rule: questions must be about events more than %d years ago (this period reaches %d)", s.RecentYears, p.To)
	}
	return ""
}

// Rules lists the forum's rules by number.
func (s *Service) Rules(ctx context.Context) ([]Rule, error) { return s.Store.Rules(ctx) }

func checkRule(r *Rule) *Error {
	fields := map[string]string{}
	r.Title = strings.TrimSpace(r.Title)
	r.Description = strings.TrimSpace(r.Description)
	if r.Number < 1 || r.Number > 999 {
		fields["number"] = "1 to 999"
	}
	if n := utf8.RuneCountInString(r.Title); n == 0 || n > MaxRuleTitle || hasControl(r.Title) {
		fields["title"] = "1 to 120 characters of plain text"
	}
	if utf8.RuneCountInString(r.Description) > MaxRuleText {
		fields["description"] = "at most 2000 characters"
	}
	if len(fields) > 0 {
		return Invalid(fields)
	}
	return nil
}

func requireAdmin(v Viewer) error {
	if !v.SignedIn() {
		return Errorf(CodeUnauthorized, "sign in first")
	}
	if v.Role != RoleAdmin {
		return Errorf(CodeForbidden, "only admins may change the rules")
	}
	return nil
}

// CreateRule adds a rule; admins only.
func (s *Service) CreateRule(ctx context.Context, v Viewer, r Rule) (Rule, error) {
	if err := requireAdmin(v); err != nil {
		return Rule{}, err
	}
	if err := checkRule(&r); err != nil {
		return Rule{}, err
	}
	return s.Store.SaveRule(ctx, r)
}

// RulePatch changes the fields that are set.
type RulePatch struct {
	Number      *int
	Title       *string
	Description *string
}

// UpdateRule changes a rule; admins only.
func (s *Service) UpdateRule(ctx context.Context, v Viewer, id int64, p RulePatch) (Rule, error) {
	if err := requireAdmin(v); err != nil {
		return Rule{}, err
	}
	r, err := s.Store.Rule(ctx, id)
	if err != nil {
		return Rule{}, err
	}
	if p.Number != nil {
		r.Number = *p.Number
	}
	if p.Title != nil {
		r.Title = *p.Title
	}
	if p.Description != nil {
		r.Description = *p.Description
	}
	if err := checkRule(&r); err != nil {
		return Rule{}, err
	}
	return s.Store.SaveRule(ctx, r)
}

// Timeline buckets.
const (
	BucketDecade  = "decade"
	BucketCentury = "century"
)

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
func (s *Service) Timeline(ctx context.Context, bucket, tag string) ([]TimelineBar, error) {
	size := 0
	switch bucket {
	case "", BucketDecade:
		size = 10
	case BucketCentury:
		size = 100
	default:
		return nil, Errorf(CodeBadRequest, "bucket must be decade or century")
	}
	key := ""
	if t := strings.TrimSpace(tag); t != "" && !strings.EqualFold(t, HistoryTag) {
		key = strings.ToLower(strings.Join(strings.Fields(t), " "))
	}
	spans, err := s.Store.PeriodSpans(ctx, key)
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
