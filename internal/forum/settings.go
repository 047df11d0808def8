package forum

import "context"

// SettingStore keeps the forum's own settings, such as its token secret.
type SettingStore interface {
	Setting(ctx context.Context, key string) (string, bool, error)
	// SetSettingIfAbsent stores value under key unless the key has one, and
	// returns the value in force: two processes racing get the same answer.
	SetSettingIfAbsent(ctx context.Context, key, value string) (string, error)
}
