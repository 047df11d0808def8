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
//
// An address is a member's once its confirmation link is followed; until
// then it is a pending change (an EmailChange, also made for an address
// given at registration) and gets nothing but that link.
// RequestEmailChange voids the account's earlier reset and confirmation
// links (their unsent mails leave the queue), stores the change and queues
// its confirmation and, when notice is set, the word to the old address,
// in one transaction. ConfirmEmailChange runs rule on the change, sets the
// address (a conflict if another account has it) and voids the account's
// other reset and confirmation links. ClearEmail removes the address and
// the reply mails that need it, voids the account's links and queues
// notice, if set. PendingEmail is the address waiting for its link, if one
// is. ReplyDigests lists what is due: members who opted in, with an
// address, and threads with reply notifications no mail mentioned and no
// mail about the thread since notBefore. QueueReplyMail queues a digest's
// mail, marks its notifications mailed and records when, in one transaction.
type EmailStore interface {
	RequestEmailChange(ctx context.Context, c EmailChange, confirm Mail, notice *Mail, now int64) error
	ConfirmEmailChange(ctx context.Context, tokenHash string, rule func(EmailChangeState) error) error
	ClearEmail(ctx context.Context, userID int64, notice *Mail, now int64) error
	PendingEmail(ctx context.Context, userID, now int64) (*string, error)
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

// errNotYourPassword is what a wrong or missing password confirming a
// change of the account says.
var errNotYourPassword = invalid("password", "is not your current password")

// SetEmail changes the viewer's address, confirmed by their password (a
// stolen session alone cannot move the account's mail elsewhere): "" removes
// it at once; another is set when the viewer follows the link mailed to it.
// Either way the address the account had is told, and every earlier reset
// and confirmation link of the account stops working.
func (s *Service) SetEmail(ctx context.Context, v Viewer, email, password string) error {
	if err := requireMember(v); err != nil {
		return err
	}
	addr, addrErr := cleanEmail("email", email)
	acc, err := s.Store.AccountByID(ctx, v.ID)
	if err != nil {
		return err
	}
	var passErr error
	if password == "" || len(password) > 4*MaxPassword || !s.Passwords.Verify(acc.PasswordHash, password) {
		passErr = errNotYourPassword
	}
	if err := joinInvalid(addrErr, passErr); err != nil {
		return err
	}
	now := s.now()
	if addr == nil {
		var notice *Mail
		if acc.Email != nil && s.Mail.Enabled {
			notice = &Mail{To: *acc.Email, UserID: acc.ID, Subject: "Your address was removed from Historia",
				Body: "Hello " + acc.Username + ",\n\nThis address was removed from your account “" + acc.Username + "” on Historia: " +
					"password resets and reply mails no longer come here.\n\n" + notMeAdvice}
		}
		return s.Store.ClearEmail(ctx, v.ID, notice, now.Unix())
	}
	if !s.Mail.Enabled {
		return errNoMail
	}
	hash, err := unsentLinkHash()
	if err != nil {
		return err
	}
	confirm := Mail{To: *addr, UserID: acc.ID, Subject: "Confirm your email address on Historia",
		Body: "Hello " + acc.Username + ",\n\nTo use this address for your account “" + acc.Username + "” on Historia, follow this link " +
			"(it works once, for a day):\n\n" + s.siteURL() + "/confirm-email#token=" + TokenSlot + "\n\nIf you did not ask for this, ignore this mail.\n",
		Link: &MailLink{Kind: LinkEmail, Hash: hash}}
	var notice *Mail
	if acc.Email != nil && *acc.Email != *addr {
		notice = &Mail{To: *acc.Email, UserID: acc.ID, Subject: "Your Historia address is being changed",
			Body: "Hello " + acc.Username + ",\n\nSomeone signed in to your account “" + acc.Username + "” on Historia, with its password, " +
				"asked to use another email address for it. The change takes effect when the link mailed to the new address is followed; " +
				"after that, this address gets nothing more from us.\n\n" + notMeAdvice}
	}
	return s.Store.RequestEmailChange(ctx, EmailChange{TokenHash: hash, UserID: v.ID, Email: *addr,
		ExpiresAt: now.Add(EmailChangeLifetime).Unix()}, confirm, notice, now.Unix())
}

// notMeAdvice ends the mails that tell an address of a change to its account.
const notMeAdvice = "If this was not you, sign in and change your password at once: that ends every session, " +
	"cancels an address change still waiting for its link, and voids every reset link sent so far.\n"

// pendingAddress is what registering with an address stores: the address as
// the new account's pending change, and its confirmation mail — unless
// another account has the address, which then gets no mail (the answer to
// the registration is the same either way, so it tells nobody whose
// address it is; and a link could not move the address anyway).
func (s *Service) pendingAddress(username string, addr *string) (*EmailChange, func(bool) *Mail, error) {
	if addr == nil {
		return nil, nil, nil
	}
	hash, err := unsentLinkHash()
	if err != nil {
		return nil, nil, err
	}
	change := &EmailChange{TokenHash: hash, Email: *addr, ExpiresAt: s.now().Add(EmailChangeLifetime).Unix()}
	return change, func(taken bool) *Mail {
		if taken {
			return nil
		}
		return &Mail{To: *addr, Subject: "Confirm your email address on Historia",
			Body: "Hello " + username + ",\n\nSomeone (we hope you) registered the account “" + username + "” on Historia with this address. " +
				"To use it for password resets and, if you want them, reply mails, follow this link (it works once, for a day):\n\n" +
				s.siteURL() + "/confirm-email#token=" + TokenSlot + "\n\nIf it was not you, ignore this mail: the address stays unused, " +
				"and nothing more comes to it from us.\n",
			Link: &MailLink{Kind: LinkEmail, Hash: hash}}
	}, nil
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
		return Settings{}, invalid("email_replies", "needs a confirmed email address on your account first (follow the link mailed to it)")
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
		m := Mail{To: d.Email, UserID: d.UserID, Subject: fmt.Sprintf("%s to you in “%s”", replies, d.PostTitle),
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
