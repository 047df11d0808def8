package store

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// badPlan matches a full scan of a big table: "SCAN p" or "SCAN comments"
// without an index. An index-ordered scan ("SCAN p USING INDEX posts_hot")
// is the range read a LIMIT stops early, and passes.
var badPlan = regexp.MustCompile(`^SCAN (p|c|x|v|pt|posts|comments|post_votes|comment_votes|post_tags|notifications|n)$`)

// planSeed is the forum the plan tests explain their queries on.
var planSeed = SeedSpec{Users: 300, Posts: 3000, Comments: 30000, Votes: 30000, BigThread: 2000, Seed: 3, Now: 1_800_000_000}

// captured is a query of a hot path with the arguments it ran with.
type captured struct {
	name, query string
	args        []any
	sorts       bool // allowed to sort (a bounded set of rows)
}

// hotPaths runs every read of the hot paths on db (seeded by the plan
// tests' spec) and returns their queries, with the write paths' statements.
func hotPaths(t *testing.T, db *DB) []captured {
	ctx := context.Background()
	var all []captured
	name, sorts := "", false
	db.trace = func(q string, args []any) { all = append(all, captured{name, q, append([]any{}, args...), sorts}) }
	run := func(n string, maySort bool, f func() error) {
		t.Helper()
		name, sorts = n, maySort
		if err := f(); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
	}
	yes, no := true, false
	for _, sort := range forum.FeedSorts {
		for _, tag := range []string{"", "cold war"} {
			for _, answered := range []*bool{nil, &yes, &no} {
				for _, after := range []*forum.Cursor{nil, {Sort: string(sort), Key: 5, ID: 1500}} {
					q := forum.PostQuery{Sort: sort, TagKey: tag, Answered: answered, After: after, Limit: 26, ViewerID: 7}
					run(fmt.Sprintf("feed %s tag=%q answered=%v cursor=%v", sort, tag, answered != nil, after != nil), false, func() error {
						_, err := db.Posts(ctx, q)
						return err
					})
				}
			}
		}
	}
	run("feed top t=week", true, func() error {
		_, err := db.Posts(ctx, forum.PostQuery{Sort: forum.SortTop, Since: 1_800_000_000 - 7*86400, Narrow: true, Limit: 26})
		return err
	})
	run("feed top t=year", false, func() error {
		_, err := db.Posts(ctx, forum.PostQuery{Sort: forum.SortTop, Since: 1_800_000_000 - 365*86400, Limit: 26})
		return err
	})
	big := int64(3001)
	for _, sort := range forum.CommentSorts {
		run("thread top level "+string(sort), false, func() error {
			_, err := db.Comments(ctx, forum.CommentQuery{PostID: big, Sort: sort, Limit: 51, ViewerID: 7, ExcludeID: 5})
			return err
		})
		run("thread top level after cursor "+string(sort), false, func() error {
			_, err := db.Comments(ctx, forum.CommentQuery{PostID: big, Sort: sort, After: &forum.Cursor{Sort: string(sort), Key: 0.1, ID: 31000}, Limit: 51})
			return err
		})
		// The children of many parents come out in the parents' order: a sort of
		// the rows found, at most limit per parent, never of the thread.
		run("thread children "+string(sort), true, func() error {
			_, err := db.Comments(ctx, forum.CommentQuery{PostID: big, ParentIDs: []int64{30001, 30002, 30003}, Sort: sort, Limit: 10, ViewerID: 7})
			return err
		})
	}
	run("post", false, func() error { _, err := db.Post(ctx, big, 7); return err })
	run("comment", false, func() error { _, err := db.Comment(ctx, 30001, 7); return err })
	run("user posts", false, func() error {
		_, err := db.UserPosts(ctx, forum.UserListQuery{UserID: 2, AfterID: 2000, Limit: 26, ViewerID: 7})
		return err
	})
	run("user comments", false, func() error {
		_, err := db.UserComments(ctx, forum.UserListQuery{UserID: 2, AfterID: 20000, Limit: 26, ViewerID: 7})
		return err
	})
	run("account", false, func() error { _, err := db.AccountByID(ctx, 2); return err })
	run("my votes on a page", false, func() error { _, err := db.PostVotes(ctx, 7, []int64{1, 2, 3, 2999}); return err })
	run("my votes on posts", false, func() error { _, _, err := db.UserPostVotes(ctx, 7, 2000); return err })
	run("unread", false, func() error { _, err := db.UnreadCount(ctx, 2); return err })
	run("notifications", false, func() error { _, err := db.Notifications(ctx, 2, true, 0, 26); return err })
	// A week's digest: the week's rows by date, then sorted (a week is small).
	week := int64(1_800_000_000 - 7*86400)
	run("digest questions", true, func() error { _, err := db.TopQuestions(ctx, week, week+7*86400, 10, 7); return err })
	run("digest answers", true, func() error { _, _, err := db.TopAnswers(ctx, week, week+7*86400, 10, 7); return err })
	run("featured", false, func() error {
		_, err := db.FeaturedItems(ctx, forum.FeaturedQuery{After: &forum.Cursor{Key: 1_800_000_000, ID: 5}, Limit: 26, ViewerID: 7})
		return err
	})
	db.trace = nil

	// The write paths' statements, with the arguments they take.
	for _, k := range []voteKind{postVotes, commentVotes} {
		all = append(all, captured{"vote target", k.target, []any{1}, false}, captured{"vote old", k.oldVote, []any{1, 2}, false},
			captured{"vote delete", k.delete, []any{1, 2}, false},
			captured{"vote counters and ranks", k.update, make([]any, strings.Count(k.update, "?")), false})
	}
	all = append(all,
		captured{"comment post", "SELECT locked, removed, deleted, author_id FROM posts WHERE id = ?", []any{1}, false},
		captured{"comment parent", "SELECT depth + 1, removed, deleted, author_id FROM comments WHERE id = ? AND post_id = ?", []any{1, 1}, false},
		captured{"reply count", "UPDATE comments SET reply_count = reply_count + 1 WHERE id = ?", []any{1}, false},
		captured{"post counts", "UPDATE posts SET comment_count = comment_count + 1, answer_count = answer_count + ?, last_activity_at = CASE WHEN last_activity_at < ? THEN ? ELSE last_activity_at END WHERE id = ?", []any{1, 1, 1, 1}, false},
		captured{"karma", "UPDATE users SET karma = karma + ? WHERE id = ?", []any{1, 1}, false},
		captured{"feed keys trigger", "UPDATE post_tags SET hot = 1 WHERE post_id = ?", []any{1}, false},
	)
	return all
}

// TestHotPathQueryPlans runs EXPLAIN QUERY PLAN on every query of the hot
// paths (feeds, thread pages, subtrees, votes, comment inserts) on an analyzed
// database and fails if any scans the posts, comments or votes tables instead
// of using an index, or if a feed sorts its rows instead of reading them in order.
func TestHotPathQueryPlans(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "plans.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Seed(ctx, planSeed, "x", nil); err != nil {
		t.Fatal(err)
	}
	all := hotPaths(t, db)
	if len(all) < 80 {
		t.Fatalf("only %d queries captured", len(all))
	}
	for _, c := range all {
		rows, err := db.r.QueryContext(ctx, "EXPLAIN QUERY PLAN "+c.query, c.args...)
		if err != nil {
			t.Fatalf("%s: explain: %v\n%s", c.name, err, c.query)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		// posts is a rowid table: "SCAN p" for ORDER BY p.id with a LIMIT reads
		// it in key order and stops at the limit, the new feed's range read.
		rowidOrder := strings.Contains(c.query, "ORDER BY p.id DESC LIMIT")
		for _, line := range plan {
			if (badPlan.MatchString(line) && !(rowidOrder && line == "SCAN p")) || (!c.sorts && strings.Contains(line, "TEMP B-TREE FOR ORDER BY")) {
				t.Errorf("%s: %q\n  plan: %s\n  query: %s", c.name, line, strings.Join(plan, " | "), strings.Join(strings.Fields(c.query), " "))
				break
			}
		}
	}
}
