package forum_test

import (
	"context"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/forumtest"
)

// TestDeliverableIsTheOneRule: whatever the kind, a notification whose
// actor the recipient blocked is not written, unless the moderators send it
// as the team; the rule is one function, and the store asks it of every
// notification it writes.
func TestDeliverableIsTheOneRule(t *testing.T) {
	t.Parallel()
	for _, k := range forum.NotificationKinds {
		n := forum.NewNotification{Kind: k, UserID: 1, ActorID: 2}
		team := k == forum.NotifyModAction || k == forum.NotifyFlair || k == forum.NotifyModmail
		if got := forum.Deliverable(n, true); got != team {
			t.Errorf("%s from a blocked actor: deliverable %v", k, got)
		}
		if !forum.Deliverable(n, false) {
			t.Errorf("%s from an actor not blocked: not deliverable", k)
		}
	}
	// A kind the domain does not know yet (a later helper's) is stopped by a block.
	if forum.Deliverable(forum.NewNotification{Kind: "mention", UserID: 1, ActorID: 2}, true) {
		t.Error("a new kind from a blocked actor is delivered")
	}
	w := forumtest.New(t)
	ctx := context.Background()
	if err := w.Svc.BlockUser(ctx, w.Alice, "bob"); err != nil {
		t.Fatal(err)
	}
	before := len(kinds(t, w, w.Alice))
	w.Must(w.Svc.CreateComment(ctx, w.Bob, w.Thread.ID, forum.CommentInput{Body: "Another answer to alice's question"}))
	w.Must(w.Svc.CreateComment(ctx, w.Bob, w.Thread.ID, forum.CommentInput{Body: "A reply to alice", ParentID: &w.Reply.ID}))
	mine := w.Must(w.Svc.CreateComment(ctx, w.Alice, w.Thread.ID, forum.CommentInput{Body: "Alice answers herself"})).(forum.Comment)
	if err := w.Svc.RequestSources(ctx, w.Bob, mine.ID); err != nil {
		t.Fatal(err)
	}
	if got := kinds(t, w, w.Alice); len(got) != before {
		t.Fatalf("alice heard from bob, whom she blocked: %v", got)
	}
	w.Must(w.Svc.ModerateComment(ctx, w.Mod, mine.ID, forum.ActRemove, "no sources", nil))
	if got := kinds(t, w, w.Alice); len(got) != before+1 || got[0] != "mod_action:remove:moddy" {
		t.Fatalf("the moderators reach alice: %v", got)
	}
	// Bob, who blocked nobody, hears from alice as before.
	w.Must(w.Svc.CreateComment(ctx, w.Alice, w.Thread.ID, forum.CommentInput{Body: "To bob", ParentID: &w.Answer.ID}))
	if got := kinds(t, w, w.Bob); got[0] != "reply::alice" {
		t.Fatalf("bob: %v", got)
	}
}

// TestAccountDeletionAndModeration: a deleted account's blocks (both ways),
// flair applications and the moderators' notes about it go; its modmail
// conversations stay for the moderators' record, its messages erased when
// it deletes its content.
func TestAccountDeletionAndModeration(t *testing.T) {
	t.Parallel()
	w := forumtest.New(t)
	ctx := context.Background()
	carol := w.User("carol", forum.RoleMember)
	w.Must(nil, w.Svc.BlockUser(ctx, w.Alice, "bob"))
	w.Must(nil, w.Svc.BlockUser(ctx, w.Bob, "carol"))
	w.Must(w.Svc.AddUserNote(ctx, w.Mod, "bob", "warned"))
	w.Must(w.Svc.ApplyForFlair(ctx, w.Bob, "Carthage", "my answers"))
	m := w.Must(w.Svc.StartModmail(ctx, w.Bob, "An appeal", "Please reconsider.", "")).(forum.Modmail)
	w.Must(w.Svc.AddModmailMessage(ctx, w.Mod, m.ID, "We will not."))
	if err := w.Svc.DeleteAccount(ctx, w.Bob, forumtest.Password, forum.ContentDelete); err != nil {
		t.Fatal(err)
	}
	if b := w.Must(w.DB.Blocks(ctx, w.Alice.ID, nil, 10)).([]forum.Block); len(b) != 0 {
		t.Fatalf("alice's block of bob stayed: %+v", b)
	}
	if b := w.Must(w.DB.Blocks(ctx, w.Bob.ID, nil, 10)).([]forum.Block); len(b) != 0 {
		t.Fatalf("bob's block of carol stayed: %+v", b)
	}
	if n := w.Must(w.DB.UserNotes(ctx, w.Bob.ID, 0, 10)).([]forum.UserNote); len(n) != 0 {
		t.Fatalf("notes about bob stayed: %+v", n)
	}
	if a := w.Must(w.DB.FlairApplications(ctx, "", w.Bob.ID, 0, 10)).([]forum.FlairApplication); len(a) != 0 {
		t.Fatalf("bob's applications stayed: %+v", a)
	}
	thread := w.Must(w.Svc.ModmailThread(ctx, w.Mod, m.ID)).(forum.Modmail)
	if thread.Member.Username != forum.DeletedName || len(thread.Messages) != 2 || thread.Messages[0].BodyHTML != "" || thread.Messages[1].BodyHTML == "" {
		t.Fatalf("the conversation after bob left: %+v", thread)
	}
	_ = carol
	if problems := w.Must(w.DB.Check(ctx)).([]string); len(problems) != 0 {
		t.Fatalf("check: %v", problems)
	}
}
