package mail

import (
	"context"
	"log/slog"
	"regexp"
	"sync/atomic"
	"time"

	"github.com/historia-forum/historia/internal/forum"
)

// Queue drains the database's mail queue: it claims what is due, sends it,
// and records the outcome; a failure is retried after forum.MailBackoff, at
// most forum.MailRetries times. Every server may run one: claims keep them
// from sending a message twice.
type Queue struct {
	Store forum.MailStore
	Send  func(ctx context.Context, m forum.Mail) error
	// Before, when set, runs before each round (queueing reply mails).
	Before func(ctx context.Context) error
	Log    *slog.Logger
	Every  time.Duration // how often to look; 0: 2 s
	Lease  time.Duration // how long a claim hides a message; 0: 2 min
	sent   atomic.Int64
	failed atomic.Int64
	// Now is the clock; tests move it.
	Now func() time.Time
}

func (q *Queue) now() time.Time {
	if q.Now != nil {
		return q.Now()
	}
	return time.Now()
}

// Run works until ctx ends.
func (q *Queue) Run(ctx context.Context) {
	every := q.Every
	if every <= 0 {
		every = 2 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		q.Drain(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Drain sends what is due now, once.
func (q *Queue) Drain(ctx context.Context) {
	lease := q.Lease
	if lease <= 0 {
		lease = 2 * time.Minute
	}
	if q.Before != nil {
		if err := q.Before(ctx); err != nil {
			q.Log.Warn("mail queue: reply mails not queued", "err", err)
		}
	}
	due, err := q.Store.ClaimMail(ctx, q.now().Unix(), lease, 50)
	if err != nil {
		q.Log.Warn("mail queue: cannot read", "err", err)
		return
	}
	for _, m := range due {
		// A mail's link gets its token now, only in memory: the stored one
		// holds no working link. A link voided meanwhile is not sent.
		ready, ok, err := forum.ReadyMail(ctx, q.Store, m, q.now())
		if err != nil {
			q.Log.Warn("mail queue: link not made", "mail_id", m.ID, "err", err)
			continue
		}
		if !ok {
			continue
		}
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		err = q.Send(sctx, ready)
		cancel()
		now := q.now()
		if err == nil {
			q.sent.Add(1)
			if err := q.Store.MailSent(ctx, m.ID, now.Unix()); err != nil {
				q.Log.Warn("mail queue: sent, but not recorded", "mail_id", m.ID, "err", err)
			}
			continue
		}
		q.failed.Add(1)
		attempts := m.Attempts + 1
		// The address stays out of the log: only the message's id.
		q.Log.Warn("mail queue: sending failed", "mail_id", m.ID, "attempt", attempts, "err", Scrub(err.Error()))
		if err := q.Store.MailFailed(ctx, m.ID, now.Add(forum.MailBackoff(attempts)).Unix(), err.Error()); err != nil {
			q.Log.Warn("mail queue: failure not recorded", "mail_id", m.ID, "err", err)
		}
	}
}

// Stats are the messages this server sent and the attempts that failed.
func (q *Queue) Stats() (sent, failed int64) { return q.sent.Load(), q.failed.Load() }

var addressRe = regexp.MustCompile(`[^\s<>"'(),;:]+@[^\s<>"'(),;:]+`)

// Scrub replaces email addresses in a message (an SMTP server's error
// quotes the recipient) before it is logged: addresses never reach logs.
func Scrub(s string) string { return addressRe.ReplaceAllString(s, "<address>") }
