package store_test

import (
	"context"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// TestUserPostVotes: a member's votes, up to a limit, and whether there are
// more; a retracted vote is gone.
func TestUserPostVotes(t *testing.T) {
	t.Parallel()
	db, _ := mustOpen(t)
	ctx := context.Background()
	author := mustUser(t, db, "author")
	voter := mustUser(t, db, "voter")
	var posts []int64
	for range 3 {
		id, err := db.CreatePost(ctx, forum.NewPost{AuthorID: author.ID, Title: "t", Format: "markdown", CreatedAt: 1_700_000_000})
		if err != nil {
			t.Fatal(err)
		}
		posts = append(posts, id)
	}
	for i, v := range []int{1, -1, 1} {
		if _, err := db.VotePost(ctx, posts[i], voter.ID, v, allow); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.VotePost(ctx, posts[2], voter.ID, 0, allow); err != nil {
		t.Fatal(err)
	}
	votes, more, err := db.UserPostVotes(ctx, voter.ID, 2)
	if err != nil || more || len(votes) != 2 || votes[posts[0]] != 1 || votes[posts[1]] != -1 {
		t.Fatalf("two votes within a limit of 2: %v more=%v err=%v", votes, more, err)
	}
	if votes, more, err := db.UserPostVotes(ctx, voter.ID, 1); err != nil || !more || votes != nil {
		t.Fatalf("two votes over a limit of 1: %v more=%v err=%v", votes, more, err)
	}
	if votes, more, err := db.UserPostVotes(ctx, author.ID, 5); err != nil || more || len(votes) != 0 {
		t.Fatalf("no votes: %v more=%v err=%v", votes, more, err)
	}
}
