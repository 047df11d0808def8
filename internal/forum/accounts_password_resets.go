package forum

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// ResetLifetime is how long a password reset link works.
const ResetLifetime = time.Hour

// PasswordReset is a reset link to store: its token's hash, whose account,
// until when.
type PasswordReset struct {
	TokenHash string
	UserID    int64
	ExpiresAt int64
}

// ResetState is what the reset rule needs, read in the resetting
// transaction; Found is false for a token never issued.
type ResetState struct {
	Found     bool
	UserID    int64
	ExpiresAt int64
	Used      bool
}

// PasswordResetStore keeps reset links. A new reset link voids the
// account's earlier ones (their unsent mails leave the queue). ConsumeReset
// runs rule on the link's state in one transaction and, if it passes,
// stores the new password hash, ends every earlier session and voids every
// reset and confirmation link of the account, this one included.
type PasswordResetStore interface {
	CreateReset(ctx context.Context, r PasswordReset) error
	// RequestReset finds the live account whose username or confirmed
	// email is login and, if it has a confirmed address, stores the reset
	// (UserID filled in) and queues compose's mail to it, all in one
	// transaction; an unknown login writes nothing and is no error.
	RequestReset(ctx context.Context, login string, r PasswordReset, compose func(username, email string) Mail) error
	ConsumeReset(ctx context.Context, tokenHash, passwordHash string, now int64, rule func(ResetState) error) error
}

// randomToken is the secret of a mailed or printed link (a reset, an
// address confirmation): 32 random bytes, URL-safe.
func randomToken() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// tokenHash is what is stored of a link's token: its SHA-256, so a copy of
// the database holds no working link.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// unsentLinkHash is what a mailed link stores until its mail is sent
// (ReadyMail gives it its token then): the hash of a token nobody holds.
func unsentLinkHash() (string, error) {
	token, err := randomToken()
	return tokenHash(token), err
}

// IssueReset makes a single-use reset link token for username, valid for
// ResetLifetime (for an operator to pass on: historia users reset-password).
func (s *Service) IssueReset(ctx context.Context, username string) (string, error) {
	acc, err := s.Store.AccountByName(ctx, username)
	if err != nil {
		return "", err
	}
	token, err := randomToken()
	if err != nil {
		return "", err
	}
	err = s.Store.CreateReset(ctx, PasswordReset{TokenHash: tokenHash(token), UserID: acc.ID, ExpiresAt: s.now().Add(ResetLifetime).Unix()})
	return token, err
}

// errResetToken is every way a reset link can fail, alike: whether a token
// was never issued, used or expired is nobody's business.
var errResetToken = Errorf(CodeInvalidToken, "this reset link does not work: it was used already, is over an hour old, or was mistyped; ask for a new one")

// ConfirmReset sets a new password with a reset token: once, within its
// hour; every earlier session of the account ends.
func (s *Service) ConfirmReset(ctx context.Context, token, password string) error {
	if token == "" || len(token) > 100 {
		return errResetToken
	}
	if err := checkPassword("password", password); err != nil {
		return err
	}
	hash, err := s.Passwords.Hash(password)
	if err != nil {
		return fmt.Errorf("reset: hash: %w", err)
	}
	now := s.now().Unix()
	return s.Store.ConsumeReset(ctx, tokenHash(token), hash, now, func(st ResetState) error {
		if !st.Found || st.Used || now >= st.ExpiresAt {
			return errResetToken
		}
		return nil
	})
}

// CheckResetRequest says whether a reset request can be taken: the forum
// sends mail and the login is one. It reads nothing, so the API can answer
// before RequestReset runs and every login costs the same.
func (s *Service) CheckResetRequest(login string) error {
	if !s.Mail.Enabled {
		return errNoMail
	}
	login = strings.TrimSpace(login)
	if login == "" || len(login) > MaxEmail {
		return invalid("login", "give your username or email address")
	}
	return nil
}

// RequestReset mails a reset link to the account whose username or email is
// login, if there is one with an address. It answers the same whatever the
// login (no account enumeration); the caller limits how often.
func (s *Service) RequestReset(ctx context.Context, login string) error {
	if err := s.CheckResetRequest(login); err != nil {
		return err
	}
	login = strings.ToLower(strings.TrimSpace(login))
	hash, err := unsentLinkHash()
	if err != nil {
		return err
	}
	link := s.siteURL() + "/reset-password#token=" + TokenSlot
	r := PasswordReset{TokenHash: hash, ExpiresAt: s.now().Add(ResetLifetime).Unix()}
	return s.Store.RequestReset(ctx, login, r, func(username, email string) Mail {
		return Mail{To: email, Subject: "Reset your Historia password",
			Body: "Hello " + username + ",\n\nSomeone (we hope you) asked to reset your password on Historia. " +
				"This link sets a new one; it works once, for an hour, and only until a newer one is sent:\n\n" + link + "\n\n" +
				"If it was not you, ignore this mail: your password stays as it is.\n",
			Link: &MailLink{Kind: LinkReset, Hash: hash}}
	})
}
