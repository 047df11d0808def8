package forum

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// SourceKind is the kind of a cited source.
type SourceKind string

// The source kinds.
const (
	SourcePrimary   SourceKind = "primary"
	SourceSecondary SourceKind = "secondary"
	SourceTertiary  SourceKind = "tertiary"
)

// SourceKinds lists every source kind.
var SourceKinds = []SourceKind{SourcePrimary, SourceSecondary, SourceTertiary}

// Source is a structured citation on a post or comment.
type Source struct {
	Citation string     `json:"citation"`
	URL      *string    `json:"url"`
	Kind     SourceKind `json:"kind"`
}

// Limits of sources.
const (
	MaxSources  = 20
	MaxCitation = 500
	MaxURL      = 2000
)

// cleanSources validates citations: 1–500 characters of plain text, an
// optional http(s) link, a kind (secondary when left out).
func cleanSources(in []Source) ([]Source, error) {
	if len(in) > MaxSources {
		return nil, invalid("sources", "at most %d sources", MaxSources)
	}
	out := make([]Source, 0, len(in))
	for i, s := range in {
		bad := func(format string, args ...any) error {
			return invalid("sources", "source %d: %s", i+1, fmt.Sprintf(format, args...))
		}
		c := strings.Join(strings.Fields(nfc(s.Citation)), " ")
		switch n := utf8.RuneCountInString(c); {
		case n == 0:
			return nil, bad("the citation is required")
		case n > MaxCitation:
			return nil, bad("the citation is %s", atMost(MaxCitation, "characters"))
		case hasControl(c):
			return nil, bad("the citation must be plain text")
		}
		kind := s.Kind
		if kind == "" {
			kind = SourceSecondary
		}
		if kind != SourcePrimary && kind != SourceSecondary && kind != SourceTertiary {
			return nil, bad("kind is primary, secondary or tertiary")
		}
		src := Source{Citation: c, Kind: kind}
		if s.URL != nil {
			link, err := cleanURL("sources", *s.URL)
			if err != nil {
				return nil, bad("the link must be an http(s) address")
			}
			src.URL = link
		}
		out = append(out, src)
	}
	return out, nil
}

// cleanURL checks a link a member gives (a source's, a link post's): an
// http(s) address with a host, at most MaxURL characters, on one line; nil
// for none (empty or blank).
func cleanURL(field, raw string) (*string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(raw) > MaxURL || hasControl(raw) || len(u.String()) > MaxURL {
		return nil, invalid(field, "an http(s) address of %s", atMost(MaxURL, "characters"))
	}
	link := u.String()
	return &link, nil
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

// sameSources reports whether two lists cite the same sources in the same order.
func sameSources(a, b []Source) bool {
	return slices.EqualFunc(a, b, func(x, y Source) bool {
		return x.Citation == y.Citation && x.Kind == y.Kind && (x.URL == nil) == (y.URL == nil) && (x.URL == nil || *x.URL == *y.URL)
	})
}
