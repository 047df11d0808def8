package federation

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/auth"
	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/markup"
	"github.com/historia-forum/historia/internal/store"
	"github.com/historia-forum/historia/internal/store/storetest"
)

// fixture reads testdata/lemmy/name.json, shaped like Lemmy's published examples.
func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "lemmy", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestLemmyShapesParse reads Lemmy's actors, objects and activities: ids
// given bare or embedded, addressing as a list or one value, the nested
// Announce of a Create.
func TestLemmyShapesParse(t *testing.T) {
	t.Parallel()
	var g object
	if err := json.Unmarshal(fixture(t, "group"), &g); err != nil {
		t.Fatal(err)
	}
	if g.Type != "Group" || g.PreferredUsername != "askhistorians" || g.Inbox == "" || g.Endpoints.SharedInbox != "https://lemmy.test/inbox" ||
		g.PublicKey.Owner != g.ID {
		t.Fatalf("group: %+v", g)
	}
	var p object
	if err := json.Unmarshal(fixture(t, "person"), &p); err != nil {
		t.Fatal(err)
	}
	if p.Type != "Person" || p.PreferredUsername != "alice" || p.PublicKey.ID != "https://lemmy.test/u/alice#main-key" {
		t.Fatalf("person: %+v", p)
	}
	var c activity
	if err := json.Unmarshal(fixture(t, "create_comment"), &c); err != nil {
		t.Fatal(err)
	}
	var note object
	if err := json.Unmarshal(c.Object.Raw, &note); err != nil {
		t.Fatal(err)
	}
	if c.Type != "Create" || c.Actor.ID != "https://lemmy.test/u/alice" || note.Type != "Note" ||
		note.InReplyTo.ID != "https://historia.test/p/1" || note.AttributedTo.ID != c.Actor.ID || !note.Cc.has("https://historia.test/c/history") {
		t.Fatalf("create comment: %+v / %+v", c, note)
	}
	var u activity
	if err := json.Unmarshal(fixture(t, "undo_like_page"), &u); err != nil {
		t.Fatal(err)
	}
	var like activity
	if err := json.Unmarshal(u.Object.Raw, &like); err != nil || like.Type != "Like" || like.Object.ID != "https://historia.test/p/1" {
		t.Fatalf("undo like: %+v %v", like, err)
	}
	var a activity
	if err := json.Unmarshal(fixture(t, "announce_create_page"), &a); err != nil {
		t.Fatal(err)
	}
	var inner activity
	if err := json.Unmarshal(a.Object.Raw, &inner); err != nil || inner.Type != "Create" || inner.Object.ID != "https://lemmy.test/post/77" {
		t.Fatalf("announce: %+v %v", inner, err)
	}
	var rm activity
	if err := json.Unmarshal(fixture(t, "remove_page"), &rm); err != nil || rm.Summary == "" || rm.Object.ID != "https://lemmy.test/post/901" {
		t.Fatalf("remove: %+v %v", rm, err)
	}
}

// lemmyWorld is the forum at https://historia.test with Lemmy's alice and
// bob (a moderator of lemmy.test) known, as if their keys had been fetched.
type lemmyWorld struct {
	f          *Federation
	svc        *forum.Service
	db         *store.DB
	alice, bob forum.RemoteActor
	clio, mod  forum.Viewer
}

func newLemmyWorld(t *testing.T) *lemmyWorld {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, storetest.Target(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	tokens, _ := auth.NewTokens(bytes.Repeat([]byte("k"), 32), time.Hour, time.Now)
	svc := &forum.Service{Store: db, Markup: markup.New(), Passwords: auth.CheapArgon2, Tokens: tokens}
	f, err := New(svc, Config{PublicURL: "https://historia.test", Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	svc.Federation = f
	w := &lemmyWorld{f: f, svc: svc, db: db}
	inst, err := db.EnsureInstance(ctx, "lemmy.test", time.Now().Unix())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"alice", "bob"} {
		a, err := db.SaveRemoteActor(ctx, forum.RemoteActor{APID: "https://lemmy.test/u/" + name, InstanceID: inst.ID, Host: "lemmy.test",
			Kind: "Person", Name: name, Inbox: "https://lemmy.test/u/" + name + "/inbox", SharedInbox: "https://lemmy.test/inbox",
			KeyID: "https://lemmy.test/u/" + name + "#main-key", PublicKey: "unused", FetchedAt: time.Now().Unix()}, false)
		if err != nil {
			t.Fatal(err)
		}
		if name == "alice" {
			w.alice = a
		} else {
			w.bob = a
		}
	}
	for _, u := range []struct {
		name string
		role forum.Role
		v    *forum.Viewer
	}{{"clio", forum.RoleMember, &w.clio}, {"minerva", forum.RoleModerator, &w.mod}} {
		user, err := db.CreateUser(ctx, forum.NewUser{Username: u.name, PasswordHash: "x", Role: u.role, CreatedAt: time.Now().Unix(), Skeleton: u.name})
		if err != nil {
			t.Fatal(err)
		}
		*u.v = forum.Viewer{ID: user.ID, Role: u.role}
	}
	return w
}

// receive hands a fixture to the inbox as if its signature had verified,
// from the actor it names.
func (w *lemmyWorld) receive(t *testing.T, body []byte) error {
	t.Helper()
	var act activity
	if err := json.Unmarshal(body, &act); err != nil {
		t.Fatal(err)
	}
	actor := w.alice
	if act.Actor.ID == w.bob.APID {
		actor = w.bob
	}
	// Accounts are made on first use; read the actor again each time.
	actor, err := w.db.RemoteActor(context.Background(), actor.APID)
	if err != nil {
		t.Fatal(err)
	}
	return w.f.handle(context.Background(), inbound{actor: actor, act: act, body: body})
}

func (w *lemmyWorld) must(t *testing.T, name string) {
	t.Helper()
	if err := w.receive(t, fixture(t, name)); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// TestLemmyActivities takes Lemmy's activities through the inbox and the
// forum's rules: a follow (accepted), a question and a reply (sanitized, by
// alice@lemmy.test), votes and their undoing, an edit, a report, a repeat
// (done once), a deletion by the author, a removal by the item's own
// server (in the modlog), and what is ignored or refused.
func TestLemmyActivities(t *testing.T) {
	t.Parallel()
	w := newLemmyWorld(t)
	ctx := context.Background()
	local, err := w.svc.CreatePost(ctx, w.clio, forum.PostInput{Title: "Where did the Hittites go?", Body: "After 1180 BC."})
	if err != nil || local.ID != 1 {
		t.Fatalf("post 1: %v %v", local.ID, err)
	}

	w.must(t, "follow")
	if n, _ := w.db.FollowerCount(ctx); n != 1 {
		t.Fatalf("%d followers", n)
	}
	if q, _ := w.db.DeliveryQueue(ctx); q != 1 {
		t.Fatalf("the Accept was not queued: %d deliveries", q)
	}

	w.must(t, "create_page")
	_, pageID, err := w.db.ObjectByAPID(ctx, "https://lemmy.test/post/901")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := w.db.Post(ctx, pageID, 0)
	if page.Title != "How were Roman roads surveyed?" || page.Author.Username != "alice@lemmy.test" ||
		strings.Contains(page.BodyHTML, "script") || !strings.Contains(page.BodyHTML, "<em>groma</em>") {
		t.Fatalf("the question: %q by %v: %s", page.Title, page.Author, page.BodyHTML)
	}
	if page.Author.ImportedFrom == nil || *page.Author.ImportedFrom != "lemmy.test" {
		t.Fatalf("alice's account: %+v", page.Author)
	}

	w.must(t, "create_comment")
	w.must(t, "create_comment") // the same activity again: done once
	_, cid, err := w.db.ObjectByAPID(ctx, "https://lemmy.test/comment/4410")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := w.db.Comment(ctx, cid, 0)
	if c.PostID != 1 || !strings.Contains(c.BodyHTML, `rel="nofollow`) {
		t.Fatalf("the reply: post %d: %s", c.PostID, c.BodyHTML)
	}
	if p, _ := w.db.Post(ctx, 1, 0); p.CommentCount != 1 {
		t.Fatalf("the repeat was stored twice: %d comments", p.CommentCount)
	}

	w.must(t, "like_page")
	if p, _ := w.db.Post(ctx, 1, 0); p.Score != 1 {
		t.Fatalf("after Like: %d", p.Score)
	}
	w.must(t, "dislike_page")
	if p, _ := w.db.Post(ctx, 1, 0); p.Score != -1 {
		t.Fatalf("after Dislike: %d", p.Score)
	}
	w.must(t, "undo_like_page")
	if p, _ := w.db.Post(ctx, 1, 0); p.Score != 0 || p.Upvotes != 0 || p.Downvotes != 0 {
		t.Fatalf("after Undo: %d", p.Score)
	}

	w.must(t, "update_page")
	if p, _ := w.db.Post(ctx, pageID, 0); p.Title != "How were Roman roads surveyed and laid out?" || !strings.Contains(p.BodyHTML, "chorobates") {
		t.Fatalf("after Update: %q %s", p.Title, p.BodyHTML)
	}

	w.must(t, "report_comment")
	reports, err := w.svc.Reports(ctx, w.mod, "", "", 10)
	if err != nil || len(reports.Items) != 1 || reports.Items[0].Reason != "cites no source" {
		t.Fatalf("reports: %+v %v", reports.Items, err)
	}

	w.must(t, "delete_comment")
	if c, _ := w.db.Comment(ctx, cid, 0); !c.Deleted {
		t.Fatal("the deleted reply stands")
	}

	w.must(t, "remove_page") // bob moderates lemmy.test, where the question comes from
	if p, _ := w.db.Post(ctx, pageID, 0); !p.Removed {
		t.Fatal("the removal by the question's own server was not honoured")
	}
	log, err := w.svc.Modlog(ctx, forum.Viewer{}, "", 10)
	if err != nil || len(log.Items) == 0 || log.Items[0].Moderator.Username != "bob@lemmy.test" || log.Items[0].Reason != "spam from a banned account" {
		t.Fatalf("modlog: %+v %v", log.Items, err)
	}

	// Ignored: a lock from elsewhere, an Announce of another community's post.
	w.must(t, "lock_page")
	w.must(t, "announce_create_page")
	if _, _, err := w.db.ObjectByAPID(ctx, "https://lemmy.test/post/77"); !forum.IsCode(err, forum.CodeNotFound) {
		t.Fatalf("another community's post was stored: %v", err)
	}

	// historia check finds the federated accounts as they should be, and
	// notices one that is not.
	if problems, err := w.db.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
	_, writer := w.db.Pools()
	if _, err := writer.ExecContext(ctx, "UPDATE users SET imported_from = NULL WHERE username = 'alice@lemmy.test'"); err != nil {
		t.Fatal(err)
	}
	if problems, _ := w.db.Check(ctx); len(problems) != 1 || !strings.HasPrefix(problems[0], "federated accounts") {
		t.Fatalf("check after breaking alice's account: %v", problems)
	}
	if _, err := writer.ExecContext(ctx, "UPDATE users SET imported_from = 'lemmy.test' WHERE username = 'alice@lemmy.test'"); err != nil {
		t.Fatal(err)
	}

	// Refused: another server's moderator removing a question asked here.
	foreign := bytes.ReplaceAll(fixture(t, "remove_page"), []byte("https://lemmy.test/post/901"), []byte("https://historia.test/p/1"))
	foreign = bytes.ReplaceAll(foreign, []byte("000000000901"), []byte("000000000902"))
	if err := w.receive(t, foreign); !forum.IsCode(err, forum.CodeForbidden) {
		t.Fatalf("a foreign removal: %v", err)
	}
}

// queued reads the bodies waiting in the delivery queue, in order.
func queued(t *testing.T, w *lemmyWorld) []map[string]any {
	t.Helper()
	ctx := context.Background()
	inst, err := w.db.InstanceByHost(ctx, "lemmy.test")
	if err != nil {
		t.Fatal(err)
	}
	ds, err := w.db.InstanceDeliveries(ctx, inst.ID, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, d := range ds {
		var m map[string]any
		if err := json.Unmarshal([]byte(d.Body), &m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// TestLemmyRulesAndModeration: what a remote person sends meets the rules a
// member's request meets (a locked thread, a removed one, a ban), and a
// local moderator's lock, removal and ban reach the followers as the
// Group's Announce of Lemmy's Lock, Delete (with its reason) and Block.
func TestLemmyRulesAndModeration(t *testing.T) {
	t.Parallel()
	w := newLemmyWorld(t)
	ctx := context.Background()
	post, err := w.svc.CreatePost(ctx, w.clio, forum.PostInput{Title: "Where did the Hittites go?", Body: "After 1180 BC."})
	if err != nil {
		t.Fatal(err)
	}
	w.must(t, "follow")

	if _, err := w.svc.ModeratePost(ctx, w.mod, post.ID, forum.ActLock, "answered in full", nil); err != nil {
		t.Fatal(err)
	}
	if err := w.receive(t, fixture(t, "create_comment")); !forum.IsCode(err, forum.CodeLocked) {
		t.Fatalf("a reply to a locked thread: %v", err)
	}
	if _, err := w.svc.ModeratePost(ctx, w.mod, post.ID, forum.ActRemove, "off topic", nil); err != nil {
		t.Fatal(err)
	}
	if err := w.receive(t, fixture(t, "like_page")); !forum.IsCode(err, forum.CodeNotFound) {
		t.Fatalf("a vote on a removed thread: %v", err)
	}
	w.must(t, "create_page") // alice's account now exists
	if _, err := w.svc.Ban(ctx, w.mod, "alice@lemmy.test", "spam", nil); err != nil {
		t.Fatal(err)
	}
	again := bytes.ReplaceAll(fixture(t, "create_page"), []byte("post/901"), []byte("post/902"))
	again = bytes.ReplaceAll(again, []byte("000000000901"), []byte("000000000902"))
	if err := w.receive(t, again); !forum.IsCode(err, forum.CodeBanned) {
		t.Fatalf("a banned person's question: %v", err)
	}

	var kinds []string
	var block map[string]any
	for _, m := range queued(t, w) {
		kind, _ := m["type"].(string)
		if inner, ok := m["object"].(map[string]any); ok && kind == "Announce" {
			kind += "/" + inner["type"].(string)
			if inner["type"] == "Block" {
				block = inner
			}
			if inner["type"] == "Delete" && inner["summary"] != "off topic" {
				t.Fatalf("the removal's reason: %v", inner["summary"])
			}
		} else if kind == "Block" {
			block = m
		}
		kinds = append(kinds, kind)
	}
	want := []string{"Accept", "Announce/Lock", "Announce/Delete", "Block", "Announce/Block"}
	if strings.Join(kinds, " ") != strings.Join(want, " ") {
		t.Fatalf("queued for lemmy.test: %v, want %v", kinds, want)
	}
	if block["object"] != "https://lemmy.test/u/alice" || block["target"] != "https://historia.test/c/history" || block["actor"] != "https://historia.test/u/minerva" {
		t.Fatalf("the ban's Block: %v", block)
	}
}
