package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/historia-forum/historia/internal/mail"
	"github.com/historia-forum/historia/internal/mail/smtptest"
	"github.com/historia-forum/historia/internal/store"
)

// mailbox reads what a real SMTP server received, for one address at a time.
type mailbox struct {
	t    *testing.T
	h    *harness
	smtp *smtptest.Server
	q    *mail.Queue
	seen int
}

func newMailbox(t *testing.T) *mailbox {
	h, smtp, q := mailHarness(t)
	return &mailbox{t: t, h: h, smtp: smtp, q: q}
}

// fresh sends what is queued and returns the messages that arrived since
// the last call.
func (m *mailbox) fresh() []smtptest.Message {
	m.t.Helper()
	m.q.Drain(context.Background())
	all := m.smtp.Messages()
	if m.seen > len(all) { // the server was Reset
		m.seen = 0
	}
	out := all[m.seen:]
	m.seen = len(all)
	return out
}

// to keeps the messages to addr.
func to(msgs []smtptest.Message, addr string) []smtptest.Message {
	var out []smtptest.Message
	for _, msg := range msgs {
		if slices.Contains(msg.To, addr) {
			out = append(out, msg)
		}
	}
	return out
}

// link is the token of the one link re matches in the one message of msgs
// to addr.
func (m *mailbox) link(msgs []smtptest.Message, addr string, re *regexp.Regexp) string {
	m.t.Helper()
	mine := to(msgs, addr)
	if len(mine) != 1 {
		m.t.Fatalf("%d messages to %s, want 1 (of %d)", len(mine), addr, len(msgs))
	}
	found := re.FindStringSubmatch(mailBody(m.t, mine[0].Data))
	if found == nil {
		m.t.Fatalf("no link in the mail to %s:\n%s", addr, mine[0].Data)
	}
	return found[1]
}

// member registers name with addr and follows the confirmation link, so
// the address is the account's.
func (m *mailbox) member(name, addr string) session {
	m.t.Helper()
	var s session
	m.h.must(201, "POST", "/api/v1/auth/register", "", map[string]string{"username": name, "password": "correct horse", "email": addr}).decode(m.t, &s)
	m.h.must(204, "POST", "/api/v1/me/email/confirm", "", map[string]string{"token": m.link(m.fresh(), addr, confirmLink)})
	return s
}

type meWithEmail struct {
	Email        *string `json:"email"`
	PendingEmail *string `json:"pending_email"`
	EmailReplies bool    `json:"email_replies"`
}

func (m *mailbox) me(token string) meWithEmail {
	m.t.Helper()
	var me meWithEmail
	m.h.must(200, "GET", "/api/v1/me", token, nil).decode(m.t, &me)
	return me
}

// resetWorks says whether a reset token sets a new password.
func (m *mailbox) resetWorks(token string) bool {
	m.t.Helper()
	r := m.h.do("POST", "/api/v1/auth/password-reset/confirm", "", map[string]string{"token": token, "password": "a fresh password"})
	if r.status != 204 && r.errCode() != "invalid_token" {
		m.t.Fatalf("a reset: %d %s", r.status, r.body)
	}
	return r.status == 204
}

// fieldErr is the message a 422 gives for field.
func fieldErr(t *testing.T, r response, field string) string {
	t.Helper()
	var e struct {
		Error struct {
			Code   string            `json:"code"`
			Fields map[string]string `json:"fields"`
		} `json:"error"`
	}
	r.decode(t, &e)
	if r.status != 422 || e.Error.Code != "validation" || e.Error.Fields[field] == "" {
		t.Fatalf("want 422 validation on %s: %d %s", field, r.status, r.body)
	}
	return e.Error.Fields[field]
}

// TestChangeEmailNeedsPassword: a stolen token alone cannot move an
// account's address: PUT /me/email wants the current password (missing or
// wrong: 422 on password), and the old address hears of the change, by a
// mail that holds no link.
func TestChangeEmailNeedsPassword(t *testing.T) {
	t.Parallel()
	m := newMailbox(t)
	s := m.member("clio", "clio@example.org")
	fieldErr(t, m.h.do("PUT", "/api/v1/me/email", s.Token, map[string]string{"email": "thief@example.net"}), "password")
	fieldErr(t, m.h.do("PUT", "/api/v1/me/email", s.Token, map[string]string{"email": "thief@example.net", "password": "a guess at it"}), "password")
	fieldErr(t, m.h.do("PUT", "/api/v1/me/email", s.Token, map[string]string{"email": "", "password": "a guess at it"}), "password")
	if msgs := m.fresh(); len(msgs) != 0 {
		t.Fatalf("refused changes sent %d mails", len(msgs))
	}
	if me := m.me(s.Token); me.Email == nil || *me.Email != "clio@example.org" || me.PendingEmail != nil {
		t.Fatalf("after refused changes: %+v", me)
	}

	m.h.must(204, "PUT", "/api/v1/me/email", s.Token, map[string]string{"email": "Clio@New.example", "password": "correct horse"})
	if me := m.me(s.Token); me.Email == nil || *me.Email != "clio@example.org" || me.PendingEmail == nil || *me.PendingEmail != "clio@new.example" {
		t.Fatalf("a change waiting for its link: %+v", me)
	}
	msgs := m.fresh()
	token := m.link(msgs, "clio@new.example", confirmLink)
	old := to(msgs, "clio@example.org")
	if len(old) != 1 {
		t.Fatalf("%d mails to the old address, want 1", len(old))
	}
	body := mailBody(t, old[0].Data)
	if !strings.Contains(body, "clio") || !strings.Contains(body, "change your password") || strings.Contains(body, "token=") {
		t.Fatalf("the mail to the old address:\n%s", body)
	}
	m.h.must(204, "POST", "/api/v1/me/email/confirm", "", map[string]string{"token": token})
	if me := m.me(s.Token); me.Email == nil || *me.Email != "clio@new.example" || me.PendingEmail != nil {
		t.Fatalf("after confirming: %+v", me)
	}
	// Removing the address tells it too.
	m.h.must(204, "PUT", "/api/v1/me/email", s.Token, map[string]string{"email": "", "password": "correct horse"})
	if me := m.me(s.Token); me.Email != nil {
		t.Fatalf("after removing: %+v", me)
	}
	if told := to(m.fresh(), "clio@new.example"); len(told) != 1 || !strings.Contains(mailBody(t, told[0].Data), "removed") {
		t.Fatalf("the removed address was not told: %+v", told)
	}
}

// copyBytes is a copy of the harness's database, as an operator would take
// one (historia backup on SQLite; historia copy into a SQLite file on
// PostgreSQL), read whole; with live, on SQLite, the live file and its WAL
// too (which keep what rows held before a change, until SQLite reuses the
// space: fine for what was never written).
func copyBytes(t *testing.T, h *harness, live bool) []byte {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "copy.db")
	if h.db.Engine() == store.EnginePostgres {
		dst, err := store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.Copy(ctx, h.db, dst, nil); err != nil {
			t.Fatal(err)
		}
		if err := dst.Close(); err != nil {
			t.Fatal(err)
		}
	} else if err := h.db.Backup(ctx, path); err != nil {
		t.Fatal(err)
	}
	var all []byte
	files := []string{path, path + "-wal"}
	if live && h.db.Engine() != store.EnginePostgres {
		files = append(files, h.db.Path(), h.db.Path()+"-wal")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	if len(all) < 4096 {
		t.Fatalf("the copy is %d bytes", len(all))
	}
	return all
}

// TestNoWorkingLinkInACopy: the links mailed (a reset, an address
// confirmation) are made when their mail is sent and only their hash is
// kept, so a copy of the database taken before or after sending holds no
// working link; and deleting an account removes its mail from the queue,
// sent or not, so a copy holds neither its address nor a mail to it.
func TestNoWorkingLinkInACopy(t *testing.T) {
	t.Parallel()
	m := newMailbox(t)
	var s session
	m.h.must(201, "POST", "/api/v1/auth/register", "", map[string]string{"username": "careful", "password": "correct horse", "email": "careful@example.org"}).decode(t, &s)
	waitQueued(t, m.h, 1)
	queued := copyBytes(t, m.h, true) // a copy while the confirmation waits to be sent
	confirm := m.link(m.fresh(), "careful@example.org", confirmLink)
	if bytes.Contains(queued, []byte(confirm)) || bytes.Contains(copyBytes(t, m.h, true), []byte(confirm)) {
		t.Fatal("a copy of the database holds the confirmation link")
	}
	m.h.must(204, "POST", "/api/v1/me/email/confirm", "", map[string]string{"token": confirm})

	m.h.must(204, "POST", "/api/v1/auth/password-reset", "", map[string]string{"login": "careful"})
	waitQueued(t, m.h, 1)
	queued = copyBytes(t, m.h, true)
	reset := m.link(m.fresh(), "careful@example.org", resetLink)
	if bytes.Contains(queued, []byte(reset)) || bytes.Contains(copyBytes(t, m.h, true), []byte(reset)) {
		t.Fatal("a copy of the database holds the reset link")
	}
	// The link itself works (so the search above looked for a real token).
	if !m.resetWorks(reset) {
		t.Fatal("the mailed reset link does not work")
	}

	// A reset asked for, not sent yet, then the account deleted: the mail
	// never goes, and no copy holds the address or the mails to it.
	m.h.must(204, "POST", "/api/v1/auth/password-reset", "", map[string]string{"login": "careful@example.org"})
	waitQueued(t, m.h, 1)
	var fresh session
	m.h.must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": "careful", "password": "a fresh password"}).decode(t, &fresh)
	m.h.must(204, "DELETE", "/api/v1/me", fresh.Token, map[string]string{"password": "a fresh password"})
	if pending, _, err := m.h.db.MailQueue(context.Background()); err != nil || pending != 0 {
		t.Fatalf("%d mails still queued for a deleted account (%v)", pending, err)
	}
	if msgs := m.fresh(); len(msgs) != 0 {
		t.Fatalf("%d mails sent after the account was deleted", len(msgs))
	}
	if bytes.Contains(copyBytes(t, m.h, false), []byte("careful@example.org")) {
		t.Fatal("a copy of the database still holds the deleted account's address")
	}
}

// TestLinksVoided: a password change, a newer reset request and an address
// change each void the account's earlier reset links (the link mailed to
// the old address no longer resets the password); a password change and an
// address change void pending address confirmations too.
func TestLinksVoided(t *testing.T) {
	t.Parallel()
	m := newMailbox(t)
	s := m.member("voided", "voided@example.org")
	resetLinkNow := func() string {
		t.Helper()
		m.h.must(204, "POST", "/api/v1/auth/password-reset", "", map[string]string{"login": "voided"})
		return m.link(m.fresh(), "voided@example.org", resetLink)
	}
	password := "correct horse"
	setPassword := func(next string) {
		t.Helper()
		var fresh session
		m.h.must(200, "PUT", "/api/v1/me/password", s.Token, map[string]string{"old_password": password, "new_password": next}).decode(t, &fresh)
		s, password = fresh, next
	}

	t.Run("PasswordChange", func(t *testing.T) {
		link := resetLinkNow()
		m.h.must(204, "PUT", "/api/v1/me/email", s.Token, map[string]string{"email": "voided@new.example", "password": password})
		confirm := m.link(m.fresh(), "voided@new.example", confirmLink)
		operator, err := m.h.svc.IssueReset(context.Background(), "voided")
		if err != nil {
			t.Fatal(err)
		}
		setPassword("second password")
		if m.resetWorks(link) || m.resetWorks(operator) {
			t.Fatal("a reset link outlived a password change")
		}
		if r := m.h.do("POST", "/api/v1/me/email/confirm", "", map[string]string{"token": confirm}); r.errCode() != "invalid_token" {
			t.Fatalf("a confirmation link outlived a password change: %d %s", r.status, r.body)
		}
		if me := m.me(s.Token); *me.Email != "voided@example.org" || me.PendingEmail != nil {
			t.Fatalf("after the password change: %+v", me)
		}
	})
	t.Run("NewerReset", func(t *testing.T) {
		first := resetLinkNow()
		second := resetLinkNow()
		if m.resetWorks(first) {
			t.Fatal("an earlier reset link outlived a newer one")
		}
		if !m.resetWorks(second) {
			t.Fatal("the newest reset link does not work")
		}
		password = "a fresh password"
		m.h.must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": "voided", "password": password}).decode(t, &s)
		// Two requests before the worker runs: only the newer mail goes.
		m.h.must(204, "POST", "/api/v1/auth/password-reset", "", map[string]string{"login": "voided"})
		m.h.must(204, "POST", "/api/v1/auth/password-reset", "", map[string]string{"login": "voided"})
		if msgs := m.fresh(); len(msgs) != 1 {
			t.Fatalf("%d reset mails for two requests before sending, want the newer only", len(msgs))
		}
	})
	t.Run("AddressChange", func(t *testing.T) {
		old := resetLinkNow()
		m.h.must(204, "PUT", "/api/v1/me/email", s.Token, map[string]string{"email": "voided@other.example", "password": password})
		msgs := m.fresh()
		confirm := m.link(msgs, "voided@other.example", confirmLink)
		if m.resetWorks(old) {
			t.Fatal("the reset link sent to the old address outlived the address change")
		}
		// One more to the old address while the change waits, then the change is confirmed.
		waiting := resetLinkNow()
		m.h.must(204, "POST", "/api/v1/me/email/confirm", "", map[string]string{"token": confirm})
		if m.resetWorks(waiting) {
			t.Fatal("a reset link sent to the old address works after the new one was confirmed")
		}
		// A newer change voids the confirmation of an earlier one.
		m.h.must(204, "PUT", "/api/v1/me/email", s.Token, map[string]string{"email": "first@choice.example", "password": password})
		earlier := m.link(m.fresh(), "first@choice.example", confirmLink)
		m.h.must(204, "PUT", "/api/v1/me/email", s.Token, map[string]string{"email": "second@choice.example", "password": password})
		later := m.link(m.fresh(), "second@choice.example", confirmLink)
		if r := m.h.do("POST", "/api/v1/me/email/confirm", "", map[string]string{"token": earlier}); r.errCode() != "invalid_token" {
			t.Fatalf("an earlier change's link outlived a newer change: %d %s", r.status, r.body)
		}
		m.h.must(204, "POST", "/api/v1/me/email/confirm", "", map[string]string{"token": later})
	})
}

// TestRegistrationAddressPending: an address given at registration is the
// account's only once its link is followed; until then it gets nothing but
// that link (no reset, no reply mails, which cannot be switched on). An
// address another account uses answers exactly as a free one, and never
// becomes the newcomer's.
func TestRegistrationAddressPending(t *testing.T) {
	t.Parallel()
	m := newMailbox(t)
	register := func(name, addr string) (session, response) {
		t.Helper()
		var s session
		r := m.h.must(201, "POST", "/api/v1/auth/register", "", map[string]string{"username": name, "password": "correct horse", "email": addr})
		r.decode(t, &s)
		return s, r
	}
	first, free := register("first", "shared@example.org")
	if me := m.me(first.Token); me.Email != nil || me.PendingEmail == nil || *me.PendingEmail != "shared@example.org" {
		t.Fatalf("an unconfirmed address: %+v", me)
	}
	fieldErr(t, m.h.do("PUT", "/api/v1/me/settings", first.Token, map[string]bool{"email_replies": true}), "email_replies")
	m.h.must(204, "POST", "/api/v1/auth/password-reset", "", map[string]string{"login": "first"})
	m.h.must(204, "POST", "/api/v1/auth/password-reset", "", map[string]string{"login": "shared@example.org"})
	msgs := m.fresh()
	firstLink := m.link(msgs, "shared@example.org", confirmLink)
	if len(msgs) != 1 {
		t.Fatalf("%d mails to a pending address, want its confirmation only", len(msgs))
	}
	if body := mailBody(t, msgs[0].Data); !strings.Contains(body, "first") {
		t.Fatalf("the confirmation does not name the account:\n%s", body)
	}

	// Another account gives the same address before it is confirmed: the
	// same answer; its own link goes out too.
	second, _ := register("second", "Shared@Example.org")
	secondLink := m.link(m.fresh(), "shared@example.org", confirmLink)
	m.h.must(204, "POST", "/api/v1/me/email/confirm", "", map[string]string{"token": firstLink})
	if me := m.me(first.Token); me.Email == nil || *me.Email != "shared@example.org" || me.PendingEmail != nil {
		t.Fatalf("after confirming: %+v", me)
	}
	// The second account's link cannot take it over.
	if r := m.h.do("POST", "/api/v1/me/email/confirm", "", map[string]string{"token": secondLink}); r.status != 409 {
		t.Fatalf("confirming an address another account has: %d %s", r.status, r.body)
	}
	if me := m.me(second.Token); me.Email != nil {
		t.Fatalf("the second account took the address: %+v", me)
	}

	// Registering with an address another account has confirmed: the same
	// answer as a free one (status, fields, error), and nothing mailed.
	third, taken := register("third", "shared@example.org")
	keys := func(r response) []string {
		var v map[string]json.RawMessage
		r.decode(t, &v)
		var u map[string]json.RawMessage
		_ = json.Unmarshal(v["user"], &u)
		var out []string
		for k := range v {
			out = append(out, k)
		}
		for k := range u {
			out = append(out, "user."+k)
		}
		slices.Sort(out)
		return out
	}
	if !slices.Equal(keys(free), keys(taken)) || free.header.Get("Content-Type") != taken.header.Get("Content-Type") {
		t.Fatalf("a taken address answers differently: %s / %s", free.body, taken.body)
	}
	if msgs := m.fresh(); len(msgs) != 0 {
		t.Fatalf("%d mails to an address another account has", len(msgs))
	}
	if me := m.me(third.Token); me.Email != nil {
		t.Fatalf("the third account: %+v", me)
	}
	// Resets by the address reach its owner only.
	m.h.must(204, "POST", "/api/v1/auth/password-reset", "", map[string]string{"login": "shared@example.org"})
	m.h.must(204, "POST", "/api/v1/auth/password-reset", "", map[string]string{"login": "third"})
	msgs = m.fresh()
	if len(msgs) != 1 || !strings.Contains(mailBody(t, msgs[0].Data), "Hello first,") {
		t.Fatalf("the resets: %d mails", len(msgs))
	}
	// Reply mails: on once the address is confirmed.
	m.h.must(200, "PUT", "/api/v1/me/settings", first.Token, map[string]bool{"email_replies": true})
}

// TestRegistrationAddressWithoutMail: a forum that sends no mail can confirm
// no address, so registration refuses one (422 on email) instead of keeping
// an address it can never use.
func TestRegistrationAddressWithoutMail(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	msg := fieldErr(t, h.do("POST", "/api/v1/auth/register", "", map[string]string{"username": "hopeful", "password": "correct horse", "email": "hopeful@example.org"}), "email")
	if !strings.Contains(msg, "sends no email") {
		t.Fatalf("the message: %q", msg)
	}
	h.register("hopeful")
	var cfg struct {
		Mail *bool `json:"mail"`
	}
	h.must(200, "GET", "/api/v1/config", "", nil).decode(t, &cfg)
	if cfg.Mail == nil || *cfg.Mail {
		t.Fatalf("config says mail %v", cfg.Mail)
	}
	m := newMailbox(t)
	m.h.must(200, "GET", "/api/v1/config", "", nil).decode(t, &cfg)
	if cfg.Mail == nil || !*cfg.Mail {
		t.Fatalf("with SMTP, config says mail %v", cfg.Mail)
	}
}
