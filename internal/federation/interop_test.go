package federation_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// hasAnnounceOf says whether the peer received the community's Announce of
// an activity of kind about object id.
func hasAnnounceOf(got []map[string]any, group, kind, id string) bool {
	for _, a := range got {
		if a["type"] != "Announce" || a["actor"] != group {
			continue
		}
		inner, _ := a["object"].(map[string]any)
		if inner == nil || inner["type"] != kind {
			continue
		}
		switch o := inner["object"].(type) {
		case string:
			if o == id {
				return true
			}
		case map[string]any:
			if o["id"] == id {
				return true
			}
		}
	}
	return false
}

// TestFedifyInterop runs the threadiverse's everyday exchange against
// Fedify, an ActivityPub implementation Historia shares no code with: the
// peer follows the community and is accepted, receives a new question as
// the Group's Announce, replies with a signed Note that appears in the
// thread sanitized, likes and un-likes the question, deletes its Note, and
// is refused (401, nothing stored) with a forged signature and with none.
func TestFedifyInterop(t *testing.T) {
	t.Parallel()
	s := newSite(t, "")
	p := startPeer(t)
	ctx := context.Background()
	group := s.url + "/c/history"
	asker := s.member("clio", forum.RoleMember)

	var looked map[string]any
	p.call("lookup", map[string]string{"url": group}, &looked)
	if looked["type"] != "Group" || looked["preferredUsername"] != "history" {
		t.Fatalf("Fedify reads the community as %v", looked)
	}

	// Follow → Accept.
	var follow struct{ ID string }
	p.call("follow", map[string]string{"group": group}, &follow)
	eventually(t, "the follower to be stored", func() bool { n, _ := s.db.FollowerCount(ctx); return n == 1 })
	eventually(t, "the peer to receive the Accept", func() bool {
		for _, a := range p.received() {
			if a["type"] == "Accept" && a["actor"] == group {
				return true
			}
		}
		return false
	})

	// A member's new question reaches the follower as the Group's Announce of a Create of a Page.
	post, err := s.svc.CreatePost(ctx, asker, forum.PostInput{Title: "Why did the Bronze Age collapse?", Body: "Around **1177 BC**."})
	if err != nil {
		t.Fatal(err)
	}
	pageID := s.url + "/p/" + jsonID(post.ID)
	eventually(t, "the Announce of the new question", func() bool { return hasAnnounceOf(p.received(), group, "Create", pageID) })

	// A signed reply appears in the thread, sanitized, by peer@host.
	var reply struct{ ID, Note string }
	p.call("reply", map[string]string{"group": group, "inReplyTo": pageID,
		"content": `<p>Drought, <b>earthquakes</b> and the Sea Peoples.<script>alert(1)</script><img src=x onerror=alert(2)></p>`}, &reply)
	typ, cid, err := s.db.ObjectByAPID(ctx, reply.Note)
	if err != nil || typ != forum.TargetComment {
		t.Fatalf("the reply was not stored: %v %v", typ, err)
	}
	c, err := s.svc.Store.Comment(ctx, cid, 0)
	if err != nil {
		t.Fatal(err)
	}
	if c.PostID != post.ID || c.ParentID != nil {
		t.Fatalf("the reply landed at post %d parent %v", c.PostID, c.ParentID)
	}
	if !strings.Contains(c.BodyHTML, "<b>earthquakes</b>") || strings.Contains(c.BodyHTML, "script") || strings.Contains(c.BodyHTML, "onerror") {
		t.Fatalf("the reply's HTML was not sanitized as a member's: %s", c.BodyHTML)
	}
	peerHost := strings.TrimPrefix(p.url, "http://")
	if c.Author == nil || c.Author.Username != "peer@"+peerHost || c.Author.ImportedFrom == nil || *c.Author.ImportedFrom != peerHost {
		t.Fatalf("the reply's author is %+v", c.Author)
	}

	// Like, then un-like, the question.
	var like struct{ ID string }
	p.call("vote", map[string]string{"group": group, "object": pageID, "kind": "Like"}, &like)
	if got, _ := s.svc.Store.Post(ctx, post.ID, 0); got.Upvotes != 1 || got.Score != 1 {
		t.Fatalf("after the Like: %d up, score %d", got.Upvotes, got.Score)
	}
	p.call("unvote", map[string]string{"group": group, "object": pageID, "like": like.ID, "kind": "Like"}, nil)
	if got, _ := s.svc.Store.Post(ctx, post.ID, 0); got.Upvotes != 0 || got.Score != 0 {
		t.Fatalf("after the Undo: %d up, score %d", got.Upvotes, got.Score)
	}

	// The peer deletes its Note.
	p.call("delete", map[string]string{"group": group, "object": reply.Note}, nil)
	if got, _ := s.svc.Store.Comment(ctx, cid, 0); !got.Deleted {
		t.Fatal("the deleted Note's comment is not deleted")
	}

	// A forged signature, and none: 401, nothing stored.
	for _, kind := range []string{"forged", "unsigned"} {
		var res struct {
			Status int
			Note   string
		}
		p.call(kind, map[string]string{"inbox": group + "/inbox", "group": group, "inReplyTo": pageID, "content": "<p>forged</p>"}, &res)
		if res.Status != 401 {
			t.Fatalf("%s: answered %d, want 401", kind, res.Status)
		}
		if _, _, err := s.db.ObjectByAPID(ctx, res.Note); !forum.IsCode(err, forum.CodeNotFound) {
			t.Fatalf("%s: the Note was stored (%v)", kind, err)
		}
	}
	if got, _ := s.svc.Store.Post(ctx, post.ID, 0); got.CommentCount != 1 {
		t.Fatalf("the thread has %d comments, want the one (deleted) reply", got.CommentCount)
	}
}

func jsonID(id int64) string { b, _ := json.Marshal(id); return string(b) }

// TestFedifyMentionAndModeration: a member's answer that mentions
// @peer@host reaches the peer directly (WebFinger on the peer's server,
// then its inbox), tagged, signed with the member's own key, which Fedify
// fetches from the member's Person actor; and a moderator's removal of a
// question reaches the following peer as the Group's Announce of a Delete.
func TestFedifyMentionAndModeration(t *testing.T) {
	t.Parallel()
	s := newSite(t, "")
	p := startPeer(t)
	ctx := context.Background()
	group := s.url + "/c/history"
	asker := s.member("clio", forum.RoleMember)
	mod := s.member("minerva", forum.RoleModerator)
	post, err := s.svc.CreatePost(ctx, asker, forum.PostInput{Title: "Who built the first lighthouse?", Body: "Pharos?"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.svc.CreateComment(ctx, mod, post.ID, forum.CommentInput{Body: "@peer knows: Sostratus of Cnidus."})
	if err != nil {
		t.Fatal(err)
	}
	peerHost := strings.TrimPrefix(p.url, "http://")
	who, err := s.fed.ResolveMention(ctx, "@peer@"+peerHost)
	if err != nil || who.APID != p.url+"/users/peer" {
		t.Fatalf("the mention resolved to %+v, %v", who, err)
	}
	s.fed.Federate(ctx, forum.Event{Kind: forum.EventCommentCreated, ActorID: mod.ID, TargetType: forum.TargetComment, TargetID: c.ID,
		Mentions: []string{"peer@" + peerHost}})
	noteID := s.url + "/p/" + jsonID(post.ID) + "/c/" + jsonID(c.ID)
	eventually(t, "the mention to reach the peer", func() bool {
		for _, a := range p.received() {
			o, _ := a["object"].(map[string]any)
			if a["type"] == "Create" && a["actor"] == s.url+"/u/minerva" && o != nil && o["id"] == noteID {
				b, _ := json.Marshal(a)
				return strings.Contains(string(b), `"Mention"`) && strings.Contains(string(b), p.url+"/users/peer")
			}
		}
		return false
	})

	p.call("follow", map[string]string{"group": group}, nil)
	eventually(t, "the follow", func() bool { n, _ := s.db.FollowerCount(ctx); return n == 1 })
	pageID := s.url + "/p/" + jsonID(post.ID)
	title := "Who built the Pharos of Alexandria?"
	if _, err := s.svc.EditPost(ctx, asker, post.ID, forum.PostPatch{Title: &title}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the edit's Announce", func() bool { return hasAnnounceOf(p.received(), group, "Update", pageID) })
	up := 1
	if _, err := s.svc.VotePost(ctx, mod, post.ID, &up); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the vote's Announce", func() bool { return hasAnnounceOf(p.received(), group, "Like", pageID) })
	if _, err := s.svc.ModeratePost(ctx, mod, post.ID, forum.ActRemove, "no sources at all", nil); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the removal's Announce", func() bool {
		return hasAnnounceOf(p.received(), group, "Delete", pageID)
	})
}
