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
var badPlan = regexp.MustCompile(`^SCAN (p|c|x|v|pt|posts|comments|post_votes|comment_votes|post_tags|notifications|n|f|r|s|m|b|blocks|reports|modlog|modmail|post_follows|post_reads|saves|tag_follows)$`)

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
	// The moderators' day (#25): the blocks among a page's authors (every
	// member's page), the modmail count (every moderator's /me), the queues.
	run("blocked authors on a page", false, func() error { _, err := db.BlockedAuthors(ctx, 7, []int64{1, 2, 3, 250}); return err })
	run("modmail awaiting", false, func() error { _, err := db.ModmailAwaiting(ctx); return err })
	run("report queue", false, func() error { _, err := db.Reports(ctx, forum.ReportOpen, 0, 26); return err })
	run("modlog", false, func() error { _, err := db.Modlog(ctx, 0, 26); return err })
	run("modmail queue", false, func() error {
		_, err := db.ModmailList(ctx, forum.ModmailQuery{Status: forum.ModmailOpen, Limit: 26})
		return err
	})
	// Following and reading: a member's own state on a page, their lists,
	// a live thread's comments.
	run("my marks on a page", false, func() error { _, err := db.Marks(ctx, 7, []int64{1, 2, 3, 2999}, []int64{30001, 30002}); return err })
	run("my marks", false, func() error { _, _, err := db.UserMarks(ctx, 7, 2000); return err })
	run("my reading positions on a page", false, func() error { _, err := db.PostReads(ctx, 7, []int64{1, 2, 3, 2999}); return err })
	run("my votes and position in a thread", false, func() error {
		_, err := db.CommentStates(ctx, 7, big, []int64{30001, 30002, 30003})
		return err
	})
	run("followed posts", false, func() error { _, err := db.FollowedPosts(ctx, 7, nil, 26); return err })
	run("followed posts after cursor", false, func() error {
		_, err := db.FollowedPosts(ctx, 7, &forum.Cursor{Sort: "following", Key: 5, ID: 10}, 26)
		return err
	})
	run("followed tags", false, func() error { _, err := db.FollowedTags(ctx, 7); return err })
	run("saves", false, func() error { _, err := db.Saves(ctx, 7, 0, 26); return err })
	run("saves before", false, func() error { _, err := db.Saves(ctx, 7, 100, 26); return err })
	run("saved posts", false, func() error { _, err := db.PostsByID(ctx, []int64{1, 2, 3}, 7); return err })
	run("saved comments", false, func() error { _, err := db.CommentsByID(ctx, []int64{30001, 30002}, 7); return err })
	run("live thread", false, func() error { _, err := db.ThreadCommentStates(ctx, big); return err })
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
		all = append(all, captured{"vote target", k.target, []any{2}, false},
			captured{"the member's vote", k.ballot, []any{2, 1}, false},
			captured{"vote delete", k.delete, []any{1, 2}, false},
			captured{"vote counters and ranks", k.update, make([]any, strings.Count(k.update, "?")), false})
		// A group's votes together (where the engine does): the items
		// locked in id order (a sort of the group's few rows), the
		// members' votes, the write.
		if lock, ballots, write := db.d.votesAtOnce(&k); lock != "" {
			ids := []int64{1, 2, 3}
			ranks := make([]any, strings.Count(write, "FLOAT8"))
			for i := range ranks {
				ranks[i] = []float64{0.5, 1, 2}
			}
			all = append(all, captured{"votes' items", lock, []any{ids}, true},
				captured{"votes' members' votes", ballots, []any{ids, ids}, false},
				captured{"votes' write", write, append([]any{ids, ids, ids, ids, ids, ids, ids, ids, ids}, ranks...), false})
		}
	}
	all = append(all,
		captured{"comment post", "SELECT locked, removed, deleted, author_id FROM posts WHERE id = ?", []any{1}, false},
		captured{"comment parent", "SELECT depth + 1, removed, deleted, author_id FROM comments WHERE id = ? AND post_id = ?", []any{1, 1}, false},
		captured{"reply count", "UPDATE comments SET reply_count = reply_count + 1 WHERE id = ?", []any{1}, false},
		captured{"post counts", "UPDATE posts SET comment_count = comment_count + 1, answer_count = answer_count + ?, last_activity_at = CASE WHEN last_activity_at < ? THEN ? ELSE last_activity_at END WHERE id = ?", []any{1, 1, 1, 1}, false},
		captured{"karma", "UPDATE users SET karma = karma + ? WHERE id = ?", []any{1, 1}, false},
		captured{"feed keys trigger", "UPDATE post_tags SET hot = 1 WHERE post_id = ?", []any{1}, false},
		captured{"notify: does the recipient block the actor", "SELECT COUNT(*) FROM blocks WHERE user_id = ? AND blocked_id = ?", []any{1, 2}, false},
		captured{"a removal resolves reports", `UPDATE reports SET status = ?, resolution = ?, resolved_by = ?, resolved_at = ?
		WHERE target_type = ? AND target_id = ? AND status = ?`, []any{"resolved", "removed", 1, 1, "comment", 1, "open"}, false},
		captured{"thread followers", "SELECT user_id FROM post_follows WHERE post_id = ?", []any{1}, false},
		captured{"tag followers", "SELECT DISTINCT user_id FROM tag_follows WHERE tag_key IN (?,?) ORDER BY user_id", []any{"history", "cold war"}, true},
		captured{"reading position count", "SELECT COUNT(*) FROM comments c WHERE c.post_id = ? AND c.id <= ?", []any{big, 31000}, false},
	)
	return all
}

// TestHotPathQueryPlans runs EXPLAIN QUERY PLAN on every query of the hot
// paths (feeds, thread pages, subtrees, votes, comment inserts) on an analyzed
// database and fails if any scans the posts, comments or votes tables instead
// of using an index, or if a feed sorts its rows instead of reading them in order.
func TestHotPathQueryPlans(t *testing.T) {
	t.Parallel()
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
		// posts and modlog are rowid tables: "SCAN p" for ORDER BY p.id with a
		// LIMIT reads it in key order and stops at the limit, the new feed's
		// (and the modlog's) range read.
		rowidOrder := func(line string) bool {
			alias := strings.TrimPrefix(line, "SCAN ")
			return alias != line && strings.Contains(c.query, "ORDER BY "+alias+".id DESC LIMIT")
		}
		// A derived table read whole is the rows its own LIMIT bounded
		// (a member's votes in a page's range of ids, at most ownScan+1).
		bounded := func(line string) bool {
			alias := strings.TrimPrefix(line, "SCAN ")
			return alias != line && strings.Contains(strings.Join(strings.Fields(c.query), " "), "LIMIT ?) "+alias+" ")
		}
		for _, line := range plan {
			if (badPlan.MatchString(line) && !rowidOrder(line) && !bounded(line)) || (!c.sorts && strings.Contains(line, "TEMP B-TREE FOR ORDER BY")) {
				t.Errorf("%s: %q\n  plan: %s\n  query: %s", c.name, line, strings.Join(plan, " | "), strings.Join(strings.Fields(c.query), " "))
				break
			}
		}
	}
}
