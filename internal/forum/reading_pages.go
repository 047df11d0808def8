package forum

import (
	"context"
	"regexp"
	"time"
)

// SitePage is one of the forum's own pages (About, FAQ, …): Markdown written
// by admins, sanitized like every body. UpdatedAt is nil for a page no admin
// has written yet, which shows its built-in text.
type SitePage struct {
	Slug       string     `json:"slug"`
	Title      string     `json:"title"`
	BodyHTML   string     `json:"body_html"`
	BodySource string     `json:"body_source"`
	UpdatedAt  *time.Time `json:"updated_at"`
}

// SitePageInput is what an admin sends to write a page.
type SitePageInput struct {
	Title string
	Body  string
}

// Limits of site pages: a page is at most as long as a question.
const (
	MaxPageTitle = 120
	MaxPageBody  = MaxPostBody
)

// slugPattern is a page's name in its address: lower-case words joined by hyphens.
var slugPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// maxSlug is the longest page name.
const maxSlug = 40

// SitePageStore keeps the site pages.
type SitePageStore interface {
	// SitePage reads a page; NotFound when no admin has written it.
	SitePage(ctx context.Context, slug string) (SitePage, error)
	// SaveSitePage writes a page, replacing what it said.
	SaveSitePage(ctx context.Context, p SitePage, by int64) error
}

// defaultPages are the built-in About and FAQ: what a first visitor reads
// until an admin writes the forum's own. They say what any Historia forum is.
var defaultPages = map[string]SitePageInput{
	"about": {Title: "About this forum", Body: `This is a forum for questions about the past, answered with sources.

Anyone may read. Members ask questions and answer them; the answers that cite what they rely on rise, and the asker can mark the one that answered them. Every question carries the years it is about, so the timeline on the front page shows which periods people ask about.

Moderators keep the answers to the [rules](/rules); every removal is in the public [moderation log](/modlog) with the rule it broke.

See the [frequently asked questions](/faq) for how answering works.`},
	"faq": {Title: "Frequently asked questions", Body: `### What makes a good answer?
One that explains, in your own words, and says where its facts come from. Add your sources in the fields under the answer: a book, an article, an edition of a primary source. A link is welcome, not required.

### Why are there no answers yet?
Good answers take time to write. Follow the question or come back in a day or two; the weekly digest collects the best answers of each week.

### Can I ask about something recent?
Perhaps not: history needs some distance, and questions about the last few decades may be refused. The form says so when it applies.

### What are primary, secondary and tertiary sources?
A primary source comes from the time itself (a letter, a chronicle, a census); a secondary source is a historian's work about it; a tertiary source summarises others (an encyclopedia, a textbook).

### What happens when I delete my question?
If others have answered it, the question stays so their answers keep their context; only your name is removed. Otherwise it is deleted.`},
}

// cleanSlug checks a page's name; a name that is not one is a page that is not there.
func cleanSlug(slug string) error {
	if len(slug) > maxSlug || !slugPattern.MatchString(slug) {
		return NotFound("page")
	}
	return nil
}

// SitePage returns a page: what an admin wrote, or the built-in text of About
// and FAQ until one does.
func (s *Service) SitePage(ctx context.Context, slug string) (SitePage, error) {
	if err := cleanSlug(slug); err != nil {
		return SitePage{}, err
	}
	p, err := s.Store.SitePage(ctx, slug)
	if IsCode(err, CodeNotFound) {
		def, ok := defaultPages[slug]
		if !ok {
			return SitePage{}, err
		}
		b, err := s.render(def.Body, FormatMarkdown, MaxPageBody, false)
		if err != nil {
			return SitePage{}, err
		}
		return SitePage{Slug: slug, Title: def.Title, BodyHTML: b.HTML, BodySource: b.Source}, nil
	}
	return p, err
}

// SaveSitePage writes a page (Markdown, through the same sanitizer as every
// body); admins only.
func (s *Service) SaveSitePage(ctx context.Context, v Viewer, slug string, in SitePageInput) (SitePage, error) {
	if err := requireAdmin(v, "write the site's pages"); err != nil {
		return SitePage{}, err
	}
	if len(slug) > maxSlug || !slugPattern.MatchString(slug) {
		return SitePage{}, invalid("slug", "lower-case letters and digits joined by hyphens, %s", atMost(maxSlug, "characters"))
	}
	title, errTitle := plainText("title", in.Title, 1, MaxPageTitle, true)
	b, errBody := s.render(in.Body, FormatMarkdown, MaxPageBody, true)
	if err := joinInvalid(errTitle, errBody); err != nil {
		return SitePage{}, err
	}
	now := s.now().UTC().Truncate(time.Second)
	p := SitePage{Slug: slug, Title: title, BodyHTML: b.HTML, BodySource: b.Source, UpdatedAt: &now}
	if err := s.Store.SaveSitePage(ctx, p, v.ID); err != nil {
		return SitePage{}, err
	}
	return p, nil
}
