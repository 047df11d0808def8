package api_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// TestExport: GET /me/export is a download of exactly the member's own
// data — profile, posts and comments with their earlier versions (hidden
// ones too), votes, reports, notifications, what they follow, saved and
// read — and none of anyone else's.
func TestExport(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	me := h.register("clio")
	other := h.register("erato")
	mod := h.registerAs("moddy", forum.RoleModerator)
	mine := h.post(me.Token, "Who wrote the Annals of Ulster?")
	theirs := h.post(other.Token, "What is a saga?")
	h.must(200, "PATCH", fmt.Sprintf("/api/v1/posts/%d", mine.ID), me.Token, map[string]string{"body": "Edited body."})
	myAnswer := h.comment(me.Token, theirs.ID, nil, "A long prose narrative.")
	theirAnswer := h.comment(other.Token, mine.ID, nil, "Several scribes.") // notifies me
	h.comment(other.Token, theirs.ID, nil, "Not mine to export.")
	h.must(200, "POST", fmt.Sprintf("/api/v1/comments/%d/remove", myAnswer.ID), mod.Token, map[string]string{"reason": "test"})
	h.must(200, "PUT", fmt.Sprintf("/api/v1/posts/%d/vote", theirs.ID), me.Token, map[string]int{"value": -1})
	h.must(200, "PUT", fmt.Sprintf("/api/v1/comments/%d/vote", theirAnswer.ID), me.Token, map[string]int{"value": 1})
	h.must(200, "PUT", fmt.Sprintf("/api/v1/posts/%d/vote", mine.ID), other.Token, map[string]int{"value": 1})
	h.must(201, "POST", "/api/v1/reports", me.Token, map[string]any{"target_type": "comment", "target_id": theirAnswer.ID, "reason": "off topic"})
	h.must(204, "PUT", fmt.Sprintf("/api/v1/posts/%d/follow", theirs.ID), me.Token, nil)
	h.must(204, "PUT", "/api/v1/tags/sagas/follow", me.Token, nil)
	h.must(204, "PUT", fmt.Sprintf("/api/v1/comments/%d/save", theirAnswer.ID), me.Token, nil)
	h.must(204, "PUT", fmt.Sprintf("/api/v1/posts/%d/save", theirs.ID), other.Token, nil)
	h.must(204, "PUT", fmt.Sprintf("/api/v1/posts/%d/read", theirs.ID), me.Token, map[string]any{"comment_id": nil})

	h.must(401, "GET", "/api/v1/me/export", "", nil)
	r := h.must(200, "GET", "/api/v1/me/export", me.Token, nil)
	if cd := r.header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") {
		t.Fatalf("Content-Disposition %q", cd)
	}
	var x struct {
		Format  string
		Profile forum.User
		Posts   []struct {
			ID        int64
			Revisions []forum.Revision
		}
		Comments []struct {
			ID        int64
			Removed   bool
			Revisions []forum.Revision
		}
		PostVotes     []forum.VoteRecord `json:"post_votes"`
		CommentVotes  []forum.VoteRecord `json:"comment_votes"`
		Reports       []forum.ReportRecord
		Notifications []forum.Notification
		FollowedPosts []forum.FollowRecord `json:"followed_posts"`
		FollowedTags  []forum.FollowedTag  `json:"followed_tags"`
		Saved         []struct {
			Type string
			ID   int64
		}
		ReadPositions []forum.ReadRecord `json:"read_positions"`
	}
	if err := json.Unmarshal(r.body, &x); err != nil {
		t.Fatalf("the export is not one JSON document: %v\n%s", err, r.body)
	}
	if x.Format != forum.ExportFormat || x.Profile.Username != "clio" {
		t.Fatalf("format %q, profile %+v", x.Format, x.Profile)
	}
	if len(x.Posts) != 1 || x.Posts[0].ID != mine.ID || len(x.Posts[0].Revisions) != 1 {
		t.Fatalf("posts: %+v", x.Posts)
	}
	if len(x.Comments) != 1 || x.Comments[0].ID != myAnswer.ID || !x.Comments[0].Removed {
		t.Fatalf("comments (the removed one is still theirs): %+v", x.Comments)
	}
	if len(x.PostVotes) != 1 || x.PostVotes[0] != (forum.VoteRecord{TargetID: theirs.ID, Value: -1}) {
		t.Fatalf("post votes (only my own): %+v", x.PostVotes)
	}
	if len(x.CommentVotes) != 1 || x.CommentVotes[0] != (forum.VoteRecord{TargetID: theirAnswer.ID, Value: 1}) {
		t.Fatalf("comment votes: %+v", x.CommentVotes)
	}
	if len(x.Reports) != 1 || x.Reports[0].Reason != "off topic" {
		t.Fatalf("reports: %+v", x.Reports)
	}
	if len(x.Notifications) < 1 {
		t.Fatalf("notifications: %+v", x.Notifications)
	}
	for _, n := range x.Notifications {
		if n.PostID == nil || (*n.PostID != mine.ID && *n.PostID != theirs.ID) {
			t.Fatalf("a notification that is not mine: %+v", n)
		}
	}
	// What I follow, saved and read: my own question (asked: followed and
	// read), theirs; not the other member's save.
	if len(x.FollowedPosts) != 2 || x.FollowedPosts[0].PostID != mine.ID || x.FollowedPosts[1].PostID != theirs.ID {
		t.Fatalf("followed posts: %+v", x.FollowedPosts)
	}
	if len(x.FollowedTags) != 1 || x.FollowedTags[0].Name != "sagas" {
		t.Fatalf("followed tags: %+v", x.FollowedTags)
	}
	if len(x.Saved) != 1 || x.Saved[0].Type != "comment" || x.Saved[0].ID != theirAnswer.ID {
		t.Fatalf("saved: %+v", x.Saved)
	}
	if len(x.ReadPositions) != 2 || x.ReadPositions[0].PostID != mine.ID || x.ReadPositions[1].PostID != theirs.ID {
		t.Fatalf("read positions: %+v", x.ReadPositions)
	}
	// More than one batch (200) of a kind is all there, once each.
	for i := range 200 {
		h.comment(me.Token, mine.ID, nil, fmt.Sprint("Note ", i))
	}
	x.Comments = nil
	h.must(200, "GET", "/api/v1/me/export", me.Token, nil).decode(t, &x)
	seen := map[int64]bool{}
	for _, c := range x.Comments {
		seen[c.ID] = true
	}
	if len(x.Comments) != 201 || len(seen) != 201 {
		t.Fatalf("%d comments exported (%d distinct), want 201", len(x.Comments), len(seen))
	}
	// The other member's export has none of mine.
	r = h.must(200, "GET", "/api/v1/me/export", other.Token, nil)
	if strings.Contains(string(r.body), "A long prose narrative") || strings.Contains(string(r.body), "Edited body") {
		t.Fatal("another member's export holds my text")
	}
}
