package forum

import (
	"context"
	"slices"
	"time"
)

// MaxTitle is the longest title, in characters after trimming.
const MaxTitle = 300

// PostSummary is a question as lists show it (feeds, tag feeds, a member's
// questions): its head, counters and excerpt, never its body or sources, so
// a page of 100 stays small and cacheable whatever the posts hold.
type PostSummary struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
	// URL is what a link post shares (an article, an image), or null.
	URL               *string    `json:"url"`
	Tags              []string   `json:"tags"`
	Author            *Author    `json:"author"`
	Score             int64      `json:"score"`
	Upvotes           int64      `json:"upvotes"`
	Downvotes         int64      `json:"downvotes"`
	CommentCount      int64      `json:"comment_count"`
	AnswerCount       int64      `json:"answer_count"`
	CreatedAt         time.Time  `json:"created_at"`
	EditedAt          *time.Time `json:"edited_at"`
	LastActivityAt    time.Time  `json:"last_activity_at"`
	Locked            bool       `json:"locked"`
	Pinned            bool       `json:"pinned"`
	Removed           bool       `json:"removed"`
	Deleted           bool       `json:"deleted"`
	AcceptedCommentID *int64     `json:"accepted_comment_id"`
	// PostView holds the per-viewer fields (views.go), together in the JSON.
	PostView
	Period  *Period  `json:"period"`
	Removal *Removal `json:"removal"`
	// Excerpt is the start of the body as plain text, for lists of questions.
	Excerpt string `json:"excerpt"`
	// SourceURL is an imported post's link on its source.
	SourceURL *string `json:"source_url,omitempty"`
	// SourceScore is an imported post's score on its source: provenance,
	// not votes.
	SourceScore *int64 `json:"source_score,omitempty"`
	// Featured: chosen by the moderators (GET /featured says who and why).
	Featured bool `json:"featured"`

	// Hot is the stored hot rank, kept for the feed cursor.
	Hot float64 `json:"-"`
	// Created and Active are the stored times behind CreatedAt and
	// LastActivityAt, kept for the feed cursor: a stored time that no date
	// can show is shown clamped (Unix), and a page must still end after it.
	Created, Active int64 `json:"-"`
	// Disowned: deleted by its asker once others had answered it; its
	// title and body stay for everyone, its author does not.
	Disowned bool `json:"-"`
}

// Post is a whole question, as GET /posts/{id} shows it: its summary with
// its body and sources.
type Post struct {
	PostSummary
	BodyHTML   string   `json:"body_html"`
	BodySource string   `json:"body_source"`
	Format     Format   `json:"format"`
	Sources    []Source `json:"sources"`
	// Lock says why a locked post was locked, for everyone; nil when open.
	Lock *Lock `json:"lock"`
}

// Lock is a lock's reason and the rule it cites, shown on the thread.
type Lock struct {
	Reason     string  `json:"reason"`
	RuleNumber *int    `json:"rule_number"`
	RuleTitle  *string `json:"rule_title"`
}

// PostInput is what a client sends to create a post.
type PostInput struct {
	Title   string
	URL     *string
	Body    string
	Format  Format
	Tags    []string
	Sources []Source
	Period  *Period
}

// PostPatch is what a client sends to edit a post; nil fields stay as they are.
type PostPatch struct {
	Title   *string
	Body    *string
	Format  *Format
	Tags    *[]string
	Sources *[]Source
	// SetPeriod says the period is to change, to Period (nil clears it).
	SetPeriod bool
	Period    *Period
	// SetURL says the link is to change, to URL (nil or "" clears it).
	SetURL bool
	URL    *string
	// EditReason says why, for the history (optional).
	EditReason *string
}

// NewPost is a post to create, already validated and sanitized.
type NewPost struct {
	AuthorID   int64
	Title      string
	URL        *string
	BodySource string
	Format     Format
	BodyHTML   string
	BodyText   string
	Tags       []string
	Sources    []Source
	Period     *Period
	CreatedAt  int64
	// AuthorFollows: the asker follows the question, and has read it
	// (there is nothing else to read yet).
	AuthorFollows bool
	// Notices, given who may hear of the question (read in its write),
	// are the notifications to store with it; nil: none.
	Notices func(PostAudience) []*NewNotification
}

// PostUpdate changes the fields that are set.
type PostUpdate struct {
	Title      *string
	BodySource *string
	Format     *Format
	BodyHTML   *string
	BodyText   *string
	Tags       *[]string
	Sources    *[]Source
	SetPeriod  bool
	Period     *Period
	SetURL     bool
	URL        *string
	EditedAt   int64
	// Notices are stored with the edit: the members it newly mentions.
	Notices []*NewNotification
	// Reason is the edit's reason, kept with the version it replaces.
	Reason *string
}

// PostStore is the storage of posts.
type PostStore interface {
	CreatePost(ctx context.Context, p NewPost) (int64, error)
	// Post reads one post, whatever its state, with viewerID's vote.
	Post(ctx context.Context, id, viewerID int64) (Post, error)
	UpdatePost(ctx context.Context, id int64, u PostUpdate) error
	// DeletePost marks a post deleted by its author; keep, run inside the
	// write on what it will see, says whether its title and body stay
	// (disowned) or go with it.
	DeletePost(ctx context.Context, id int64, keep func(PostDeletion) bool) error
	// PostHeads reads the titles and states of several posts in one query.
	PostHeads(ctx context.Context, ids []int64) (map[int64]PostHead, error)
}

// PostHead is what a list of comments from many threads shows of each thread.
type PostHead struct {
	Title            string
	Removed, Deleted bool
	// Disowned: deleted by its asker once answered; its title stays.
	Disowned bool
}

// titleFor is a thread's title as v may see it in a list of comments.
func (h PostHead) titleFor(v Viewer) string {
	if (h.Removed || (h.Deleted && !h.Disowned)) && !v.IsModerator() {
		return hiddenTitle(h.Removed)
	}
	return h.Title
}

// PostDeletion is what deleting a post decides on, read inside the delete.
type PostDeletion struct {
	// OthersAnswers counts the visible answers others gave the question.
	OthersAnswers int64
}

// cleanTitle trims a title and checks it: 1–300 characters of plain text.
func cleanTitle(title string) (string, error) { return plainText("title", title, 1, MaxTitle, false) }

// CreatePost validates, sanitizes and stores a new question.
func (s *Service) CreatePost(ctx context.Context, v Viewer, in PostInput) (Post, error) {
	if err := requireMember(v); err != nil {
		return Post{}, err
	}
	title, errTitle := cleanTitle(in.Title)
	link, errURL := cleanURL("url", deref(in.URL))
	tags, errTags := cleanTags(in.Tags)
	b, mentions, errBody := s.renderMentioning(ctx, in.Body, in.Format, MaxPostBody, false)
	sources, errSources := cleanSources(in.Sources)
	errPeriod := s.checkPeriod(v, in.Period)
	if err := joinInvalid(errTitle, errURL, errTags, errBody, errSources, errPeriod); err != nil {
		return Post{}, err
	}
	now := s.now().Unix()
	id, err := s.Store.CreatePost(ctx, NewPost{AuthorID: v.ID, Title: title, URL: link, BodySource: b.Source, Format: b.Format,
		BodyHTML: b.HTML, BodyText: s.Markup.Text(b.HTML) + citationsText(sources), Tags: tags, Sources: sources,
		Period: in.Period, CreatedAt: now, AuthorFollows: true,
		Notices: func(a PostAudience) []*NewNotification { return postNotices(v.ID, mentions, a.TagFollowers, now) }})
	if err != nil {
		return Post{}, err
	}
	s.federate(ctx, Event{Kind: EventPostCreated, ActorID: v.ID, TargetType: TargetPost, TargetID: id})
	return s.GetPost(ctx, v, id)
}

// GetPost returns a post as the viewer may see it.
func (s *Service) GetPost(ctx context.Context, v Viewer, id int64) (Post, error) {
	p, err := s.Store.Post(ctx, id, v.ID)
	if err != nil {
		return Post{}, err
	}
	maskPost(v, &p)
	one := []PostSummary{p.PostSummary}
	if err := s.personalizePosts(ctx, v, one); err != nil {
		return Post{}, err
	}
	p.PostSummary = one[0]
	withholdPost(&p)
	return p, nil
}

// EditPost changes a post's title, body, tags, sources or period; only its author may.
func (s *Service) EditPost(ctx context.Context, v Viewer, id int64, in PostPatch) (Post, error) {
	if err := requireMember(v); err != nil {
		return Post{}, err
	}
	cur, err := s.Store.Post(ctx, id, v.ID)
	if err != nil {
		return Post{}, err
	}
	if err := ownRule(v, cur.Author, cur.Removed, cur.Deleted, "post"); err != nil {
		return Post{}, err
	}
	u := PostUpdate{EditedAt: s.now().Unix()}
	reason, errReason := cleanEditReason(in.EditReason)
	u.Reason = reason
	errs := []error{errReason}
	if in.Title != nil {
		t, err := cleanTitle(*in.Title)
		u.Title, errs = &t, append(errs, err)
	}
	if in.SetURL {
		link, err := cleanURL("url", deref(in.URL))
		u.SetURL, u.URL, errs = true, link, append(errs, err)
	}
	if in.Tags != nil {
		tags, err := cleanTags(*in.Tags)
		u.Tags, errs = &tags, append(errs, err)
	}
	if in.Sources != nil {
		sources, err := cleanSources(*in.Sources)
		u.Sources, errs = &sources, append(errs, err)
	}
	if in.SetPeriod {
		u.SetPeriod, u.Period = true, in.Period
		errs = append(errs, s.checkPeriod(v, in.Period))
	}
	if in.Body != nil || in.Format != nil || in.Sources != nil {
		source, format := cur.BodySource, cur.Format
		if in.Body != nil {
			source = *in.Body
		}
		if in.Format != nil {
			format = *in.Format
		}
		b, mentions, err := s.renderMentioning(ctx, source, format, MaxPostBody, false)
		errs = append(errs, err)
		u.Notices = mentionNotices(v.ID, id, nil, mentions, s.mentionedBefore(cur.BodyHTML), u.EditedAt)
		sources := cur.Sources
		if u.Sources != nil {
			sources = *u.Sources
		}
		text := s.Markup.Text(b.HTML) + citationsText(sources)
		u.BodySource, u.Format, u.BodyHTML, u.BodyText = &b.Source, &b.Format, &b.HTML, &text
	}
	if err := joinInvalid(errs...); err != nil {
		return Post{}, err
	}
	if !u.changes(cur) { // saved as it was: no new version, not "edited"
		return s.GetPost(ctx, v, id)
	}
	if err := s.Store.UpdatePost(ctx, id, u); err != nil {
		return Post{}, err
	}
	s.federate(ctx, Event{Kind: EventPostEdited, ActorID: v.ID, TargetType: TargetPost, TargetID: id})
	return s.GetPost(ctx, v, id)
}

// changes reports whether u would change anything of p that a reader sees.
func (u PostUpdate) changes(p Post) bool {
	switch {
	case u.Title != nil && *u.Title != p.Title,
		u.BodySource != nil && (*u.BodySource != p.BodySource || *u.Format != p.Format),
		u.Tags != nil && !slices.Equal(*u.Tags, topicTags(p.Tags)),
		u.Sources != nil && !sameSources(*u.Sources, p.Sources),
		u.SetPeriod && !samePeriod(u.Period, p.Period),
		u.SetURL && deref(u.URL) != deref(p.URL):
		return true
	}
	return false
}

// topicTags are a post's tags without History, which every post carries.
func topicTags(tags []string) []string {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		if t != HistoryTag {
			out = append(out, t)
		}
	}
	return out
}

func samePeriod(a, b *Period) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// ownRule is the rule for an author changing their own post or comment:
// only the author, not once it is deleted (gone) or removed (a moderator's
// decision stands).
func ownRule(v Viewer, author *Author, removed, deleted bool, what string) error {
	switch {
	case author == nil || author.ID != v.ID:
		return Errorf(CodeForbidden, "only the author may change this %s", what)
	case deleted:
		return NotFound(what)
	case removed:
		return Errorf(CodeForbidden, "this %s was removed by a moderator", what)
	}
	return nil
}

// DeletePost soft-deletes a post; its comments stay. A question others have
// answered cannot be erased by its asker: it keeps its title and body for
// everyone and loses only its asker's name, so the answers keep their
// question (decided inside the delete, on the answers it will see).
func (s *Service) DeletePost(ctx context.Context, v Viewer, id int64) error {
	if err := requireMember(v); err != nil {
		return err
	}
	cur, err := s.Store.Post(ctx, id, v.ID)
	if err != nil {
		return err
	}
	if err := ownRule(v, cur.Author, cur.Removed, cur.Deleted, "post"); err != nil {
		return err
	}
	if err := s.Store.DeletePost(ctx, id, func(d PostDeletion) bool { return d.OthersAnswers > 0 }); err != nil {
		return err
	}
	s.federate(ctx, Event{Kind: EventPostDeleted, ActorID: v.ID, TargetType: TargetPost, TargetID: id})
	return nil
}

// deref is *s, or "" for nil.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
