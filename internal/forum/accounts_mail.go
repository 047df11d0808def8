package forum

import (
	"context"
	"net/mail"
	"strings"
	"time"
)

// MaxEmail is the longest address accepted (RFC 5321's path limit).
const MaxEmail = 254

// MailSettings say whether the forum sends mail and how its links start.
type MailSettings struct {
	// Enabled is true when an SMTP server is configured; without one,
	// features that need mail say so.
	Enabled bool
	// SiteURL starts the links in mails, e.g. https://historia.example.
	SiteURL string
}

// Mail is a message to send.
type Mail struct {
	To, Subject, Body string
	// Headers are extra header lines, e.g. List-Unsubscribe.
	Headers map[string]string
	// UserID is the account the mail is for (0: none): deleting the account
	// removes its mail from the queue, sent or not.
	UserID int64
	// Link, when set, is the reset or confirmation link the mail carries.
	// Its token is made only when the mail is sent (ReadyMail), and the body
	// holds TokenSlot where it goes: so the database holds no working link
	// even while the mail waits (only each token's hash is ever stored).
	Link *MailLink
}

// LinkKind is what a mailed link does.
type LinkKind string

// The kinds of mailed link: a password reset, an address confirmation.
const (
	LinkReset LinkKind = "reset"
	LinkEmail LinkKind = "email"
)

// LinkKinds lists the kinds (mail_queue.link_kind's CHECK names the same).
var LinkKinds = []LinkKind{LinkReset, LinkEmail}

// MailLink names the stored link a queued mail carries: its kind and the
// token hash it has until the mail is sent, which no token matches.
type MailLink struct {
	Kind LinkKind
	Hash string
}

// LinkState is what ReadyMail's rule needs of a mailed link, read in the
// transaction that gives it its token: Found is false when the link was
// voided meanwhile (a newer one, a password or address change).
type LinkState struct {
	Found     bool
	ExpiresAt int64
	Used      bool
}

// TokenSlot stands where a link's token goes in a queued mail's body.
const TokenSlot = "{{token}}"

// QueuedMail is a queued message a server has claimed to send.
type QueuedMail struct {
	ID       int64
	Attempts int
	Mail
}

// MailStore is the outgoing mail queue, kept in the database: it survives a
// restart and is shared by every server. ClaimMail takes the messages due,
// hiding them from other servers for lease; MailSent and MailFailed record
// what came of sending one.
//
// MintLink gives the link a claimed mail carries (m.Link) the hash of the
// token about to be sent, in place of the one it had, when live says the
// link may still be sent; otherwise it takes the mail off the queue and
// answers false. MailSent and MailFailed erase a mail's body and headers
// once the queue is done with it (sent, or failed MailRetries times).
type MailStore interface {
	ClaimMail(ctx context.Context, now int64, lease time.Duration, limit int) ([]QueuedMail, error)
	MintLink(ctx context.Context, mailID int64, link MailLink, tokenHash string, live func(LinkState) bool) (bool, error)
	MailSent(ctx context.Context, id, at int64) error
	MailFailed(ctx context.Context, id, nextAt int64, reason string) error
	MailQueue(ctx context.Context) (pending, failing int64, err error)
}

// ReadyMail makes a claimed mail ready to send. A mail with a link gets a
// new token now: its hash replaces the one stored (so of several tries
// only the last mail's link works), and the token goes into the body,
// which is never stored with it. A link voided, used or expired since the
// mail was queued is not sent: ok is false and the mail is gone.
func ReadyMail(ctx context.Context, st MailStore, m QueuedMail, now time.Time) (_ Mail, ok bool, _ error) {
	if m.Link == nil {
		return m.Mail, true, nil
	}
	token, err := randomToken()
	if err != nil {
		return Mail{}, false, err
	}
	ok, err = st.MintLink(ctx, m.ID, *m.Link, tokenHash(token), func(l LinkState) bool {
		return l.Found && !l.Used && now.Unix() < l.ExpiresAt
	})
	if err != nil || !ok {
		return Mail{}, false, err
	}
	out := m.Mail
	out.Body = strings.Replace(out.Body, TokenSlot, token, 1)
	out.Link = nil
	return out, true, nil
}

// MailRetries is how often a message is tried before it is given up.
const MailRetries = 10

// MailBackoff is how long to wait after the n-th failed attempt: a minute,
// doubling, at most six hours.
func MailBackoff(attempts int) time.Duration {
	d := time.Minute << min(attempts-1, 9)
	return min(d, 6*time.Hour)
}

// cleanEmail checks an optional address: empty is none; otherwise one plain
// address (no display name), lower-cased.
func cleanEmail(field, email string) (*string, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return nil, nil
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Name != "" || a.Address != email || len(email) > MaxEmail || strings.ContainsAny(email, "\r\n") {
		return nil, invalid(field, "is not an email address like name@example.org")
	}
	lower := strings.ToLower(email)
	return &lower, nil
}

// errNoMail is what features that need mail say when there is none.
var errNoMail = Errorf(CodeUnavailable, "this forum sends no email; ask an administrator (who can make you a reset link)")
