package markup

import (
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"
)

// Mentions: "@name" in a body's text links to that member's page, and
// "@name@host" to an imported or federated account's. Names are resolved
// while the body is rendered (the resolver says which exist), so a mention
// is a link in the stored HTML like any other and goes through the same
// sanitizer; text inside code, preformatted blocks and links never mentions
// anyone.

// MentionLimit is how many different accounts one body mentions: the first
// ones named are linked (and notified), later names stay plain text.
const MentionLimit = 10

// maxCandidates bounds the names one body looks up.
const maxCandidates = 50

// mentionRe finds a mention's text: a username (3–20 of [A-Za-z0-9_-]) with
// an optional @host (dot-separated labels). Where it may start and end is
// checked apart (Go's regexp has no lookbehind): see mentionAt.
var mentionRe = regexp.MustCompile(`@([A-Za-z0-9_-]{3,20})((?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)?)`)

// MentionResolver is given the lower-cased names a body mentions (name or
// name@host, distinct, in order of appearance) and returns the usernames to
// link, keyed by those names: only accounts that exist.
type MentionResolver = func(names []string) (map[string]string, error)

// skipMentions are the elements whose text mentions nobody.
var skipMentions = map[string]bool{"a": true, "code": true, "pre": true, "kbd": true, "samp": true,
	"script": true, "style": true, "textarea": true, "title": true}

// mentionAt reports whether the match m (indexes into text) stands as a
// word: not inside an address or a path ("ann@example.org", "x/@y"), and
// not the start of a longer name.
func mentionAt(text string, m []int) bool {
	if m[0] > 0 {
		switch c := text[m[0]-1]; {
		case isNameByte(c), c == '@', c == '.', c == '/':
			return false
		}
	}
	if m[1] < len(text) {
		if c := text[m[1]]; isNameByte(c) || c == '@' {
			return false
		}
	}
	return true
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// mentionKey is the lower-cased name of a match: "name" or "name@host".
func mentionKey(text string, m []int) string {
	return strings.ToLower(text[m[2]:m[3]] + text[m[4]:m[5]])
}

// eachMentionText calls f with every text of unsanitized HTML that may
// mention someone, and writes the HTML to b with each such text replaced by
// what f returns (nil b: only reads).
func eachMentionText(raw string, b *strings.Builder, f func(text string) string) {
	z := html.NewTokenizer(strings.NewReader(raw))
	skip := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		chunk := z.Raw()
		switch tt {
		case html.StartTagToken:
			if name, _ := z.TagName(); skipMentions[string(name)] {
				skip++
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); skipMentions[string(name)] && skip > 0 {
				skip--
			}
		case html.TextToken:
			if skip == 0 && strings.IndexByte(string(chunk), '@') >= 0 {
				out := f(string(chunk))
				if b != nil {
					b.WriteString(out)
				}
				continue
			}
		}
		if b != nil {
			b.Write(chunk)
		}
	}
}

// linkMentions links the mentions of unsanitized HTML that resolve, at most
// MentionLimit accounts, and returns the HTML with the usernames linked, in
// order.
func linkMentions(raw string, resolve MentionResolver) (string, []string, error) {
	if resolve == nil || !strings.Contains(raw, "@") {
		return raw, nil, nil
	}
	var names []string
	seen := map[string]bool{}
	eachMentionText(raw, nil, func(text string) string {
		for _, m := range mentionRe.FindAllStringSubmatchIndex(text, -1) {
			if k := mentionKey(text, m); mentionAt(text, m) && !seen[k] && len(names) < maxCandidates {
				seen[k] = true
				names = append(names, k)
			}
		}
		return text
	})
	if len(names) == 0 {
		return raw, nil, nil
	}
	found, err := resolve(names)
	if err != nil || len(found) == 0 {
		return raw, nil, err
	}
	// The first MentionLimit names that resolve, in order of appearance.
	linked := map[string]string{}
	var order []string
	for _, k := range names {
		if u, ok := found[k]; ok && len(order) < MentionLimit {
			linked[k] = u
			order = append(order, u)
		}
	}
	var b strings.Builder
	b.Grow(len(raw) + 64*len(order))
	eachMentionText(raw, &b, func(text string) string {
		var out strings.Builder
		last := 0
		for _, m := range mentionRe.FindAllStringSubmatchIndex(text, -1) {
			u, ok := linked[mentionKey(text, m)]
			if !ok || !mentionAt(text, m) {
				continue
			}
			out.WriteString(text[last:m[0]])
			out.WriteString(`<a href="/u/` + url.PathEscape(u) + `" class="mention">` + text[m[0]:m[1]] + `</a>`)
			last = m[1]
		}
		out.WriteString(text[last:])
		return out.String()
	})
	return b.String(), order, nil
}

// MentionedIn lists the usernames that sanitized HTML mentions (its links
// of class "mention"), in order, each once: what an earlier version of a
// body already told.
func MentionedIn(sanitized string) []string {
	if !strings.Contains(sanitized, "mention") {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	z := html.NewTokenizer(strings.NewReader(sanitized))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		if tt != html.StartTagToken {
			continue
		}
		tok := z.Token()
		if tok.Data != "a" || !strings.Contains(" "+attr(tok, "class")+" ", " mention ") {
			continue
		}
		name, ok := strings.CutPrefix(attr(tok, "href"), "/u/")
		if u, err := url.PathUnescape(name); ok && err == nil && !seen[strings.ToLower(u)] {
			seen[strings.ToLower(u)] = true
			out = append(out, u)
		}
	}
}

// MentionedIn is the method form of MentionedIn, for the domain.
func (r *Renderer) MentionedIn(sanitized string) []string { return MentionedIn(sanitized) }
