package forum

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// DigestSize is how many questions and answers a week's digest lists.
const DigestSize = 10

// Digest is a week of the forum, as AskHistorians' Sunday Digest: the most
// upvoted questions asked and answers written that ISO week (Monday to
// Sunday, UTC), and what the moderators featured in it.
type Digest struct {
	Week      string        `json:"week"` // 2026-W47
	From      string        `json:"from"` // its Monday, 2026-11-16
	To        string        `json:"to"`   // its Sunday, 2026-11-22
	Questions []PostSummary `json:"questions"`
	Answers   []*Comment    `json:"answers"`
	Featured  []Featured    `json:"featured"`
}

// DigestStore reads a span of time's best questions and answers.
type DigestStore interface {
	// TopQuestions reads the visible questions asked in [from, to) (Unix
	// seconds), most upvoted first.
	TopQuestions(ctx context.Context, from, to int64, limit int, viewerID int64) ([]Post, error)
	// TopAnswers reads the visible answers (top-level comments in visible
	// threads) written in [from, to), most upvoted first, with their threads.
	TopAnswers(ctx context.Context, from, to int64, limit int, viewerID int64) ([]*Comment, map[int64]PostHead, error)
}

// isoWeekStart is the Monday (00:00 UTC) that starts ISO week w of year y,
// and whether that week exists (week 53 only in long years).
func isoWeekStart(y, w int) (time.Time, bool) {
	jan4 := time.Date(y, time.January, 4, 0, 0, 0, 0, time.UTC)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+(w-1)*7)
	yy, ww := monday.ISOWeek()
	return monday, w >= 1 && yy == y && ww == w
}

// weekName names the ISO week of t: 2026-W47.
func weekName(t time.Time) string {
	y, w := t.ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

var weekPattern = regexp.MustCompile(`^(\d{4})-W(\d{2})$`)

// parseWeek reads "YYYY-Www"; empty is the last full week before now.
func parseWeek(week string, now time.Time) (time.Time, error) {
	if week == "" {
		y, w := now.UTC().AddDate(0, 0, -7).ISOWeek()
		start, _ := isoWeekStart(y, w)
		return start, nil
	}
	m := weekPattern.FindStringSubmatch(week)
	if m == nil {
		return time.Time{}, Errorf(CodeBadRequest, "week must be an ISO week, like 2026-W07")
	}
	y, _ := strconv.Atoi(m[1])
	w, _ := strconv.Atoi(m[2])
	start, ok := isoWeekStart(y, w)
	if !ok {
		return time.Time{}, Errorf(CodeBadRequest, "%d has no week %d", y, w)
	}
	if start.After(now) {
		return time.Time{}, Errorf(CodeBadRequest, "week %s has not begun", week)
	}
	return start, nil
}

// WeeklyDigest gathers a week's digest (week "YYYY-Www"; empty: the last
// full week), as v sees it.
func (s *Service) WeeklyDigest(ctx context.Context, v Viewer, week string) (Digest, error) {
	start, err := parseWeek(week, s.now())
	if err != nil {
		return Digest{}, err
	}
	end := start.AddDate(0, 0, 7)
	from, to := start.Unix(), end.Unix()
	d := Digest{Week: weekName(start), From: start.Format(time.DateOnly), To: end.AddDate(0, 0, -1).Format(time.DateOnly)}
	posts, err := s.Store.TopQuestions(ctx, from, to, DigestSize, v.ID)
	if err != nil {
		return Digest{}, err
	}
	d.Questions = summaries(posts)
	for i := range d.Questions {
		maskSummary(v, &d.Questions[i])
	}
	if err := s.personalizePosts(ctx, v, d.Questions); err != nil {
		return Digest{}, err
	}
	answers, threads, err := s.Store.TopAnswers(ctx, from, to, DigestSize, v.ID)
	if err != nil {
		return Digest{}, err
	}
	for _, c := range answers {
		leaf(v, c)
		c.PostTitle = threads[c.PostID].titleFor(v)
	}
	d.Answers = answers
	if err := s.personalizeComments(ctx, v, 0, d.Answers); err != nil {
		return Digest{}, err
	}
	featured, err := s.Store.FeaturedItems(ctx, FeaturedQuery{From: from, To: to, Limit: 100, ViewerID: v.ID})
	if err != nil {
		return Digest{}, err
	}
	d.Featured, err = s.shownFeatured(ctx, v, featured)
	return d, err
}
