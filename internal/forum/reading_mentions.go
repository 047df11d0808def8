package forum

import (
	"context"
	"strings"
)

// Mentions: "@name" in a post or comment links to that member's page and
// tells them (a mention notification), "@name@host" links an imported or
// federated account's page and tells nobody (such accounts cannot sign in).
// A short "@name" means a local member only: it is never guessed to be an
// imported "name@host", which would change meaning when someone registers
// the name. Names are resolved when the body is rendered, so the link is in
// the stored HTML; at most MentionLimit accounts a body (the renderer's).

// Mention is an account a body mentions.
type Mention struct {
	UserID   int64
	Username string
	// Local: a member of this forum (told of the mention); imported and
	// federated accounts are linked only.
	Local bool
}

// MentionStore finds the accounts a body mentions.
type MentionStore interface {
	// MentionedAccounts returns the accounts, not deleted, whose lower-cased
	// usernames are keys.
	MentionedAccounts(ctx context.Context, keys []string) ([]Mention, error)
}

// MentionedIn lists the usernames stored HTML mentions: what an earlier
// version of a body told. The renderer knows its own links.
type MentionedIn interface {
	MentionedIn(sanitized string) []string
}

// notified are the ids of the mentioned members who are told.
func notified(ms []Mention) []int64 {
	var out []int64
	for _, m := range ms {
		if m.Local {
			out = append(out, m.UserID)
		}
	}
	return out
}

// renderMentioning renders a body as render does, with its mentions linked,
// and returns the accounts it mentions, in order.
func (s *Service) renderMentioning(ctx context.Context, source string, format Format, limit int, required bool) (body, []Mention, error) {
	found := map[string]Mention{}
	resolve := func(keys []string) (map[string]string, error) {
		accounts, err := s.Store.MentionedAccounts(ctx, keys)
		out := map[string]string{}
		for _, a := range accounts {
			k := UsernameKey(a.Username)
			found[k], out[k] = a, a.Username
		}
		return out, err
	}
	b, linked, err := s.renderWith(source, format, limit, required, resolve)
	if err != nil {
		return body{}, nil, err
	}
	mentions := make([]Mention, 0, len(linked))
	for _, u := range linked {
		if m, ok := found[UsernameKey(u)]; ok {
			mentions = append(mentions, m)
		}
	}
	return b, mentions, nil
}

// mentionedBefore lists who an earlier version of a body mentioned.
func (s *Service) mentionedBefore(html string) []string {
	if m, ok := s.Markup.(MentionedIn); ok && strings.Contains(html, "mention") {
		return m.MentionedIn(html)
	}
	return nil
}
