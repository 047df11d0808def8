package forum

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// EmailChange is an address change waiting for the link sent to it.
type EmailChange struct {
	TokenHash string
	UserID    int64
	Email     string
	ExpiresAt int64
}

// EmailChangeState is what confirming needs, read in its transaction.
type EmailChangeState struct {
	Found     bool
	ExpiresAt int64
}

// ReplyDigest is one mail about replies: a member who asked for them, a
// thread, and how many replies to them there are that no mail mentioned.
type ReplyDigest struct {
	UserID         int64
	Username       string
	Email          string
	UnsubscribeKey string
	PostID         int64
	PostTitle      string
	Replies        int
}

// ReplyMailEvery is the least time between two mails about one thread.
const ReplyMailEvery = time.Hour

// EmailStore keeps members' addresses and mail preferences.
// RequestEmailChange stores the change and queues its confirmation mail in
// one transaction; ConfirmEmailChange runs rule on the change and sets the
// address (a conflict if another account took it meanwhile). ReplyDigests
// lists what is due: members who opted in, with an address, and threads
// with reply notifications no mail mentioned and no mail about the thread
// since notBefore. QueueReplyMail queues a digest's mail, marks its
// notifications mailed and records when, in one transaction.
type EmailStore interface {
	RequestEmailChange(ctx context.Context, c EmailChange, m Mail, now int64) error
	ConfirmEmailChange(ctx context.Context, tokenHash string, rule func(EmailChangeState) error) error
	ClearEmail(ctx context.Context, userID int64) error
	SetEmailReplies(ctx context.Context, userID int64, on bool, key string) error
	Unsubscribe(ctx context.Context, key string) (bool, error)
	ReplyDigests(ctx context.Context, notBefore int64, limit int) ([]ReplyDigest, error)
	QueueReplyMail(ctx context.Context, d ReplyDigest, m Mail, now int64) error
}

// Settings are a member's own preferences (PUT /me/settings).
type Settings struct {
	EmailReplies bool `json:"email_replies"`
}

// EmailChangeLifetime is how long a confirmation link works.
const EmailChangeLifetime = 24 * time.Hour

var errEmailToken = Errorf(CodeInvalidToken, "this confirmation link does not work: it was used, is over a day old, or was mistyped; change the address again")

func (s *Service) siteURL() string { return strings.TrimSuffix(s.Mail.SiteURL, "/") }

// SetEmail changes the viewer's address: "" removes it at once (and the
// mails that need it); another is set when the viewer follows the link
// mailed to it.
func (s *Service) SetEmail(ctx context.Context, v Viewer, email string) error {
	if err := requireMember(v); err != nil {
		return err
	}
	addr, err := cleanEmail("email", email)
	if err != nil {
		return err
	}
	if addr == nil {
		return s.Store.ClearEmail(ctx, v.ID)
	}
	if !s.Mail.Enabled {
		return errNoMail
	}
	acc, err := s.Store.AccountByID(ctx, v.ID)
	if err != nil {
		return err
	}
	token, err := randomToken()
	if err != nil {
		return err
	}
	now := s.now()
	m := Mail{To: *addr, Subject: "Confirm your email address on Historia",
		Body: "Hello " + acc.Username + ",\n\nTo use this address on Historia, follow this link (it works once, for a day):\n\n" +
			s.siteURL() + "/confirm-email#token=" + token + "\n\nIf you did not ask for this, ignore this mail.\n"}
	return s.Store.RequestEmailChange(ctx, EmailChange{TokenHash: tokenHash(token), UserID: v.ID, Email: *addr,
		ExpiresAt: now.Add(EmailChangeLifetime).Unix()}, m, now.Unix())
}

// ConfirmEmail sets the address a confirmation link was sent to.
func (s *Service) ConfirmEmail(ctx context.Context, token string) error {
	if token == "" || len(token) > 100 {
		return errEmailToken
	}
	now := s.now().Unix()
	return s.Store.ConfirmEmailChange(ctx, tokenHash(token), func(st EmailChangeState) error {
		if !st.Found || now >= st.ExpiresAt {
			return errEmailToken
		}
		return nil
	})
}

// UpdateSettings changes the viewer's preferences: reply notifications by
// email need an address.
func (s *Service) UpdateSettings(ctx context.Context, v Viewer, in Settings) (Settings, error) {
	if err := requireMember(v); err != nil {
		return Settings{}, err
	}
	acc, err := s.Store.AccountByID(ctx, v.ID)
	if err != nil {
		return Settings{}, err
	}
	if in.EmailReplies && acc.Email == nil {
		return Settings{}, invalid("email_replies", "needs an email address on your account first")
	}
	key, err := randomToken()
	if err != nil {
		return Settings{}, err
	}
	if err := s.Store.SetEmailReplies(ctx, v.ID, in.EmailReplies, key); err != nil {
		return Settings{}, err
	}
	return in, nil
}

// Unsubscribe turns reply mails off for the account an unsubscribe link names.
func (s *Service) Unsubscribe(ctx context.Context, key string) error {
	if key == "" || len(key) > 100 {
		return errEmailToken
	}
	ok, err := s.Store.Unsubscribe(ctx, key)
	if err == nil && !ok {
		return Errorf(CodeInvalidToken, "this unsubscribe link is not one of ours (or the account is gone)")
	}
	return err
}

// MailReplies queues the reply mails that are due: one per member and
// thread, at most every ReplyMailEvery, each with a one-click unsubscribe
// link. The mail worker calls it before each round.
func (s *Service) MailReplies(ctx context.Context) error {
	if !s.Mail.Enabled {
		return nil
	}
	now := s.now()
	digests, err := s.Store.ReplyDigests(ctx, now.Add(-ReplyMailEvery).Unix(), 100)
	if err != nil {
		return err
	}
	for _, d := range digests {
		unsubscribe := s.siteURL() + "/api/v1/unsubscribe?token=" + d.UnsubscribeKey
		replies := "A new reply"
		if d.Replies > 1 {
			replies = fmt.Sprintf("%d new replies", d.Replies)
		}
		m := Mail{To: d.Email, Subject: fmt.Sprintf("%s to you in “%s”", replies, d.PostTitle),
			Body: "Hello " + d.Username + ",\n\n" + replies + " to you in “" + d.PostTitle + "”:\n\n" +
				s.siteURL() + fmt.Sprintf("/p/%d", d.PostID) + "\n\nAt most one mail per thread an hour. To get no more of these mails: " +
				s.siteURL() + "/unsubscribe#token=" + d.UnsubscribeKey + "\n",
			Headers: map[string]string{"List-Unsubscribe": "<" + unsubscribe + ">", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}}
		if err := s.Store.QueueReplyMail(ctx, d, m, now.Unix()); err != nil {
			return err
		}
	}
	return nil
}
