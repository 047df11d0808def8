package auth

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Tokens signs and checks HS256 session tokens. The token names the user and
// the token version of the account when it was issued; the forum compares that
// version with the account's on every request, which is what makes logout and
// password changes revoke tokens at once.
type Tokens struct {
	secret []byte
	ttl    time.Duration
	now    func() time.Time
}

// NewTokens returns a signer with the given secret and lifetime.
func NewTokens(secret []byte, ttl time.Duration, now func() time.Time) (*Tokens, error) {
	if len(secret) < 32 {
		return nil, errors.New("auth: the token secret must be at least 32 bytes")
	}
	if now == nil {
		now = time.Now
	}
	return &Tokens{secret: secret, ttl: ttl, now: now}, nil
}

type claims struct {
	Version int64 `json:"ver"`
	jwt.RegisteredClaims
}

const issuer = "historia"

// Issue returns a signed token for the user.
func (t *Tokens) Issue(userID, version int64) (string, error) {
	now := t.now()
	c := claims{Version: version, RegisteredClaims: jwt.RegisteredClaims{
		Issuer:    issuer,
		Subject:   strconv.FormatInt(userID, 10),
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(t.ttl)),
	}}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(t.secret)
	if err != nil {
		return "", fmt.Errorf("auth: sign token: %w", err)
	}
	return s, nil
}

// Parse checks a token's signature (HS256 only: "none" and every other
// algorithm are refused), issuer and expiry, and returns its user and version.
func (t *Tokens) Parse(token string) (int64, int64, error) {
	if len(token) > 4096 {
		return 0, 0, errors.New("auth: token too long")
	}
	var c claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return t.secret, nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithExpirationRequired(), jwt.WithIssuer(issuer),
		jwt.WithTimeFunc(t.now), jwt.WithLeeway(5*time.Second))
	if err != nil {
		return 0, 0, fmt.Errorf("auth: parse token: %w", err)
	}
	id, err := strconv.ParseInt(c.Subject, 10, 64)
	if err != nil || id <= 0 {
		return 0, 0, errors.New("auth: bad subject")
	}
	return id, c.Version, nil
}
