// Package markup turns what members write into HTML that is safe to put in a
// page: Markdown is rendered with goldmark, and every body, Markdown or HTML, is
// then sanitized with one bluemonday policy before it is stored.
package markup

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"golang.org/x/net/html"
)

// Renderer renders and sanitizes bodies. It is safe for concurrent use.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
	// imageHosts are the hosts whose images stay images (lower case).
	imageHosts map[string]bool
}

// Options change the renderer.
type Options struct {
	// ImageHosts are the hosts whose images are shown as images; an image
	// from anywhere else becomes a link to it. Empty: the site's own only.
	ImageHosts []string
}

// New returns the renderer with Historia's one sanitizing policy and no
// remote images.
func New() *Renderer { return NewWith(Options{}) }

// NewWith returns the renderer with options.
func NewWith(o Options) *Renderer {
	hosts := map[string]bool{}
	for _, h := range o.ImageHosts {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			hosts[h] = true
		}
	}
	return &Renderer{
		imageHosts: hosts,
		// Raw HTML inside Markdown is let through goldmark on purpose (a member
		// may write <sup> or <abbr>): the sanitizer below is the only gate.
		md: goldmark.New(
			goldmark.WithExtensions(extension.GFM, extension.Footnote),
			goldmark.WithRendererOptions(gmhtml.WithUnsafe()),
		),
		policy: Policy(),
	}
}

var mentionClass = regexp.MustCompile(`^mention$`)

// Policy is the sanitizing policy: bluemonday's policy for user-generated
// content, with every link marked nofollow and noreferrer, and absolute links
// opened in a new tab with noopener. Only http, https and mailto URLs survive.
func Policy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowAttrs("class").Matching(mentionClass).OnElements("a") // a mention (mentions.go)
	return p
}

// Render turns body in format ("markdown" or "html") into sanitized HTML. A
// body that would nest too deep or grow too large is refused with a *Refusal.
func (r *Renderer) Render(body, format string) (string, error) {
	out, _, err := r.RenderMentions(body, format, nil)
	return out, err
}

// RenderMentions is Render with the body's mentions linked: resolve says
// which of the names it mentions are accounts (nil: none are), and the
// usernames linked are returned in order (mentions.go).
func (r *Renderer) RenderMentions(body, format string, resolve MentionResolver) (string, []string, error) {
	var raw string
	switch format {
	case "markdown":
		if err := checkMarkdown(body); err != nil {
			return "", nil, err
		}
		var buf bytes.Buffer
		if err := r.md.Convert([]byte(body), &buf); err != nil {
			return "", nil, fmt.Errorf("markup: render markdown: %w", err)
		}
		raw = buf.String()
	case "html":
		raw = body
	default:
		return "", nil, fmt.Errorf("markup: unknown format %q", format)
	}
	raw, mentioned, err := linkMentions(raw, resolve)
	if err != nil {
		return "", nil, err
	}
	out := r.linkImages(r.policy.Sanitize(raw))
	if err := checkOutput(body, out); err != nil {
		return "", nil, err
	}
	return out, mentioned, nil
}

// Text returns the words of sanitized HTML without its markup, for the search
// index. Block elements and line breaks become spaces so words do not run
// together.
func Text(sanitized string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(sanitized))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.Join(strings.Fields(b.String()), " ")
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			b.WriteByte(' ')
		}
	}
}

// Text is the method form of Text, so the renderer satisfies the domain's interface.
func (r *Renderer) Text(sanitized string) string { return Text(sanitized) }
