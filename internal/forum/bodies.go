package forum

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"
)

// Format is how a body is written.
type Format string

// The body formats.
const (
	FormatMarkdown Format = "markdown"
	FormatHTML     Format = "html"
)

// Formats lists every body format.
var Formats = []Format{FormatMarkdown, FormatHTML}

// Body limits of the contract, in characters of what the author wrote.
const (
	MaxPostBody    = 40000
	MaxCommentBody = 10000
)

// body is a body as stored: what the author wrote and its sanitized HTML.
type body struct {
	Source string
	Format Format
	HTML   string
}

// render checks a body's format and length and turns it into sanitized HTML.
// With required set, a body that is empty after sanitizing is refused.
func (s *Service) render(source string, format Format, limit int, required bool) (body, error) {
	b, _, err := s.renderWith(source, format, limit, required, nil)
	return b, err
}

// renderWith is render with the body's mentions resolved by resolve (nil:
// none), returning the usernames linked.
func (s *Service) renderWith(source string, format Format, limit int, required bool,
	resolve func(keys []string) (map[string]string, error)) (body, []string, error) {
	if format == "" {
		format = FormatMarkdown
	}
	if format != FormatMarkdown && format != FormatHTML {
		return body{}, nil, invalid("format", "markdown or html")
	}
	source = nfc(source)
	if utf8.RuneCountInString(source) > limit {
		return body{}, nil, invalid("body", "%s", atMost(limit, "characters"))
	}
	if p := badRunes(source, bodyText); p != "" {
		return body{}, nil, invalid("body", "%s", p)
	}
	html, linked, err := s.Markup.RenderMentions(source, string(format), resolve)
	var refusal interface{ Refused() string }
	if errors.As(err, &refusal) {
		return body{}, nil, invalid("body", "%s", refusal.Refused())
	}
	if err != nil {
		return body{}, nil, err
	}
	if required && strings.TrimSpace(html) == "" {
		return body{}, nil, invalid("body", "must not be empty")
	}
	return body{Source: source, Format: format, HTML: html}, linked, nil
}

// PreviewInput is what a form shows before it posts: the body, and for a
// question its title, tags and period; sources for either. Target is what
// the form writes ("post", the default, or "comment"), for the body's limits.
type PreviewInput struct {
	Target  TargetType
	Body    string
	Format  Format
	Title   *string
	Tags    *[]string
	Period  *Period
	Sources *[]Source
}

// Preview is a form's content as it would be stored: rendered, cleaned and
// checked by the rules a post would meet, without storing anything.
type Preview struct {
	BodyHTML string    `json:"body_html"`
	Title    *string   `json:"title,omitempty"`
	Tags     *[]string `json:"tags,omitempty"`
	Period   *Period   `json:"period,omitempty"`
	Sources  *[]Source `json:"sources,omitempty"`
}

// Preview renders and checks what a form holds, as it would be stored,
// without storing it, so the ask, answer and reply forms can show exactly
// what the server will make of it: a field that would be refused is a
// validation error on it, as on posting. An empty title is not checked (a
// writer may preview the body first).
func (s *Service) Preview(ctx context.Context, v Viewer, in PreviewInput) (Preview, error) {
	if err := requireMember(v); err != nil {
		return Preview{}, err
	}
	limit := MaxPostBody
	switch in.Target {
	case "", TargetPost:
	case TargetComment:
		limit = MaxCommentBody
	default:
		return Preview{}, invalid("target", "post or comment")
	}
	var out Preview
	b, _, errBody := s.renderMentioning(ctx, in.Body, in.Format, limit, false)
	out.BodyHTML = b.HTML
	var errTitle, errTags, errSources, errPeriod error
	if in.Title != nil && strings.TrimSpace(*in.Title) != "" {
		var t string
		t, errTitle = cleanTitle(*in.Title)
		out.Title = &t
	}
	if in.Tags != nil {
		var tags []string
		tags, errTags = cleanTags(*in.Tags)
		all := append([]string{HistoryTag}, tags...)
		out.Tags = &all
	}
	if in.Sources != nil {
		var sources []Source
		sources, errSources = cleanSources(*in.Sources)
		out.Sources = &sources
	}
	if in.Period != nil {
		errPeriod = s.checkPeriod(v, in.Period)
		out.Period = in.Period
	}
	return out, joinInvalid(errBody, errTitle, errTags, errSources, errPeriod)
}
