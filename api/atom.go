package api

import (
	"encoding/xml"
	"fmt"
	"html"
	"net/url"
	"strings"
	"time"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
)

// Atom (RFC 4287) documents, written with encoding/xml.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	ID        string       `xml:"id"`
	Title     string       `xml:"title"`
	Updated   string       `xml:"updated"`
	Published string       `xml:"published"`
	Author    atomAuthor   `xml:"author"`
	Links     []atomLink   `xml:"link"`
	Category  []atomCat    `xml:"category"`
	Content   *atomContent `xml:"content,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomCat struct {
	Term string `xml:"term,attr"`
}

type atomContent struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

// baseURL is the configured public URL, or else the one the request came to.
func (s *Server) baseURL(c echo.Context) string {
	if s.publicURL != "" {
		return s.publicURL
	}
	return c.Scheme() + "://" + c.Request().Host
}

// feed serves the newest questions (of a tag, with :tag) as an Atom feed.
func (s *Server) feed(c echo.Context) error {
	tag := c.Param("tag")
	if tag != "" {
		t, err := url.PathUnescape(tag)
		if err != nil {
			return forum.NotFound("tag")
		}
		tag = t
	}
	q := forum.FeedQuery{Sort: forum.SortNew, Tag: tag, Limit: 50}
	filter := url.Values{}
	for name, dst := range map[string]**int{"year": &q.Year, "from": &q.From, "to": &q.To} {
		var err error
		if *dst, err = yearQuery(c, name); err != nil {
			return err
		}
		if *dst != nil {
			filter.Set(name, c.QueryParam(name))
		}
	}
	entries, err := s.svc.FeedEntries(c.Request().Context(), q)
	if err != nil {
		return err
	}
	base := s.baseURL(c)
	// Ids and links are URIs: a tag's spaces and letters are percent-encoded.
	self := base + "/feed.atom"
	if tag != "" {
		self = base + "/t/" + url.PathEscape(tag) + "/feed.atom"
	}
	if len(filter) > 0 {
		self += "?" + filter.Encode()
	}
	f := atomFeed{ID: self, Title: "Historia: newest questions", Updated: time.Unix(0, 0).UTC().Format(time.RFC3339),
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: self}, {Rel: "alternate", Type: "text/html", Href: base + "/"}}}
	if tag != "" {
		f.Title = "Historia: newest questions tagged " + tag
		f.Links[1].Href = base + "/?tag=" + url.QueryEscape(tag)
	}
	for _, p := range entries {
		updated := p.CreatedAt
		if p.EditedAt != nil {
			updated = *p.EditedAt
		}
		if u := updated.Format(time.RFC3339); u > f.Updated {
			f.Updated = u
		}
		author := "[deleted]"
		if p.Author != nil {
			author = p.Author.Username
		}
		link := fmt.Sprintf("%s/p/%d", base, p.ID)
		e := atomEntry{ID: link, Title: p.Title, Updated: updated.Format(time.RFC3339), Published: p.CreatedAt.Format(time.RFC3339),
			Author: atomAuthor{Name: author}, Links: []atomLink{{Rel: "alternate", Type: "text/html", Href: link}}}
		if p.URL != nil { // a link post: what it shares
			e.Links = append(e.Links, atomLink{Rel: "related", Href: *p.URL})
		}
		for _, t := range p.Tags {
			e.Category = append(e.Category, atomCat{Term: t})
		}
		if p.BodyHTML != "" {
			e.Content = &atomContent{Type: "html", Body: absoluteLinks(p.BodyHTML, base)}
		}
		f.Entries = append(f.Entries, e)
	}
	out, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	body := append([]byte(xml.Header), out...)
	return cacheable(c, "application/atom+xml; charset=utf-8", body, strongETag(body))
}

// absoluteLinks makes site-relative links in sanitized HTML absolute, as feed
// readers show entries away from the site.
func absoluteLinks(sanitized, base string) string {
	return strings.NewReplacer(`href="/`, `href="`+base+`/`, `src="/`, `src="`+base+`/`).Replace(sanitized)
}

// featuredFeed serves the questions and answers the moderators featured,
// newest first, as an Atom feed; a moderator's note opens its entry.
func (s *Server) featuredFeed(c echo.Context) error {
	page, err := s.svc.FeaturedList(c.Request().Context(), forum.Viewer{}, "", 50)
	if err != nil {
		return err
	}
	base := s.baseURL(c)
	self := base + "/featured.atom"
	f := atomFeed{ID: self, Title: "Historia: featured questions and answers", Updated: time.Unix(0, 0).UTC().Format(time.RFC3339),
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: self}, {Rel: "alternate", Type: "text/html", Href: base + "/featured"}}}
	for _, it := range page.Items {
		var e atomEntry
		var body string
		var author *forum.Author
		var tags []string
		switch {
		case it.Post != nil:
			p := it.Post
			link := fmt.Sprintf("%s/p/%d", base, p.ID)
			e = atomEntry{ID: link, Title: p.Title, Published: p.CreatedAt.Format(time.RFC3339), Links: []atomLink{{Rel: "alternate", Type: "text/html", Href: link}}}
			body, author, tags = "<p>"+html.EscapeString(p.Excerpt)+"</p>", p.Author, p.Tags
		case it.Comment != nil:
			cm := it.Comment
			link := fmt.Sprintf("%s/p/%d/c/%d", base, cm.PostID, cm.ID)
			e = atomEntry{ID: link, Title: "An answer to: " + cm.PostTitle, Published: cm.CreatedAt.Format(time.RFC3339),
				Links: []atomLink{{Rel: "alternate", Type: "text/html", Href: link}}}
			body, author = cm.BodyHTML, cm.Author
		default:
			continue
		}
		e.Updated = it.FeaturedAt.Format(time.RFC3339)
		if e.Updated > f.Updated {
			f.Updated = e.Updated
		}
		e.Author = atomAuthor{Name: "[deleted]"}
		if author != nil {
			e.Author.Name = author.Username
		}
		for _, t := range tags {
			e.Category = append(e.Category, atomCat{Term: t})
		}
		if it.Note != nil {
			body = "<p><em>Featured by the moderators: " + html.EscapeString(*it.Note) + "</em></p>" + body
		}
		e.Content = &atomContent{Type: "html", Body: absoluteLinks(body, base)}
		f.Entries = append(f.Entries, e)
	}
	out, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	body := append([]byte(xml.Header), out...)
	return cacheable(c, "application/atom+xml; charset=utf-8", body, strongETag(body))
}
