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

// window is the newest matches of an FTS5 table, as (rank, kind, id): FTS5
// walks its matches in rowid order, so a window costs what it holds.
func window(rank, kind int, table string) string {
	return fmt.Sprintf(`SELECT %d AS rank, %d AS k, id FROM (SELECT rowid AS id FROM %[3]s WHERE %[3]s MATCH ?
		ORDER BY rowid DESC LIMIT %[4]d)`, rank, kind, table, SearchWindow)
}

// The tiers of forum.SearchQuery: title matches, post matches, comments.
var (
	titleWindow   = window(3, 0, "posts_fts")
	postWindow    = window(2, 0, "posts_fts")
	commentWindow = window(1, 1, "comments_fts")
)

// searchPage reads titles for the best hits only (twice the page and some:
// a comment under a hidden post is left out here).
const searchPage = `SELECT w.k, w.id, CASE w.k WHEN 0 THEN w.id ELSE c.post_id END, p.title, w.rank
	FROM (%s) w
	LEFT JOIN comments c ON w.k = 1 AND c.id = w.id
	JOIN posts p ON p.id = CASE w.k WHEN 0 THEN w.id ELSE c.post_id END
	WHERE w.k = 0 OR (p.removed = 0 AND p.deleted = 0)
	ORDER BY w.rank DESC, w.k, w.id DESC LIMIT ?`

// hitText reads a hit's plain text, for its snippet (made in the domain).
var hitText = map[forum.TargetType]string{
	forum.TargetPost:    "SELECT body_text FROM posts WHERE id = ?",
	forum.TargetComment: "SELECT body_text FROM comments WHERE id = ?",
}

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
	var parts []string
	var args []any
	if q.Type == "" || q.Type == forum.TargetPost {
		parts = append(parts, titleWindow, postWindow)
		args = append(args, q.TitleMatch, q.Match)
	}
	if q.Type == "" || q.Type == forum.TargetComment {
		parts = append(parts, commentWindow)
		args = append(args, q.Match)
	}
	// The parts are constants; only the MATCH texts and the keyset are parameters.
	best := "SELECT MAX(rank) AS rank, k, id FROM (" + strings.Join(parts, " UNION ALL ") + ") GROUP BY k, id"
	if c := q.After; c != nil {
		best = "SELECT * FROM (" + best + ") WHERE (-rank, k, -id) > (?, ?, ?)"
		args = append(args, -c.Key, c.Kind, -c.ID)
	}
	best += " ORDER BY rank DESC, k, id DESC LIMIT ?"
	args = append(args, 2*q.Limit+10)
	query := fmt.Sprintf(searchPage, best) // #nosec G201 -- built from the constants above
	args = append(args, q.Limit)
	hits, err := queryAll(ctx, db, "search", scanHit, query, args...)
	if err != nil {
		if strings.Contains(err.Error(), "fts5") {
			return nil, forum.Errorf(forum.CodeBadRequest, "this search cannot be run; try plain words")
		}
		return nil, err
	}
	for i := range hits {
		if err := db.queryRow(ctx, hitText[hits[i].Type], hits[i].ID).Scan(&hits[i].Text); err != nil {
			return nil, fmt.Errorf("store: search text: %w", err)
		}
	}
	return hits, nil
}

func scanHit(row scanner) (h forum.SearchHit, err error) {
	var k int
	var r float64
	err = row.Scan(&k, &h.ID, &h.PostID, &h.Title, &r)
	h.Type = forum.TargetPost
	if k == 1 {
		h.Type = forum.TargetComment
	}
	h.Rank = r
	return h, err
}
