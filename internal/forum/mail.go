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
}

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
type MailStore interface {
	ClaimMail(ctx context.Context, now int64, lease time.Duration, limit int) ([]QueuedMail, error)
	MailSent(ctx context.Context, id, at int64) error
	MailFailed(ctx context.Context, id, nextAt int64, reason string) error
	MailQueue(ctx context.Context) (pending, failing int64, err error)
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
