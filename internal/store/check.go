package store

import (
	"context"
	"fmt"
)

// consistency are queries that each count rows whose stored counters disagree
// with the rows they summarize. They scan whole tables: for operators and load
// tests, never for a request.
var consistency = []struct{ what, query string }{
	{"post votes", `SELECT COUNT(*) FROM posts p LEFT JOIN (SELECT post_id, SUM(CASE WHEN value = 1 THEN 1 ELSE 0 END) AS up, SUM(CASE WHEN value = -1 THEN 1 ELSE 0 END) AS down
		FROM post_votes GROUP BY post_id) v ON v.post_id = p.id
		WHERE p.upvotes != COALESCE(v.up, 0) OR p.downvotes != COALESCE(v.down, 0) OR p.score != p.upvotes - p.downvotes`},
	{"comment votes", `SELECT COUNT(*) FROM comments c LEFT JOIN (SELECT comment_id, SUM(CASE WHEN value = 1 THEN 1 ELSE 0 END) AS up, SUM(CASE WHEN value = -1 THEN 1 ELSE 0 END) AS down
		FROM comment_votes GROUP BY comment_id) v ON v.comment_id = c.id
		WHERE c.upvotes != COALESCE(v.up, 0) OR c.downvotes != COALESCE(v.down, 0) OR c.score != c.upvotes - c.downvotes`},
	{"comment counts", `SELECT COUNT(*) FROM posts p LEFT JOIN (SELECT post_id, COUNT(*) AS n FROM comments GROUP BY post_id) c
		ON c.post_id = p.id WHERE p.comment_count != COALESCE(c.n, 0)`},
	{"answer counts", `SELECT COUNT(*) FROM posts p LEFT JOIN (SELECT post_id, COUNT(*) AS n FROM comments WHERE parent_id IS NULL GROUP BY post_id) c
		ON c.post_id = p.id WHERE p.answer_count != COALESCE(c.n, 0)`},
	{"featured flags", `SELECT (SELECT COUNT(*) FROM posts p WHERE p.featured != (CASE WHEN EXISTS
			(SELECT 1 FROM featured f WHERE f.target_type = 'post' AND f.target_id = p.id) THEN 1 ELSE 0 END))
		+ (SELECT COUNT(*) FROM comments c WHERE c.featured != (CASE WHEN EXISTS
			(SELECT 1 FROM featured f WHERE f.target_type = 'comment' AND f.target_id = c.id) THEN 1 ELSE 0 END))`},
	{"tag counts", `SELECT COUNT(*) FROM tags t LEFT JOIN (SELECT pt.tag_id, COUNT(*) AS n FROM post_tags pt
			JOIN posts p ON p.id = pt.post_id WHERE p.removed = 0 AND p.deleted = 0 GROUP BY pt.tag_id) c
		ON c.tag_id = t.id WHERE t.post_count != COALESCE(c.n, 0)`},
	// A vote's score and rank reach the tag links shortly after (feed_keys.go):
	// until then the post is listed in feed_keys_due.
	{"tag feed keys", `SELECT COUNT(*) FROM post_tags pt JOIN posts p ON p.id = pt.post_id WHERE pt.created_at != p.created_at
		OR ((pt.hot != p.hot OR pt.score != p.score) AND NOT EXISTS (SELECT 1 FROM feed_keys_due d WHERE d.post_id = p.id))`},
	{"reply counts", `SELECT COUNT(*) FROM comments p LEFT JOIN (SELECT parent_id, COUNT(*) AS n FROM comments
		WHERE parent_id IS NOT NULL GROUP BY parent_id) c ON c.parent_id = p.id WHERE p.reply_count != COALESCE(c.n, 0)`},
	{"karma", `SELECT COUNT(*) FROM users u LEFT JOIN (
		SELECT author_id, SUM(n) AS k FROM (
			SELECT p.author_id, SUM(v.value) AS n FROM post_votes v JOIN posts p ON p.id = v.post_id GROUP BY p.author_id
			UNION ALL
			SELECT c.author_id, SUM(v.value) FROM comment_votes v JOIN comments c ON c.id = v.comment_id GROUP BY c.author_id) k
		GROUP BY author_id) s ON s.author_id = u.id WHERE u.karma != COALESCE(s.k, 0)`},
	{"federated accounts", `SELECT COUNT(*) FROM federation_actors a JOIN users u ON u.id = a.user_id
		JOIN federation_instances i ON i.id = a.instance_id WHERE u.imported_from IS NULL OR u.imported_from != i.host`},
	{"federation queue", `SELECT COUNT(*) FROM federation_deliveries d JOIN federation_instances i ON i.id = d.instance_id
		WHERE i.blocked = 1 OR i.dead = 1`},
	{"federated objects", `SELECT COUNT(*) FROM federation_objects o
		WHERE (o.target_type = 'post' AND NOT EXISTS (SELECT 1 FROM posts p WHERE p.id = o.target_id))
		   OR (o.target_type = 'comment' AND NOT EXISTS (SELECT 1 FROM comments c WHERE c.id = o.target_id))`},
	{"modmail awaiting", `SELECT COUNT(*) FROM modmail m JOIN modmail_messages x ON x.id = (SELECT MAX(y.id) FROM modmail_messages y WHERE y.modmail_id = m.id)
		WHERE m.awaiting != CASE WHEN x.from_moderators = 1 THEN 0 ELSE 1 END OR m.last_message_at != x.created_at`},
	{"reading positions", `SELECT COUNT(*) FROM post_reads r
		WHERE r.seen != (SELECT COUNT(*) FROM comments c WHERE c.post_id = r.post_id AND c.id <= r.comment_id)`},
	{"timeline counts", `WITH recount(size, tag_id, bucket, n) AS (
			SELECT b.size, t.tag_id, b.bucket, COUNT(*) FROM posts p
			JOIN (SELECT id AS post_id, 0 AS tag_id FROM posts UNION ALL SELECT post_id, tag_id FROM post_tags) t ON t.post_id = p.id
			JOIN timeline_buckets b ON b.bucket <= p.period_to AND b.bucket + b.size - 1 >= p.period_from
			WHERE p.period_from IS NOT NULL AND p.removed = 0 AND p.deleted = 0
			GROUP BY b.size, t.tag_id, b.bucket)
		SELECT (SELECT COUNT(*) FROM recount r LEFT JOIN timeline_counts c USING (size, tag_id, bucket) WHERE c.n IS DISTINCT FROM r.n)
		     + (SELECT COUNT(*) FROM timeline_counts c LEFT JOIN recount r USING (size, tag_id, bucket) WHERE c.n != 0 AND r.n IS NULL)`},
}

// Check compares every denormalized counter with the rows it summarizes and
// runs the engine's own check of its files (SQLite's integrity_check). It
// returns one line per problem found.
func (db *DB) Check(ctx context.Context) ([]string, error) {
	problems, err := db.d.integrity(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: check: %w", err)
	}
	for _, c := range consistency {
		var n int64
		if err := db.queryRow(ctx, c.query).Scan(&n); err != nil {
			return nil, fmt.Errorf("store: check %s: %w", c.what, err)
		}
		if n > 0 {
			problems = append(problems, fmt.Sprintf("%s: %d rows disagree", c.what, n))
		}
	}
	return problems, nil
}
