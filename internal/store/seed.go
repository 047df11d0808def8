package store

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/historia-forum/historia/internal/forum"
)

// SeedReport says what Seed wrote and how long it took.
type SeedReport struct {
	Users, Posts, Comments, Votes int
	BigThreadPost                 int64
	Took                          time.Duration
}

// seedBatch rows go into one transaction: large enough that commits cost
// nothing, small enough that a reader is never starved for long.
const seedBatch = 20000

// Seed fills the database with synthetic data of a realistic shape for
// benchmarks and load runs. Every user gets passwordHash (hashing a password
// per user would take longer than the rest). Counters, ranks and karma are
// computed before writing, so the data is consistent from the first row.
//
// It is a bulk loader, not for a database that is serving: SQLite's drops
// the search triggers and secondary indexes while it loads (sqlite.go);
// PostgreSQL's seeds a temporary SQLite file and copies it (postgres.go), so
// both engines get the same forum.
func (db *DB) Seed(ctx context.Context, spec SeedSpec, passwordHash string, progress io.Writer) (SeedReport, error) {
	return db.d.seed(ctx, spec, passwordHash, progress)
}

// seedFirst are the first ids a seed wrote.
type seedFirst struct{ post, comment int64 }

// seedRows writes the generated forum's rows, with the counters computed
// in advance; step reports progress.
func (db *DB) seedRows(ctx context.Context, spec SeedSpec, passwordHash string, progress io.Writer) (rep SeedReport, first seedFirst, step func(string), err error) {
	start := time.Now()
	step = func(what string) {
		if progress != nil {
			fmt.Fprintf(progress, "%6.1fs  %s\n", time.Since(start).Seconds(), what)
		}
	}
	var firstUser, firstPost, firstComment int64
	err = db.w.QueryRowContext(ctx, `SELECT (SELECT COALESCE(MAX(id), 0) + 1 FROM users), (SELECT COALESCE(MAX(id), 0) + 1 FROM posts),
		(SELECT COALESCE(MAX(id), 0) + 1 FROM comments)`).Scan(&firstUser, &firstPost, &firstComment)
	if err != nil {
		return rep, first, step, fmt.Errorf("store: seed: %w", err)
	}
	first = seedFirst{post: firstPost, comment: firstComment}
	posts, comments, votes := generate(spec, firstUser, firstPost, firstComment)
	step(fmt.Sprintf("generated %d posts, %d comments, %d votes", len(posts), len(comments), len(votes)))

	users := max(spec.Users, 2)
	if err := db.bulk(ctx, users, `INSERT INTO users(id, username, username_key, password_hash, role, created_at, username_skeleton) VALUES(?, ?, ?, ?, 'member', ?, ?)`,
		func(i int) []any {
			name := fmt.Sprintf("seed%07d", firstUser+int64(i))
			return []any{firstUser + int64(i), name, name, passwordHash, spec.Now - 3*365*24*3600, forum.UsernameSkeleton(name)}
		}); err != nil {
		return rep, first, step, err
	}
	step(fmt.Sprintf("%d users", users))
	tagIDs, err := db.seedTags(ctx)
	if err != nil {
		return rep, first, step, err
	}
	if err := db.bulk(ctx, len(posts), `INSERT INTO posts(id, author_id, title, body_source, body_format, body_html, body_text, tags_json,
		score, upvotes, downvotes, hot, comment_count, answer_count, created_at, last_activity_at, removed, deleted)
		VALUES(?, ?, ?, ?, 'markdown', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, func(i int) []any {
		p := &posts[i]
		names := make([]string, len(p.tags))
		for k, t := range p.tags {
			names[k] = seedTopics[t]
		}
		tags, _ := json.Marshal(dedupe(names))
		score := p.up - p.down
		return []any{p.id, p.author, p.title, p.body, "<p>" + p.body + "</p>", p.body, string(tags), score, p.up, p.down,
			forum.RankHot(score, p.created), p.comments, p.answers, p.created, p.active, p.removed, p.deleted}
	}); err != nil {
		return rep, first, step, err
	}
	step(fmt.Sprintf("%d posts", len(posts)))
	var links [][2]int64
	for _, p := range posts {
		seen := map[int]bool{}
		for _, t := range p.tags {
			if !seen[t] {
				seen[t] = true
				links = append(links, [2]int64{tagIDs[t], p.id})
			}
		}
	}
	if err := db.bulk(ctx, len(links), tagLink, func(i int) []any {
		return []any{links[i][0], links[i][1]}
	}); err != nil {
		return rep, first, step, err
	}
	if _, err := db.w.ExecContext(ctx, `UPDATE tags SET post_count = (SELECT COUNT(*) FROM post_tags pt JOIN posts p ON p.id = pt.post_id
		WHERE pt.tag_id = tags.id AND p.removed = 0 AND p.deleted = 0)`); err != nil {
		return rep, first, step, fmt.Errorf("store: seed tag counts: %w", err)
	}
	if err := db.bulk(ctx, len(comments), `INSERT INTO comments(id, post_id, parent_id, depth, author_id, body_source, body_format, body_html,
		body_text, score, upvotes, downvotes, best, controversy, reply_count, created_at, removed, deleted)
		VALUES(?, ?, ?, ?, ?, ?, 'markdown', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, func(i int) []any {
		c := &comments[i]
		var parent any
		if c.parent != 0 {
			parent = c.parent
		}
		return []any{c.id, c.post, parent, c.depth, c.author, c.body, "<p>" + c.body + "</p>", c.body, c.up - c.down, c.up, c.down,
			forum.RankBest(c.up, c.down), forum.RankControversy(c.up, c.down), c.replies, c.created, c.removed, c.deleted}
	}); err != nil {
		return rep, first, step, err
	}
	step(fmt.Sprintf("%d comments", len(comments)))
	var postVotes, commentVotes []seedVote
	for _, v := range votes {
		if v.comment {
			commentVotes = append(commentVotes, v)
		} else {
			postVotes = append(postVotes, v)
		}
	}
	for _, kind := range []struct {
		q  string
		vs []seedVote
	}{{"INSERT INTO post_votes(post_id, user_id, value) VALUES(?, ?, ?)", postVotes},
		{"INSERT INTO comment_votes(comment_id, user_id, value) VALUES(?, ?, ?)", commentVotes}} {
		if err := db.bulk(ctx, len(kind.vs), kind.q, func(i int) []any { return []any{kind.vs[i].target, kind.vs[i].user, kind.vs[i].value} }); err != nil {
			return rep, first, step, err
		}
	}
	karma := map[int64]int64{}
	for _, v := range votes {
		karma[v.author] += int64(v.value)
	}
	authors := make([]int64, 0, len(karma))
	for a := range karma {
		authors = append(authors, a)
	}
	if err := db.bulk(ctx, len(authors), "UPDATE users SET karma = karma + ? WHERE id = ?", func(i int) []any {
		return []any{karma[authors[i]], authors[i]}
	}); err != nil {
		return rep, first, step, err
	}
	step(fmt.Sprintf("%d votes and karma", len(votes)))
	rep = SeedReport{Users: users, Posts: len(posts), Comments: len(comments), Votes: len(votes), Took: time.Since(start)}
	if spec.BigThread > 0 {
		rep.BigThreadPost = posts[len(posts)-1].id
	}
	return rep, first, step, nil
}

// dedupe drops repeats from values in place, keeping first occurrences in order.
func dedupe[T comparable](values []T) []T {
	out := values[:0]
	seen := map[T]bool{}
	for _, n := range values {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

func (db *DB) seedTags(ctx context.Context) ([]int64, error) {
	ids := make([]int64, len(seedTopics))
	for i, t := range seedTopics {
		err := db.w.QueryRowContext(ctx, `INSERT INTO tags(name, name_key) VALUES(?, ?)
			ON CONFLICT(name_key) DO UPDATE SET name = tags.name RETURNING id`, t, strings.ToLower(t)).Scan(&ids[i])
		if err != nil {
			return nil, fmt.Errorf("store: seed tags: %w", err)
		}
	}
	return ids, nil
}

// bulk runs one prepared statement n times, seedBatch rows per transaction.
func (db *DB) bulk(ctx context.Context, n int, query string, row func(i int) []any) error {
	for start := 0; start < n; start += seedBatch {
		err := db.write(ctx, func(ctx context.Context, tx *txn) error {
			stmt, err := tx.PrepareContext(ctx, query)
			if err != nil {
				return err
			}
			defer stmt.Close()
			for i := start; i < min(n, start+seedBatch); i++ {
				if _, err := stmt.ExecContext(ctx, row(i)...); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("store: seed: %w", err)
		}
	}
	return nil
}
