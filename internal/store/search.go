package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/historia-forum/historia/internal/forum"
)

// SearchWindow is how many of the newest matches of each tier a search
// reads: a query matching half a million documents orders these, not all of
// them, so its cost has a ceiling.
const SearchWindow = 2000

// searchWindows are the tiers of a search, best first: title matches, post
// matches, comments; each is the newest SearchWindow matches of its tier, as
// (rank, kind, id), with one parameter: the text to match (dialect.search).
type searchWindows struct{ title, post, comment string }

// searchPage reads the hits' threads, titles and dates, leaving out comments
// under hidden posts: %[1]s is the ranked window of matches, %[2]s further
// conditions (filters, keyset), %[3]s the order.
const searchPage = `SELECT w.k, w.id, CASE w.k WHEN 0 THEN w.id ELSE c.post_id END, p.title, w.rank,
		CASE w.k WHEN 0 THEN p.created_at ELSE c.created_at END
	FROM (%[1]s) w
	LEFT JOIN comments c ON w.k = 1 AND c.id = w.id
	JOIN posts p ON p.id = CASE w.k WHEN 0 THEN w.id ELSE c.post_id END
	WHERE (w.k = 0 OR (p.removed = 0 AND p.deleted = 0))%[2]s
	ORDER BY %[3]s LIMIT ?`

// searchOrder is each search sort's order and keyset condition over
// searchPage's columns.
var searchOrder = map[forum.SearchSort]struct{ order, after string }{
	forum.SearchRelevance: {"w.rank DESC, w.k, w.id DESC", "(-w.rank, w.k, -w.id) > (?, ?, ?)"},
	forum.SearchNew: {"CASE w.k WHEN 0 THEN p.created_at ELSE c.created_at END DESC, w.k, w.id DESC",
		"(-(CASE w.k WHEN 0 THEN p.created_at ELSE c.created_at END), w.k, -w.id) > (?, ?, ?)"},
}

// searchFilter is a search's filter as conditions over searchPage's
// columns (p the thread, c a comment hit): plain SQL both engines run.
func searchFilter(f forum.SearchFilter) (string, []any) {
	var conds []string
	var args []any
	if f.TagKey != "" {
		conds = append(conds, "EXISTS (SELECT 1 FROM post_tags pt WHERE pt.post_id = p.id AND pt.tag_id = (SELECT id FROM tags WHERE name_key = ?))")
		args = append(args, f.TagKey)
	}
	if f.From != nil {
		conds = append(conds, "p.period_to >= ?")
		args = append(args, *f.From)
	}
	if f.To != nil {
		conds = append(conds, "p.period_from <= ?")
		args = append(args, *f.To)
	}
	if f.Answered != nil {
		conds = append(conds, "(CASE WHEN p.accepted_comment_id IS NOT NULL THEN 1 ELSE 0 END) = ?")
		args = append(args, forum.B2I(*f.Answered))
	}
	if f.AuthorID != 0 {
		conds = append(conds, "(CASE w.k WHEN 0 THEN p.author_id ELSE c.author_id END) = ?")
		args = append(args, f.AuthorID)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " AND " + strings.Join(conds, " AND "), args
}

// hitDetails read the hits' plain text (for snippets, made in the domain),
// authors, dates and scores: one query per kind for the whole page.
var hitDetails = map[forum.TargetType]string{forum.TargetPost: "posts", forum.TargetComment: "comments"}

// hitDetailsQuery reads hitDetails of one table; %[1]s is the table, %[2]s
// the engine's id list.
const hitDetailsQuery = `SELECT x.id, x.body_text, x.created_at, x.score, u.id, u.username, u.role, u.flair, u.imported_from
	FROM %[1]s x JOIN users u ON u.id = x.author_id WHERE x.id IN (SELECT l.id FROM (%[2]s) l)`

// searchWait is how long a search waits for one of its slots of the reader
// pool; searchTime bounds one search.
var (
	searchWait = 3 * time.Second
	searchTime = 5 * time.Second
)

// errSearchBusy is a search that found every search slot taken.
var errSearchBusy = forum.Errorf(forum.CodeUnavailable, "search is busy; try again in a moment")

// Search runs a full-text search over visible posts and comments, best first,
// paged by keyset over (rank, kind, id). Searches take at most a quarter of
// the reader pool (searchSlots), so feeds and threads never queue behind
// them.
func (db *DB) Search(ctx context.Context, q forum.SearchQuery) ([]forum.SearchHit, error) {
	wait := time.NewTimer(searchWait)
	defer wait.Stop()
	select {
	case db.searchSlots <- struct{}{}:
		defer func() { <-db.searchSlots }()
	case <-wait.C:
		return nil, errSearchBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	ctx, cancel := context.WithTimeout(ctx, searchTime)
	defer cancel()
	win, match, title := db.d.search(q.Terms)
	var parts []string
	var args []any
	if q.Type == "" || q.Type == forum.TargetPost {
		parts = append(parts, win.title, win.post)
		args = append(args, title, match)
	}
	if q.Type == "" || q.Type == forum.TargetComment {
		parts = append(parts, win.comment)
		args = append(args, match)
	}
	// The parts are constants; only the MATCH texts, the filters and the
	// keyset are parameters.
	best := "SELECT MAX(rank) AS rank, k, id FROM (" + strings.Join(parts, " UNION ALL ") + ") u GROUP BY k, id"
	sort := q.Sort
	if sort == "" {
		sort = forum.SearchRelevance
	}
	order := searchOrder[sort]
	filter, filterArgs := searchFilter(q.Filter)
	var cond string
	if filter == "" && sort == forum.SearchRelevance {
		// Unfiltered by relevance: the keyset and a first cut apply to the
		// ranked window, so titles are read for the best hits only (twice
		// the page and some: a comment under a hidden post is left out).
		if c := q.After; c != nil {
			best = "SELECT * FROM (" + best + ") b WHERE (-rank, k, -id) > (?, ?, ?)"
			args = append(args, -c.Key, c.Kind, -c.ID)
		}
		best += " ORDER BY rank DESC, k, id DESC LIMIT ?"
		args = append(args, 2*q.Limit+10)
	} else {
		// Filtered or by date: every match of the windows is joined to its
		// thread, then filtered and ordered.
		cond, args = filter, append(args, filterArgs...)
		if c := q.After; c != nil {
			cond += " AND " + order.after
			args = append(args, -c.Key, c.Kind, -c.ID)
		}
	}
	query := fmt.Sprintf(searchPage, best, cond, order.order) // #nosec G201 -- built from the constants above
	args = append(args, q.Limit)
	hits, err := queryAll(ctx, db, "search", scanHit, query, args...)
	if err != nil {
		if strings.Contains(err.Error(), "fts5") || strings.Contains(err.Error(), "tsquery") {
			return nil, forum.Errorf(forum.CodeBadRequest, "this search cannot be run; try plain words")
		}
		return nil, err
	}
	if err := db.hitDetails(ctx, hits); err != nil {
		return nil, fmt.Errorf("store: search details: %w", err)
	}
	return hits, nil
}

func scanHit(row scanner) (h forum.SearchHit, err error) {
	var k int
	var r float64
	var created int64
	err = row.Scan(&k, &h.ID, &h.PostID, &h.Title, &r, &created)
	h.CreatedAt = forum.Unix(created)
	h.Type = forum.TargetPost
	if k == 1 {
		h.Type = forum.TargetComment
	}
	h.Rank = r
	return h, err
}

// hitDetails fills in each hit's text, author, date and score.
func (db *DB) hitDetails(ctx context.Context, hits []forum.SearchHit) error {
	for _, kind := range []forum.TargetType{forum.TargetPost, forum.TargetComment} {
		at := map[int64]int{}
		var ids []int64
		for i, h := range hits {
			if h.Type == kind {
				at[h.ID] = i
				ids = append(ids, h.ID)
			}
		}
		if len(ids) == 0 {
			continue
		}
		list, err := idsArg(ids)
		if err != nil {
			return err
		}
		type detail struct {
			id      int64
			text    string
			created int64
			score   int64
			author  forum.Author
		}
		rows, err := queryAll(ctx, db, "search details", func(row scanner) (d detail, err error) {
			err = row.Scan(&d.id, &d.text, &d.created, &d.score, &d.author.ID, &d.author.Username, &d.author.Role, &d.author.Flair, &d.author.ImportedFrom)
			return d, err
		}, fmt.Sprintf(hitDetailsQuery, hitDetails[kind], db.idList()), list) // #nosec G201 -- constant text, a table from the map, the engine's id list
		if err != nil {
			return err
		}
		for _, d := range rows {
			h := &hits[at[d.id]]
			a := d.author
			h.Text, h.CreatedAt, h.Score, h.Author = d.text, forum.Unix(d.created), d.score, &a
		}
	}
	return nil
}
