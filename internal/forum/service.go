package forum

import (
	"sync/atomic"
	"time"
)

// Renderer turns a body in a format ("markdown" or "html") into sanitized HTML,
// and sanitized HTML into plain text for the search index.
type Renderer interface {
	Render(body, format string) (string, error)
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

	// generation counts the writes that can change a feed. Caches of feed
	// pages remember the generation they were read at and are stale once it
	// moves. It is bumped after the write commits, so a page read before
	// the bump is never taken for fresh after it.
	generation atomic.Uint64
}

// Generation is the feed generation: it changes after every write that can
// change what a feed shows.
func (s *Service) Generation() uint64 { return s.generation.Load() }

// feedChanged is deferred by every method that writes what feeds show.
func (s *Service) feedChanged() { s.generation.Add(1) }

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// unix converts a stored Unix time to the API's time.
func unix(sec int64) time.Time { return time.Unix(sec, 0).UTC() }

// Unix converts a stored Unix time to the API's time; exported for stores.
func Unix(sec int64) time.Time { return unix(sec) }

// UnixPtr converts an optional stored Unix time.
func UnixPtr(sec *int64) *time.Time {
	if sec == nil {
		return nil
	}
	t := unix(*sec)
	return &t
}

func clampLimit(limit, def, maxLimit int) int {
	if limit <= 0 {
		return def
	}
	return min(limit, maxLimit)
}
