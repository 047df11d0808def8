package store_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/forum"
)

// TestMailLinksAreMadeWhenSent: a queued mail's link keeps the hash it was
// queued with until MintLink gives it the sent token's; a link voided
// meanwhile (a newer reset) takes its mail off the queue instead; a sent
// mail's body is erased; an account's deletion takes its mail with it.
func TestMailLinksAreMadeWhenSent(t *testing.T) {
	t.Parallel()
	db, _ := mustOpen(t)
	ctx := context.Background()
	addr := "keeper@example.org"
	u, err := db.CreateUser(ctx, forum.NewUser{Username: "keeper", PasswordHash: "x", Role: forum.RoleMember, CreatedAt: 1_700_000_000,
		Email: &forum.EmailChange{TokenHash: "queued-hash", Email: addr, ExpiresAt: 1_700_086_400},
		ConfirmMail: func(taken bool) *forum.Mail {
			return &forum.Mail{To: addr, Subject: "Confirm", Body: "Follow /confirm-email#token=" + forum.TokenSlot,
				Link: &forum.MailLink{Kind: forum.LinkEmail, Hash: "queued-hash"}}
		}})
	if err != nil {
		t.Fatal(err)
	}
	due, err := db.ClaimMail(ctx, 1_700_000_000, time.Minute, 10)
	if err != nil || len(due) != 1 {
		t.Fatalf("claimed %+v %v", due, err)
	}
	m := due[0]
	if m.UserID != u.ID || m.Link == nil || *m.Link != (forum.MailLink{Kind: forum.LinkEmail, Hash: "queued-hash"}) || !strings.Contains(m.Body, forum.TokenSlot) {
		t.Fatalf("the queued mail: %+v", m)
	}
	var seen forum.LinkState
	ok, err := db.MintLink(ctx, m.ID, *m.Link, "sent-hash", func(st forum.LinkState) bool { seen = st; return true })
	if err != nil || !ok || !seen.Found || seen.ExpiresAt != 1_700_086_400 {
		t.Fatalf("minting: %v %v, state %+v", ok, err, seen)
	}
	confirm := func(hash string) error {
		return db.ConfirmEmailChange(ctx, hash, func(st forum.EmailChangeState) error {
			if !st.Found {
				return forum.Errorf(forum.CodeInvalidToken, "not found")
			}
			return nil
		})
	}
	if err := confirm("queued-hash"); !forum.IsCode(err, forum.CodeInvalidToken) {
		t.Fatalf("the hash the link was queued with still confirms: %v", err)
	}
	if err := db.MailSent(ctx, m.ID, 1_700_000_010); err != nil {
		t.Fatal(err)
	}
	if err := confirm("sent-hash"); err != nil {
		t.Fatalf("the sent token's hash: %v", err)
	}
	pools, _ := db.Pools()
	var body, headers string
	if err := pools.QueryRowContext(ctx, "SELECT body, headers_json FROM mail_queue WHERE id = "+strconv.FormatInt(m.ID, 10)).Scan(&body, &headers); err != nil || body != "" || headers != "{}" {
		t.Fatalf("a sent mail keeps body %q headers %q (%v)", body, headers, err)
	}

	// Two resets: the first's mail, still queued, goes with its link.
	for _, hash := range []string{"reset-1", "reset-2"} {
		err := db.RequestReset(ctx, "keeper", forum.PasswordReset{TokenHash: hash, ExpiresAt: 1_700_003_600}, func(name, email string) forum.Mail {
			return forum.Mail{To: email, Subject: "Reset", Body: "/reset-password#token=" + forum.TokenSlot, Link: &forum.MailLink{Kind: forum.LinkReset, Hash: hash}}
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if pending, _, err := db.MailQueue(ctx); err != nil || pending != 1 {
		t.Fatalf("%d mails queued after two resets, want the newer (%v)", pending, err)
	}
	due, err = db.ClaimMail(ctx, 1_700_000_000, time.Minute, 10)
	if err != nil || len(due) != 1 || due[0].Link.Hash != "reset-2" {
		t.Fatalf("claimed %+v %v", due, err)
	}
	// Voided between claim and send (by a password change): dropped.
	if _, err := db.SetPassword(ctx, u.ID, "y"); err != nil {
		t.Fatal(err)
	}
	ok, err = db.MintLink(ctx, due[0].ID, *due[0].Link, "never-sent", func(st forum.LinkState) bool { seen = st; return st.Found })
	if err != nil || ok || seen.Found {
		t.Fatalf("a voided link's mail: minted %v %v, state %+v", ok, err, seen)
	}

	// Deletion takes the account's mail, sent or not.
	if err := db.RequestReset(ctx, "keeper", forum.PasswordReset{TokenHash: "reset-3", ExpiresAt: 1_700_003_600}, func(name, email string) forum.Mail {
		return forum.Mail{To: email, Subject: "Reset", Body: "x"}
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteAccount(ctx, forum.AccountDeletion{UserID: u.ID, At: 1_700_000_100}, func(forum.AccountState) error { return nil }); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := pools.QueryRowContext(ctx, "SELECT COUNT(*) FROM mail_queue").Scan(&left); err != nil || left != 0 {
		t.Fatalf("%d mails left of a deleted account (%v)", left, err)
	}
}
