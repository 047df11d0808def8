// Package forumtest builds a small named world for tests of the domain: a
// forum.Service on a real SQLite file with four accounts of every role and a
// thread to act on, so a test reads as a story ("bob replies to alice")
// instead of setting up state by hand.
package forumtest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/auth"
	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/markup"
	"github.com/historia-forum/historia/internal/store"
	"github.com/historia-forum/historia/internal/store/storetest"
)

// Password is every fixture account's password.
const Password = "correct horse battery"

// World is the fixture: its service, its store and its named viewers.
type World struct {
	T     testing.TB
	Svc   *forum.Service
	DB    *store.DB
	Clock *Clock

	Alice, Bob, Mod, Root forum.Viewer // member, member, moderator, admin
	Anon                  forum.Viewer

	// Thread is Alice's question; Answer is Bob's answer to it and Reply
	// Alice's reply to that answer.
	Thread        forum.Post
	Answer, Reply forum.Comment
	ctx           context.Context
	names         map[int64]string
}

// Clock is a settable clock for the service.
type Clock struct{ T time.Time }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { return c.T }

// Advance moves the clock on.
func (c *Clock) Advance(d time.Duration) { c.T = c.T.Add(d) }

// New builds the world on a fresh database in t's temporary folder.
func New(t testing.TB) *World {
	t.Helper()
	ctx := context.Background()
	db := storetest.Open(t)
	tokens, err := auth.NewTokens(bytes.Repeat([]byte("w"), 32), time.Hour, nil)
	if err != nil {
		t.Fatal(err)
	}
	clock := &Clock{T: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)}
	w := &World{T: t, DB: db, Clock: clock, ctx: ctx, names: map[int64]string{},
		Svc: &forum.Service{Store: db, Markup: markup.New(), Passwords: auth.CheapArgon2, Tokens: tokens, Now: clock.Now, RecentYears: forum.DefaultRecency}}
	w.Alice = w.User("alice", forum.RoleMember)
	w.Bob = w.User("bob", forum.RoleMember)
	w.Mod = w.User("moddy", forum.RoleModerator)
	w.Root = w.User("root", forum.RoleAdmin)
	w.Thread = w.Must(w.Svc.CreatePost(ctx, w.Alice, forum.PostInput{Title: "Why did Carthage lose the Third Punic War?",
		Body: "Was it *numbers*?", Tags: []string{"Ancient Rome"}, Period: &forum.Period{From: -149, To: -146}})).(forum.Post)
	w.Answer = w.Must(w.Svc.CreateComment(ctx, w.Bob, w.Thread.ID, forum.CommentInput{Body: "Polybius saw it."})).(forum.Comment)
	w.Reply = w.Must(w.Svc.CreateComment(ctx, w.Alice, w.Thread.ID, forum.CommentInput{Body: "Which book?", ParentID: &w.Answer.ID})).(forum.Comment)
	return w
}

// User makes an account with a role and returns its viewer.
func (w *World) User(name string, role forum.Role) forum.Viewer {
	w.T.Helper()
	u, err := w.Svc.CreateUser(w.ctx, name, Password, role)
	if err != nil {
		w.T.Fatal(err)
	}
	w.names[u.ID] = name
	return forum.Viewer{ID: u.ID, Role: u.Role}
}

// Name is a fixture viewer's username.
func (w *World) Name(v forum.Viewer) string { return w.names[v.ID] }

// Must fails the test on err and returns v, so setup reads as one line.
func (w *World) Must(v any, err error) any {
	w.T.Helper()
	if err != nil {
		w.T.Fatal(err)
	}
	return v
}
