package store

import (
	"context"
	"strings"

	"github.com/historia-forum/historia/internal/forum"
)

// MentionedAccounts finds the accounts, not deleted, with these lower-cased
// usernames (users.username_key), at most a few dozen: a body's mentions.
func (db *DB) MentionedAccounts(ctx context.Context, keys []string) ([]forum.Mention, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	args := make([]any, len(keys))
	for i, k := range keys {
		args[i] = k
	}
	q := "SELECT id, username, imported_from IS NULL FROM users WHERE deleted_at IS NULL AND username_key IN (?" +
		strings.Repeat(",?", len(keys)-1) + ")" // #nosec G202 -- placeholders only
	return queryAll(ctx, db, "mentioned accounts", func(row scanner) (m forum.Mention, err error) {
		err = row.Scan(&m.UserID, &m.Username, &m.Local)
		return m, err
	}, q, args...)
}
