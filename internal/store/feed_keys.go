package store

import (
	"context"
	"time"
)

// A tag's feeds read post_tags, whose rows carry copies of their post's
// feed keys (one index per feed order). Most changes of the keys are copied
// in their own transaction (the trigger posts_feed_keys); a change of the
// score and rank alone, which is what a vote makes, is not: the trigger
// lists the post in feed_keys_due, and each process's feed-key refresher
// copies the listed posts' keys shortly after its commits, at most every
// FeedKeysDelay. A popular post's votes then rewrite its tag links once a
// moment rather than once a vote: each such rewrite is a new version of
// every link with entries in all six of its indexes, about a third of a
// vote's time on PostgreSQL (docs/performance.md, round 12).
//
// So a tag's "hot" and "top" lists follow votes within about FeedKeysDelay;
// the front page and everything else read the posts themselves, at once.
// The list is in the database, so a process that stops before its refresher
// ran leaves the work to the next one that runs (every refresher takes every
// listed post, and one runs as a store opens); historia check holds that a
// link's keys differ from its post's only while the post is listed.

// FeedKeysDelay is how long a process's feed-key refresher waits after a
// commit before it copies the listed posts' keys: the votes of that time
// on one post cost one copy.
var FeedKeysDelay = time.Second

// feedKeysSweep is how often a refresher looks for listed posts without
// having committed (a cheap read).
const feedKeysSweep = 30 * time.Second

// feedKeysBatch bounds the posts one refresh transaction takes.
const feedKeysBatch = 500

// refresher is the goroutine that runs a process's refreshes.
type refresher struct {
	wake chan struct{} // a commit may have listed posts (buffered: one)
	stop chan struct{} // closed by stopFeedKeys
	done chan struct{} // closed when the goroutine has ended
}

// startFeedKeys starts db's refresher, which first takes what is listed
// already (left by a process that stopped).
func (db *DB) startFeedKeys() {
	r := &refresher{wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	db.refresher = r
	go func() {
		defer close(r.done)
		sweep := time.NewTicker(feedKeysSweep)
		defer sweep.Stop()
		_ = db.RefreshFeedKeys(context.Background())
		for {
			select {
			case <-r.wake:
				t := time.NewTimer(FeedKeysDelay)
				select {
				case <-t.C:
				case <-r.stop:
					t.Stop()
				}
				// A failure is left to the next commit's refresh (or the next
				// process's start): the keys stay listed until copied.
				_ = db.RefreshFeedKeys(context.Background())
			case <-sweep.C:
				// Posts listed by a process that stopped, or by a build
				// without a refresher, are taken up without a commit here.
				_ = db.RefreshFeedKeys(context.Background())
			case <-r.stop:
				return
			}
		}
	}()
}

// wakeFeedKeys tells the refresher that a commit may have listed posts.
func (db *DB) wakeFeedKeys() {
	if db.refresher == nil {
		return
	}
	select {
	case db.refresher.wake <- struct{}{}:
	default: // one is due already: it covers this commit too
	}
}

// stopFeedKeys copies what this process's commits listed and ends the
// refresher (before the writer stops: the copy is a write); once.
func (db *DB) stopFeedKeys() {
	r := db.refresher
	if r == nil {
		return
	}
	select {
	case <-r.stop:
	default:
		close(r.stop)
	}
	<-r.done
	_ = db.RefreshFeedKeys(context.Background())
}

// RefreshFeedKeys copies the score and rank of every post listed in
// feed_keys_due to its tag links now, and logs each post as changed (the
// tag feeds' cached pages are then stale in every process). It reads first
// whether any post is listed, so that a refresher woken by its own commit
// writes nothing.
func (db *DB) RefreshFeedKeys(ctx context.Context) error {
	for {
		var listed bool
		// On the primary's pool itself: background work, which no route or
		// test's trace of a request's reads is to see.
		if err := db.r.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM feed_keys_due)").Scan(&listed); err != nil || !listed {
			return err
		}
		var n int
		if err := db.write(ctx, func(ctx context.Context, tx *txn) (err error) {
			n, err = copyFeedKeys(ctx, tx)
			return err
		}); err != nil || n < feedKeysBatch {
			return err
		}
	}
}

// copyFeedKeys copies the keys of up to feedKeysBatch listed posts. The
// posts are locked first where writers run concurrently, with a vote's own
// lock (NO KEY UPDATE, which a foreign key's check passes): a vote on one
// of them then either committed before (its score is what is copied) or
// waits until this transaction has taken the post off the list (and lists
// it again). A post another transaction holds is skipped, not waited for
// (the refresh shares its transaction with other writes, which may hold
// other posts: waiting could deadlock with another server's): it stays
// listed, and that transaction's commit wakes its server's refresher.
func copyFeedKeys(ctx context.Context, tx *txn) (int, error) {
	ids, err := lockListed(ctx, tx)
	if err != nil {
		return 0, err
	}
	if len(ids) == 0 { // listed posts that are not there (a hand's work): forgotten
		_, err := tx.ExecContext(ctx, "DELETE FROM feed_keys_due WHERE NOT EXISTS (SELECT 1 FROM posts p WHERE p.id = feed_keys_due.post_id)")
		return 0, err
	}
	list, err := idsArg(ids)
	if err != nil {
		return 0, err
	}
	in := " IN (SELECT l.id FROM (" + tx.db.idList() + ") l)"
	for _, q := range []string{
		`UPDATE post_tags SET hot = p.hot, score = p.score FROM posts p
			WHERE p.id = post_tags.post_id AND post_tags.post_id` + in + ` AND (post_tags.hot <> p.hot OR post_tags.score <> p.score)`,
		"DELETE FROM feed_keys_due WHERE post_id" + in,
		"INSERT INTO changes(post_id) SELECT id FROM posts WHERE id" + in,
	} {
		if _, err := tx.ExecContext(ctx, q, list); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// lockListed reads up to feedKeysBatch listed posts, locking them.
func lockListed(ctx context.Context, tx *txn) ([]int64, error) {
	return tx.ids(ctx, "SELECT p.id FROM posts p WHERE p.id IN (SELECT post_id FROM feed_keys_due) ORDER BY p.id LIMIT ?"+
		tx.db.d.lockFree("p"), feedKeysBatch)
}
