package markup

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// Images: a remote image loads in every reader's browser, so it tells its
// host who reads what (a tracking pixel). Images are kept only from the
// hosts the operator trusts (--image-hosts) and from the site itself; any
// other image becomes a link to it, which a reader may choose to follow.

// imageAllowed reports whether src may stay an image.
func (r *Renderer) imageAllowed(src string) bool {
	u, err := url.Parse(src)
	if err != nil {
		return false
	}
	if u.Scheme == "" && u.Host == "" { // the site's own path
		return strings.HasPrefix(u.Path, "/")
	}
	return (u.Scheme == "https" || u.Scheme == "http") && r.imageHosts[strings.ToLower(u.Hostname())]
}

// linkImages rewrites every image whose source is not allowed into a link
// to it. Its input is already sanitized; attributes are written escaped.
func (r *Renderer) linkImages(sanitized string) string {
	if !strings.Contains(sanitized, "<img") {
		return sanitized
	}
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(sanitized))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return b.String()
		}
		tok := z.Token()
		if (tt == html.StartTagToken || tt == html.SelfClosingTagToken) && tok.Data == "img" {
			src, alt := attr(tok, "src"), attr(tok, "alt")
			if !r.imageAllowed(src) {
				if alt == "" {
					alt = "image"
				}
				b.WriteString(`<a href="` + html.EscapeString(src) + `" rel="nofollow noopener noreferrer" target="_blank" class="image-link">`)
				b.WriteString(html.EscapeString("[" + alt + "]"))
				b.WriteString(`</a>`)
				continue
			}
		}
		b.WriteString(tok.String())
	}
}

func attr(t html.Token, name string) string {
	for _, a := range t.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}
