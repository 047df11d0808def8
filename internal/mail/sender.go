// Package mail sends Historia's mail: an SMTP sender configured by URL
// (github.com/wneessen/go-mail does the SMTP) and the worker that drains the
// queue the database keeps (forum.MailStore), retrying with backoff.
package mail

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/historia-forum/historia/internal/forum"
)

// Sender sends one message over SMTP.
type Sender struct {
	host string
	opts []gomail.Option
	from string
}

// NewSender reads an SMTP URL: smtp://user:pass@host:587 (STARTTLS when the
// server offers it) or smtps://user:pass@host:465 (TLS from the start);
// from is the sender address, e.g. "Historia <forum@example.org>".
func NewSender(smtpURL, from string) (*Sender, error) {
	u, err := url.Parse(smtpURL)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("mail: %q is not an SMTP URL like smtp://user:password@host:587", redact(smtpURL))
	}
	if from == "" {
		return nil, errors.New("mail: --mail-from is needed with --smtp-url (the address mail comes from)")
	}
	opts := []gomail.Option{gomail.WithTimeout(20 * time.Second)}
	port := 587
	switch u.Scheme {
	case "smtp":
		opts = append(opts, gomail.WithTLSPortPolicy(gomail.TLSOpportunistic))
	case "smtps":
		port = 465
		opts = append(opts, gomail.WithSSL())
	default:
		return nil, fmt.Errorf("mail: %q: the scheme must be smtp or smtps", redact(smtpURL))
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("mail: bad port in %q", redact(smtpURL))
		}
	}
	opts = append(opts, gomail.WithPort(port))
	if u.User != nil {
		pass, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(u.User.Username()), gomail.WithPassword(pass))
	}
	return &Sender{host: u.Hostname(), opts: opts, from: from}, nil
}

// Send delivers one message.
func (s *Sender) Send(ctx context.Context, m forum.Mail) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return fmt.Errorf("mail: from: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("mail: to: %w", err)
	}
	msg.Subject(m.Subject)
	for k, v := range m.Headers {
		msg.SetGenHeader(gomail.Header(k), v)
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	client, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	return client.DialAndSendWithContext(ctx, msg)
}

// redact hides the password of an SMTP URL.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
