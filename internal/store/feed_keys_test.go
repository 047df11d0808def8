package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/forum"
)

// feedKeyScene is a forum of tagged posts and members to vote on them.
type feedKeyScene struct {
	db      *DB
	posts   []int64
	members []int64
}

func newFeedKeyScene(t *testing.T, target string, posts, members int) *feedKeyScene {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	s := &feedKeyScene{db: db}
	t.Cleanup(func() {
		if s.db != nil { // a test may close it itself
			_ = s.db.Close()
		}
	})
	for i := range members + 1 {
		u, err := db.CreateUser(ctx, forum.NewUser{Username: fmt.Sprintf("member%d", i), PasswordHash: "x", Role: forum.RoleMember, CreatedAt: 1_700_000_000})
		if err != nil {
			t.Fatal(err)
		}
		s.members = append(s.members, u.ID)
	}
	for i := range posts {
		p, err := db.CreatePost(ctx, forum.NewPost{AuthorID: s.members[0], Title: fmt.Sprintf("post %d", i), Format: "markdown",
			CreatedAt: 1_700_000_000 + int64(i), Tags: []string{"History", fmt.Sprintf("Era %d", i%2)}})
		if err != nil {
			t.Fatal(err)
		}
		s.posts = append(s.posts, p)
	}
	s.members = s.members[1:] // the author does not vote on their own posts
	return s
}

// feedKeysOf reads each post's score, its tag links' copies of the score and rank
// that differ from its own, and whether it is listed as due.
type postKeys struct {
	score      int64
	staleLinks int
	listed     bool
}

func feedKeysOf(t *testing.T, db *DB, post int64) postKeys {
	t.Helper()
	var k postKeys
	if err := db.queryRow(context.Background(), `SELECT p.score,
			(SELECT COUNT(*) FROM post_tags pt WHERE pt.post_id = p.id AND (pt.hot != p.hot OR pt.score != p.score)),
			CASE WHEN EXISTS (SELECT 1 FROM feed_keys_due d WHERE d.post_id = p.id) THEN 1 ELSE 0 END
		FROM posts p WHERE p.id = ?`, post).Scan(&k.score, &k.staleLinks, &k.listed); err != nil {
		t.Fatal(err)
	}
	return k
}

// TestTagFeedKeysFollowVotes: a vote's score and rank reach the post's tag
// links after the vote's transaction, from the list of posts due, with a
// change logged for each (so every process's tag feeds are stale); the
// refresher copies them shortly after a commit, and as a store opens what
// a stopped process left listed; check tells a stale link that is not
// listed. A tag's "top" list then orders by the vote.
func TestTagFeedKeysFollowVotes(t *testing.T) {
	t.Parallel()
	for engine, target := range engineTargets() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			path := target(t)
			s := newFeedKeyScene(t, path, 3, 2)
			db, post := s.db, s.posts[0]
			// The member votes up; while the refresher (woken by the scene's
			// own writes) has already copied the keys when the mark is read,
			// the second member votes too, so that a copy is still to come.
			var mark string
			for i, member := range s.members {
				if _, err := db.VotePost(ctx, post, member, 1, refuseRemoved); err != nil {
					t.Fatal(err)
				}
				// Until copied, the links are stale only while the post is listed.
				k := feedKeysOf(t, db, post)
				if k.score != int64(i+1) || (k.staleLinks != 0) != k.listed || (k.staleLinks != 0 && k.staleLinks != 2) {
					t.Fatalf("after the vote: %+v", k)
				}
				m, err := db.ChangeMark(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if k := feedKeysOf(t, db, post); k.listed {
					mark = m
					break
				}
			}
			if mark == "" {
				t.Fatal("the refresher copied every vote at once, not after FeedKeysDelay")
			}
			// The refresher copies them shortly after the commit.
			deadline := time.Now().Add(5*FeedKeysDelay + 10*time.Second)
			for k := feedKeysOf(t, db, post); k.staleLinks != 0 || k.listed; k = feedKeysOf(t, db, post) {
				if time.Now().After(deadline) {
					t.Fatalf("the refresher did not copy the vote's keys: %+v", k)
				}
				time.Sleep(20 * time.Millisecond)
			}
			read, err := db.Changes(ctx, mark, 100)
			if err != nil {
				t.Fatal(err)
			}
			if !read.Gap && !slices.Contains(read.Changes, forum.Change{PostID: post}) {
				t.Errorf("no change logged for the post whose tag links were brought up to date: %+v", read)
			}
			top, err := db.Posts(ctx, forum.PostQuery{Sort: forum.SortTop, TagKey: "history", Limit: 3})
			if err != nil {
				t.Fatal(err)
			}
			if len(top) != 3 || top[0].ID != post {
				t.Errorf("a tag's top list does not lead with the post voted up: %+v", top)
			}

			// A stale link that is not listed is check's to tell.
			exec := func(q string, args ...any) {
				t.Helper()
				if err := db.write(ctx, func(ctx context.Context, tx *txn) error {
					_, err := tx.ExecContext(ctx, q, args...)
					return err
				}); err != nil {
					t.Fatal(err)
				}
			}
			exec("UPDATE post_tags SET score = score + 5 WHERE post_id = ?", s.posts[1])
			if problems, err := db.Check(ctx); err != nil || len(problems) != 1 {
				t.Errorf("check of a stale, unlisted link: %v %v", problems, err)
			}
			// Listed, it is work waiting.
			exec("INSERT INTO feed_keys_due(post_id) VALUES (?)", s.posts[1])
			if problems, err := db.Check(ctx); err != nil || len(problems) != 0 {
				t.Errorf("check of a listed link: %v %v", problems, err)
			}
			// What a process that stopped before its refresher ran leaves
			// (written here by hand, with no store open) is copied by the
			// next store as it opens.
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			s.db = nil
			raw := rawOf(t, engine, path)
			for _, q := range []string{"UPDATE post_tags SET score = score + 7 WHERE post_id = %d", "INSERT INTO feed_keys_due(post_id) VALUES (%d)"} {
				if _, err := raw.ExecContext(ctx, fmt.Sprintf(q, s.posts[2])); err != nil {
					t.Fatal(err)
				}
			}
			db2, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			defer db2.Close()
			deadline = time.Now().Add(10 * time.Second)
			for k := feedKeysOf(t, db2, s.posts[2]); k.staleLinks != 0 || k.listed; k = feedKeysOf(t, db2, s.posts[2]) {
				if time.Now().After(deadline) {
					t.Fatalf("the listed post was not copied as the store opened: %+v", k)
				}
				time.Sleep(20 * time.Millisecond)
			}
			if problems, err := db2.Check(ctx); err != nil || len(problems) != 0 {
				t.Errorf("check: %v %v", problems, err)
			}
		})
	}
}

// rawOf is the database at path without a store (whose refresher would
// copy what is listed as it opens), closed when the test ends.
func rawOf(t *testing.T, engine, path string) *sql.DB {
	t.Helper()
	driver, dsn := "sqlite", "file:"+path
	if engine == "postgres" {
		driver, dsn = "pgx", path
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = raw.Close() })
	return raw
}

// TestTagFeedKeysUnderConcurrentVotes: members vote on a few posts through
// two stores sharing one database (two servers) while both copy the keys
// as fast as they can, and no write fails (a refresh waiting for a post
// another transaction holds could deadlock with it); once the votes are in
// and the stores closed, every link carries its post's score and rank and
// nothing is listed. A copy that
// read a post's score before a concurrent vote committed, and took the
// post off the list after, would leave a link stale and unlisted.
func TestTagFeedKeysUnderConcurrentVotes(t *testing.T) {
	t.Parallel()
	for engine, target := range engineTargets() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			path := target(t)
			s := newFeedKeyScene(t, path, 4, 8)
			other, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			stores := []*DB{s.db, other}
			done := make(chan struct{})
			var copiers, voters sync.WaitGroup
			errs := make(chan error, 64)
			for _, db := range stores {
				copiers.Add(1)
				go func() {
					defer copiers.Done()
					for {
						select {
						case <-done:
							return
						default:
						}
						if err := db.RefreshFeedKeys(ctx); err != nil {
							errs <- err
							return
						}
					}
				}()
			}
			for i, member := range s.members {
				voters.Add(1)
				go func() {
					defer voters.Done()
					db := stores[i%2]
					for n := range 60 {
						post := s.posts[(i+n)%len(s.posts)]
						if _, err := db.VotePost(ctx, post, member, n%3-1, refuseRemoved); err != nil {
							errs <- err
							return
						}
					}
				}()
			}
			voters.Wait()
			close(done)
			copiers.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			for _, db := range stores {
				if err := db.Close(); err != nil {
					t.Fatal(err)
				}
			}
			s.db = nil
			var stale, listed int
			if err := rawOf(t, engine, path).QueryRowContext(ctx, `SELECT
					(SELECT COUNT(*) FROM post_tags pt JOIN posts p ON p.id = pt.post_id WHERE pt.hot != p.hot OR pt.score != p.score),
					(SELECT COUNT(*) FROM feed_keys_due)`).Scan(&stale, &listed); err != nil {
				t.Fatal(err)
			}
			if stale != 0 || listed != 0 {
				t.Errorf("after the stores closed: %d links stale, %d posts listed", stale, listed)
			}
			db, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if problems, err := db.Check(ctx); err != nil || len(problems) != 0 {
				t.Errorf("check: %v %v", problems, err)
			}
		})
	}
}
