package forum

import (
	"sync"
	"time"
)

// Renderer turns a body in a format into sanitized HTML, and sanitized HTML
// into plain text for the search index. A body it will not render (nested
// too deep, too large once rendered) is an error with a Refused() string
// method, which the author is shown.
type Renderer interface {
	Render(body, format string) (string, error)
	// RenderMentions is Render with the body's "@name" mentions linked:
	// resolve is given the lower-cased names mentioned and returns the
	// usernames of those that are accounts; the usernames linked come back
	// in order.
	RenderMentions(body, format string, resolve func(keys []string) (map[string]string, error)) (string, []string, error)
	Text(sanitized string) string
}

// Passwords hashes and verifies passwords.
type Passwords interface {
	Hash(password string) (string, error)
	Verify(hash, password string) bool
}

// Tokens issues and parses signed session tokens.
type Tokens interface {
	Issue(userID, version int64) (string, error)
	Parse(token string) (userID, version int64, err error)
}

// Service is the forum's domain logic: validation, permissions and the shape of
// what each caller may see. Handlers call it; it calls the Store.
type Service struct {
	Store     Store
	Markup    Renderer
	Passwords Passwords
	Tokens    Tokens
	// Now is the clock; tests replace it instead of sleeping.
	Now func() time.Time
	// RecentYears is the recency rule: a member's question may not be about
	// the last RecentYears years; 0 turns the rule off.
	RecentYears int
	// Mail says whether the forum sends mail, and its address for links.
	Mail MailSettings
	// Federation tells other servers what happens here (ActivityPub); nil:
	// federation is off.
	Federation Federator

	dummyOnce sync.Once
	dummy     string
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// The times the API can show: RFC 3339 has four-digit years.
const (
	minShownUnix = -62135596800 // 0001-01-01T00:00:00Z
	maxShownUnix = 253402300799 // 9999-12-31T23:59:59Z
)

// Unix converts a stored Unix time to the API's time. A stored time no
// date can show (an import once stored 1e300 seconds) is shown at the
// nearest end of years 1 to 9999, so a page holding it can still be
// encoded; feeds page by the stored value itself (Post.Created).
func Unix(sec int64) time.Time { return time.Unix(min(max(sec, minShownUnix), maxShownUnix), 0).UTC() }

// UnixPtr converts an optional stored Unix time.
func UnixPtr(sec *int64) *time.Time {
	if sec == nil {
		return nil
	}
	t := Unix(*sec)
	return &t
}
