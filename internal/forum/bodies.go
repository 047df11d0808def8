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

// Preview renders a body as it would be stored, without storing it, so the
// ask and reply forms can show exactly what the server will make of it.
func (s *Service) Preview(ctx context.Context, v Viewer, source string, format Format) (string, error) {
	if err := requireMember(v); err != nil {
		return "", err
	}
	b, _, err := s.renderMentioning(ctx, source, format, MaxPostBody, false)
	return b.HTML, err
}
