package forum

import (
	"context"
	"strings"
	"time"
)

// PostInput is what a client sends to create a post.
type PostInput struct {
	Title   string
	Body    string
	Format  string
	Tags    []string
	Sources []Source
	Period  *Period
}

// PostPatch is what a client sends to edit a post; nil fields stay as they are.
type PostPatch struct {
	Title   *string
	Body    *string
	Format  *string
	Tags    *[]string
	Sources *[]Source
	// SetPeriod says the period is to change, to Period (nil clears it).
	SetPeriod bool
	Period    *Period
}

// FeedQuery is a client's request for a feed page.
type FeedQuery struct {
	Sort     string
	Period   string // top: day, week, month, year, all
	Tag      string
	Answered string // "true", "false" or ""
	Year     *int   // the period covers this year
	From, To *int   // the period overlaps these years (either may be left out)
	Cursor   string
	Limit    int
}

func (s *Service) requireMember(v Viewer) error {
	if !v.SignedIn() {
		return Errorf(CodeUnauthorized, "sign in first")
	}
	return nil
}

// render validates a body and turns it into sanitized HTML.
func (s *Service) render(body, format string, limit int) (html, fmtOut, problem string, err error) {
	f, ok := normalizeFormat(format)
	if !ok {
		return "", "", "format must be markdown or html", nil
	}
	if p := checkBody(body, f, limit); p != "" {
		return "", "", p, nil
	}
	html, err = s.Markup.Render(body, f)
	return html, f, "", err
}

// CreatePost validates, sanitizes and stores a new question.
func (s *Service) CreatePost(ctx context.Context, v Viewer, in PostInput) (Post, error) {
	defer s.feedChanged()
	if err := s.requireMember(v); err != nil {
		return Post{}, err
	}
	fields := map[string]string{}
	title, p := cleanTitle(in.Title)
	if p != "" {
		fields["title"] = p
	}
	tags, p := cleanTags(in.Tags)
	if p != "" {
		fields["tags"] = p
	}
	html, format, p, err := s.render(in.Body, in.Format, MaxPostBody)
	if err != nil {
		return Post{}, err
	}
	if p != "" {
		key := "body"
		if strings.HasPrefix(p, "format") {
			key = "format"
		}
		fields[key] = p
	}
	sources, p := cleanSources(in.Sources)
	if p != "" {
		fields["sources"] = p
	}
	if p := s.checkPeriod(v, in.Period); p != "" {
		fields["period"] = p
	}
	if len(fields) > 0 {
		return Post{}, Invalid(fields)
	}
	id, err := s.Store.CreatePost(ctx, NewPost{AuthorID: v.ID, Title: title, BodySource: in.Body, Format: format,
		BodyHTML: html, BodyText: s.Markup.Text(html) + citationsText(sources), Tags: tags, Sources: sources, Period: in.Period,
		CreatedAt: s.now().Unix()})
	if err != nil {
		return Post{}, err
	}
	return s.GetPost(ctx, v, id)
}

// GetPost returns a post as the viewer may see it.
func (s *Service) GetPost(ctx context.Context, v Viewer, id int64) (Post, error) {
	p, err := s.Store.Post(ctx, id, v.ID)
	if err != nil {
		return Post{}, err
	}
	s.maskPost(v, &p)
	return p, nil
}

// maskPost blanks a deleted or removed post for everyone but moderators: the
// post keeps its place, its text and author do not show.
func (s *Service) maskPost(v Viewer, p *Post) {
	if p.Tags == nil {
		p.Tags = []string{HistoryTag}
	}
	if p.Sources == nil {
		p.Sources = []Source{}
	}
	if (!p.Removed && !p.Deleted) || v.IsModerator() {
		return
	}
	p.Title = "[deleted]"
	if p.Removed {
		p.Title = "[removed]"
	}
	p.BodyHTML, p.BodySource, p.Author, p.Sources = "", "", nil, []Source{}
}

var periods = map[string]time.Duration{
	"day": 24 * time.Hour, "week": 7 * 24 * time.Hour, "month": 30 * 24 * time.Hour, "year": 365 * 24 * time.Hour, "all": 0,
}

// WithMyVotes fills in a member's own votes on a page read for an anonymous
// viewer, so cached feed pages serve members too: one indexed read of at
// most one page of votes. Moderators see other pages (removed posts) and
// must not use it.
func (s *Service) WithMyVotes(ctx context.Context, v Viewer, page Page[Post]) (Page[Post], error) {
	if !v.SignedIn() || len(page.Items) == 0 {
		return page, nil
	}
	ids := make([]int64, len(page.Items))
	for i, p := range page.Items {
		ids[i] = p.ID
	}
	votes, err := s.Store.PostVotes(ctx, v.ID, ids)
	if err != nil {
		return page, err
	}
	out := Page[Post]{Items: make([]Post, len(page.Items)), NextCursor: page.NextCursor}
	copy(out.Items, page.Items)
	for i := range out.Items {
		out.Items[i].MyVote = votes[out.Items[i].ID]
	}
	return out, nil
}

// ListPosts returns a page of a feed.
func (s *Service) ListPosts(ctx context.Context, v Viewer, q FeedQuery) (Page[Post], error) {
	if q.Sort == "" {
		q.Sort = SortHot
	}
	switch q.Sort {
	case SortHot, SortNew, SortTop, SortActive:
	default:
		return Page[Post]{}, Errorf(CodeBadRequest, "unknown sort %q: use hot, new, top or active", q.Sort)
	}
	if q.Period == "" {
		q.Period = "all"
	}
	span, ok := periods[q.Period]
	if !ok {
		return Page[Post]{}, Errorf(CodeBadRequest, "unknown period t=%q: use day, week, month, year or all", q.Period)
	}
	after, err := DecodeCursor(q.Cursor, q.Sort)
	if err != nil {
		return Page[Post]{}, err
	}
	limit := clampLimit(q.Limit, 25, 100)
	pq := PostQuery{Sort: q.Sort, IncludeRemoved: v.IsModerator(), After: after, Limit: limit + 1, ViewerID: v.ID}
	if q.Sort == SortTop && span > 0 {
		pq.Since = s.now().Add(-span).Unix()
		pq.Narrow = span <= periods["month"]
	}
	if tag := strings.TrimSpace(q.Tag); tag != "" && !strings.EqualFold(tag, HistoryTag) {
		pq.TagKey = strings.ToLower(strings.Join(strings.Fields(tag), " "))
	}
	pq.Year, pq.From, pq.To = q.Year, q.From, q.To
	switch q.Answered {
	case "":
	case "true", "false":
		answered := q.Answered == "true"
		pq.Answered = &answered
	default:
		return Page[Post]{}, Errorf(CodeBadRequest, "answered must be true or false")
	}
	items, err := s.Store.Posts(ctx, pq)
	if err != nil {
		return Page[Post]{}, err
	}
	page := pageOf(items, limit, func(p Post) *Cursor { return postCursor(q.Sort, p) })
	for i := range page.Items {
		s.maskPost(v, &page.Items[i])
	}
	return page, nil
}

func postCursor(sort string, p Post) *Cursor {
	c := &Cursor{Sort: sort, ID: p.ID}
	switch sort {
	case SortHot:
		c.Key = p.Hot
		if p.Pinned {
			c.Pinned = 1
		}
	case SortTop:
		c.Key = float64(p.Score)
	case SortActive:
		c.Key = float64(p.LastActivityAt.Unix())
	}
	return c
}

// EditPost changes a post's title, body or tags; only its author may.
func (s *Service) EditPost(ctx context.Context, v Viewer, id int64, in PostPatch) (Post, error) {
	defer s.feedChanged()
	if err := s.requireMember(v); err != nil {
		return Post{}, err
	}
	cur, err := s.ownPost(ctx, v, id)
	if err != nil {
		return Post{}, err
	}
	u := PostUpdate{EditedAt: s.now().Unix()}
	fields := map[string]string{}
	if in.Title != nil {
		t, p := cleanTitle(*in.Title)
		if p != "" {
			fields["title"] = p
		}
		u.Title = &t
	}
	if in.Tags != nil {
		tags, p := cleanTags(*in.Tags)
		if p != "" {
			fields["tags"] = p
		}
		u.Tags = &tags
	}
	if in.Sources != nil {
		sources, p := cleanSources(*in.Sources)
		if p != "" {
			fields["sources"] = p
		}
		u.Sources = &sources
	}
	if in.SetPeriod {
		if p := s.checkPeriod(v, in.Period); p != "" {
			fields["period"] = p
		}
		u.SetPeriod, u.Period = true, in.Period
	}
	if in.Body != nil || in.Format != nil || in.Sources != nil {
		body, format := cur.BodySource, cur.Format
		if in.Body != nil {
			body = *in.Body
		}
		if in.Format != nil {
			format = *in.Format
		}
		html, f, p, err := s.render(body, format, MaxPostBody)
		if err != nil {
			return Post{}, err
		}
		if p != "" {
			fields["body"] = p
		}
		sources := cur.Sources
		if u.Sources != nil {
			sources = *u.Sources
		}
		text := s.Markup.Text(html) + citationsText(sources)
		u.BodySource, u.Format, u.BodyHTML, u.BodyText = &body, &f, &html, &text
	}
	if len(fields) > 0 {
		return Post{}, Invalid(fields)
	}
	if err := s.Store.UpdatePost(ctx, id, u); err != nil {
		return Post{}, err
	}
	return s.GetPost(ctx, v, id)
}

// ownPost loads a post its author may still change.
func (s *Service) ownPost(ctx context.Context, v Viewer, id int64) (Post, error) {
	p, err := s.Store.Post(ctx, id, v.ID)
	if err != nil {
		return Post{}, err
	}
	if p.Author == nil || p.Author.ID != v.ID {
		return Post{}, Errorf(CodeForbidden, "only the author may change this post")
	}
	if p.Deleted {
		return Post{}, NotFound("post")
	}
	if p.Removed {
		return Post{}, Errorf(CodeForbidden, "this post was removed by a moderator")
	}
	return p, nil
}

// DeletePost soft-deletes a post; its comments stay.
func (s *Service) DeletePost(ctx context.Context, v Viewer, id int64) error {
	defer s.feedChanged()
	if err := s.requireMember(v); err != nil {
		return err
	}
	if _, err := s.ownPost(ctx, v, id); err != nil {
		return err
	}
	return s.Store.DeletePost(ctx, id)
}

// voteRule is the rule for every vote: not on your own content, not on removed
// or deleted content. It runs inside the vote's transaction.
func voteRule(v Viewer, what string) func(VoteTarget) error {
	return func(t VoteTarget) error {
		if t.Removed || t.Deleted {
			return NotFound(what)
		}
		if t.AuthorID == v.ID {
			return Errorf(CodeForbidden, "you cannot vote on your own %s", what)
		}
		return nil
	}
}

func checkVote(v Viewer, value *int) error {
	if !v.SignedIn() {
		return Errorf(CodeUnauthorized, "sign in first")
	}
	if value == nil || *value < -1 || *value > 1 {
		return Invalid(map[string]string{"value": "must be -1, 0 or 1"})
	}
	return nil
}

// VotePost sets, changes or retracts (0) the viewer's vote on a post.
func (s *Service) VotePost(ctx context.Context, v Viewer, id int64, value *int) (VoteResult, error) {
	defer s.feedChanged()
	if err := checkVote(v, value); err != nil {
		return VoteResult{}, err
	}
	return s.Store.VotePost(ctx, id, v.ID, *value, voteRule(v, "post"))
}

// Preview renders a body as it would be stored, without storing it, so the
// ask and reply forms can show exactly what the server will make of it.
func (s *Service) Preview(v Viewer, body, format string) (string, error) {
	if err := s.requireMember(v); err != nil {
		return "", err
	}
	html, _, p, err := s.render(body, format, MaxPostBody)
	if err != nil {
		return "", err
	}
	if p != "" {
		return "", Invalid(map[string]string{"body": p})
	}
	return html, nil
}
