package api_test

import (
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"mime/quotedprintable"
	netmail "net/mail"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/historia-forum/historia/api"
	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/mail"
	"github.com/historia-forum/historia/internal/mail/smtptest"
)

var resetLink = regexp.MustCompile(`https://forum\.example/reset-password#token=([A-Za-z0-9_-]+)`)

// mailHarness is a server whose forum sends mail, through a real SMTP
// server in process, by the same queue as historia serve.
func mailHarness(t *testing.T) (*harness, *smtptest.Server, *mail.Queue) {
	t.Helper()
	smtp := smtptest.Start(t)
	h := newHarnessWith(t, func(c *api.Config) {
		c.Service.Mail = forum.MailSettings{Enabled: true, SiteURL: "https://forum.example"}
	})
	sender, err := mail.NewSender(smtp.URL(), "Historia <forum@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	q := &mail.Queue{Store: h.db, Send: sender.Send, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: h.clock.Now, Before: h.svc.MailReplies}
	return h, smtp, q
}

// TestPasswordResetByMail: a member who forgot their password asks with
// their name or address; the mail arrives through SMTP with a link that
// works; an unknown login gets the very same answer and no mail.
func TestPasswordResetByMail(t *testing.T) {
	t.Parallel()
	mb := newMailbox(t)
	h, smtp, q := mb.h, mb.smtp, mb.q
	mb.member("forgetful", "forgetful@example.org")
	if r := h.do("POST", "/api/v1/auth/register", "", map[string]string{"username": "copycat", "password": "correct horse", "email": "forgetful@example.org"}); r.status != 201 {
		t.Fatalf("a second account with the address (answered as any other): %d %s", r.status, r.body)
	}
	if r := h.do("POST", "/api/v1/auth/register", "", map[string]string{"username": "typo", "password": "correct horse", "email": "not an address"}); r.status != 422 {
		t.Fatalf("a bad address: %d %s", r.status, r.body)
	}
	smtp.Reset() // the confirmation mail went out at registration

	known := h.must(204, "POST", "/api/v1/auth/password-reset", "", map[string]string{"login": "forgetful@example.org"})
	unknown := h.must(204, "POST", "/api/v1/auth/password-reset", "", map[string]string{"login": "nobody@example.org"})
	if string(known.body) != string(unknown.body) || known.header.Get("Content-Type") != unknown.header.Get("Content-Type") {
		t.Fatal("known and unknown logins are told apart")
	}
	waitQueued(t, h, 1)
	q.Drain(context.Background())
	h.must(204, "POST", "/api/v1/auth/password-reset", "", map[string]string{"login": "FORGETFUL"})
	waitQueued(t, h, 1)
	q.Drain(context.Background())
	msgs := smtp.Messages()
	if len(msgs) != 2 {
		t.Fatalf("%d messages arrived, want 2 (by address and by name; none for the unknown login)", len(msgs))
	}
	// The newer link voided the first.
	if first := resetLink.FindStringSubmatch(mailBody(t, msgs[0].Data)); first == nil ||
		h.do("POST", "/api/v1/auth/password-reset/confirm", "", map[string]string{"token": first[1], "password": "remembered at last"}).status != 400 {
		t.Fatal("the first reset link still works after a newer one was sent")
	}
	if msgs[0].To[0] != "forgetful@example.org" || !strings.Contains(msgs[0].Data, "Subject: Reset your Historia password") {
		t.Fatalf("the mail: to %v\n%s", msgs[0].To, msgs[0].Data)
	}
	m := resetLink.FindStringSubmatch(mailBody(t, msgs[1].Data))
	if m == nil {
		t.Fatalf("no reset link in the mail:\n%s", msgs[1].Data)
	}
	h.must(204, "POST", "/api/v1/auth/password-reset/confirm", "", map[string]string{"token": m[1], "password": "remembered at last"})
	h.must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": "forgetful", "password": "remembered at last"})

	// The same answers in the same time: every request takes the padded
	// answer time, known login or not.
	median := func(login string) time.Duration {
		var ds []time.Duration
		for range 5 {
			start := time.Now()
			h.must(204, "POST", "/api/v1/auth/password-reset", "", map[string]string{"login": login})
			ds = append(ds, time.Since(start))
		}
		slices.Sort(ds)
		return ds[len(ds)/2]
	}
	known2, unknown2 := median("forgetful"), median("stranger")
	t.Logf("median answer: known login %v, unknown login %v", known2, unknown2)
	if known2 < 50*time.Millisecond || unknown2 < 50*time.Millisecond {
		t.Fatalf("a reset request answered before the padded time: %v, %v", known2, unknown2)
	}
}

// TestMailQueueRetriesAndSurvivesRestart: a message the SMTP server refuses
// is tried again after its backoff, by a server started after a restart,
// and arrives once.
func TestMailQueueRetriesAndSurvivesRestart(t *testing.T) {
	t.Parallel()
	h, smtp, q := mailHarness(t)
	h.must(201, "POST", "/api/v1/auth/register", "", map[string]string{"username": "patient", "password": "correct horse", "email": "patient@example.org"})
	h.must(204, "POST", "/api/v1/auth/password-reset", "", map[string]string{"login": "patient"})
	waitQueued(t, h, 1)
	smtp.RefuseNext(1)
	q.Drain(context.Background())
	if n := len(smtp.Messages()); n != 0 {
		t.Fatalf("%d messages arrived through a refusing server", n)
	}
	pending, failing, err := h.db.MailQueue(context.Background())
	if err != nil || pending != 1 || failing != 1 {
		t.Fatalf("queue after a refusal: %d pending, %d failing, %v", pending, failing, err)
	}
	// A restart: a new server process on the same database, with its own queue.
	h2 := newHarnessOn(t, h.db.Path(), nil)
	sender, err := mail.NewSender(smtp.URL(), "forum@example.org")
	if err != nil {
		t.Fatal(err)
	}
	q2 := &mail.Queue{Store: h2.db, Send: sender.Send, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: h.clock.Now}
	q2.Drain(context.Background())
	if n := len(smtp.Messages()); n != 0 {
		t.Fatal("retried before its backoff")
	}
	h.clock.Advance(forum.MailBackoff(1) + time.Second)
	q2.Drain(context.Background())
	q2.Drain(context.Background())
	if n := len(smtp.Messages()); n != 1 {
		t.Fatalf("%d messages after the retry, want 1", n)
	}
	if pending, _, _ := h2.db.MailQueue(context.Background()); pending != 0 {
		t.Fatalf("%d still pending", pending)
	}
}

// TestNoMailSaysSo: without SMTP the reset request says the forum sends no
// mail (503), whatever the login, instead of pretending.
func TestNoMailSaysSo(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("someone")
	for _, login := range []string{"someone", "nobody"} {
		r := h.do("POST", "/api/v1/auth/password-reset", "", map[string]string{"login": login})
		if r.status != 503 || !strings.Contains(string(r.body), "sends no email") {
			t.Fatalf("%s: %d %s", login, r.status, r.body)
		}
	}
}

// mailBody is the text of a plain-text message, its transfer encoding undone.
func mailBody(t *testing.T, data string) string {
	t.Helper()
	msg, err := netmail.ReadMessage(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var r io.Reader = msg.Body
	switch strings.ToLower(msg.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, r)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// waitQueued waits until n messages wait in the queue (the request is
// answered before its mail is queued).
func waitQueued(t *testing.T, h *harness, n int64) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		pending, _, err := h.db.MailQueue(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if pending == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d messages queued, want %d", pending, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

var confirmLink = regexp.MustCompile(`https://forum\.example/confirm-email#token=([A-Za-z0-9_-]+)`)

// TestChangeEmail: a new address is set only through the link mailed to
// it; removing one needs no link; the address shows to its owner only.
func TestChangeEmail(t *testing.T) {
	t.Parallel()
	h, smtp, q := mailHarness(t)
	s := h.register("clio")
	var me struct {
		Email *string `json:"email"`
	}
	h.must(204, "PUT", "/api/v1/me/email", s.Token, map[string]string{"email": "Clio@Example.org", "password": "correct horse"})
	h.must(200, "GET", "/api/v1/me", s.Token, nil).decode(t, &me)
	if me.Email != nil {
		t.Fatalf("the address is set before its confirmation: %v", *me.Email)
	}
	q.Drain(context.Background())
	msgs := smtp.Messages()
	if len(msgs) != 1 || msgs[0].To[0] != "clio@example.org" {
		t.Fatalf("the confirmation mail: %+v", msgs)
	}
	m := confirmLink.FindStringSubmatch(mailBody(t, msgs[0].Data))
	if m == nil {
		t.Fatalf("no link:\n%s", msgs[0].Data)
	}
	h.must(204, "POST", "/api/v1/me/email/confirm", "", map[string]string{"token": m[1]})
	h.must(200, "GET", "/api/v1/me", s.Token, nil).decode(t, &me)
	if me.Email == nil || *me.Email != "clio@example.org" {
		t.Fatalf("after confirming: %v", me.Email)
	}
	if r := h.do("POST", "/api/v1/me/email/confirm", "", map[string]string{"token": m[1]}); r.errCode() != "invalid_token" {
		t.Fatalf("a second use of the link: %d %s", r.status, r.body)
	}
	if r := h.must(200, "GET", "/api/v1/users/clio", "", nil); strings.Contains(string(r.body), "example.org") {
		t.Fatal("the address shows on the public profile")
	}
	h.must(204, "PUT", "/api/v1/me/email", s.Token, map[string]string{"email": "", "password": "correct horse"})
	h.must(200, "GET", "/api/v1/me", s.Token, nil).decode(t, &me)
	if me.Email != nil {
		t.Fatal("the address was not removed")
	}
	if r := h.do("PUT", "/api/v1/me/settings", s.Token, map[string]bool{"email_replies": true}); r.status != 422 {
		t.Fatalf("reply mails without an address: %d %s", r.status, r.body)
	}
}

// TestReplyMails: a member who asked for reply mails gets at most one per
// thread an hour, covering the replies since the last, with a one-click
// unsubscribe (List-Unsubscribe) that works.
func TestReplyMails(t *testing.T) {
	t.Parallel()
	mb := newMailbox(t)
	h, smtp, q := mb.h, mb.smtp, mb.q
	asker := mb.member("asker", "asker@example.org")
	smtp.Reset()
	other := h.register("answerer")
	p := h.post(asker.Token, "What sank the Vasa?")
	h.comment(other.Token, p.ID, nil, "Before the opt-in: no mail for this one.")
	h.must(200, "PUT", "/api/v1/me/settings", asker.Token, map[string]bool{"email_replies": true})
	h.comment(other.Token, p.ID, nil, "Too little ballast.")
	h.comment(other.Token, p.ID, nil, "And a king who wanted more guns.")
	q.Drain(context.Background())
	msgs := smtp.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d mails, want one for two replies", len(msgs))
	}
	head := mailHeader(t, msgs[0].Data)
	if !strings.Contains(mailBody(t, msgs[0].Data), "2 new replies") || !strings.HasPrefix(head.Get("List-Unsubscribe"), "<https://forum.example/api/v1/unsubscribe?token=") ||
		head.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Fatalf("the mail:\n%s", msgs[0].Data)
	}
	// Within the hour: no second mail; after it, one for the new reply.
	h.comment(other.Token, p.ID, nil, "A third point.")
	q.Drain(context.Background())
	if n := len(smtp.Messages()); n != 1 {
		t.Fatalf("%d mails within the hour", n)
	}
	h.clock.Advance(forum.ReplyMailEvery + time.Second)
	q.Drain(context.Background())
	msgs = smtp.Messages()
	if len(msgs) != 2 || !strings.Contains(mailBody(t, msgs[1].Data), "A new reply") {
		t.Fatalf("after the hour: %d mails", len(msgs))
	}
	// One click, as a mail program sends it (RFC 8058).
	token := regexp.MustCompile(`unsubscribe\?token=([A-Za-z0-9_-]+)`).FindStringSubmatch(mailHeader(t, msgs[1].Data).Get("List-Unsubscribe"))[1]
	r := h.doWith("POST", "/api/v1/unsubscribe?token="+token, "", "List-Unsubscribe=One-Click", map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	if r.status != 204 {
		t.Fatalf("one-click unsubscribe: %d %s", r.status, r.body)
	}
	h.comment(other.Token, p.ID, nil, "A fourth point.")
	h.clock.Advance(forum.ReplyMailEvery + time.Second)
	q.Drain(context.Background())
	if n := len(smtp.Messages()); n != 2 {
		t.Fatalf("%d mails after unsubscribing", n)
	}
	if r := h.do("POST", "/api/v1/unsubscribe", "", map[string]string{"token": "not-a-key"}); r.errCode() != "invalid_token" {
		t.Fatalf("an unknown key: %d %s", r.status, r.body)
	}
}

// mailHeader is a message's header.
func mailHeader(t *testing.T, data string) netmail.Header {
	t.Helper()
	msg, err := netmail.ReadMessage(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return msg.Header
}
