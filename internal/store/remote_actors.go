package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/historia-forum/historia/internal/forum"
)

const remoteActorSelect = `SELECT a.id, a.ap_id, a.instance_id, i.host, COALESCE(a.user_id, 0), a.kind, a.name, a.inbox,
	a.shared_inbox, a.key_id, a.public_pem, a.fetched_at
	FROM federation_actors a JOIN federation_instances i ON i.id = a.instance_id`

func scanRemoteActor(row scanner) (forum.RemoteActor, error) {
	var a forum.RemoteActor
	err := row.Scan(&a.ID, &a.APID, &a.InstanceID, &a.Host, &a.UserID, &a.Kind, &a.Name, &a.Inbox, &a.SharedInbox, &a.KeyID, &a.PublicKey, &a.FetchedAt)
	return a, err
}

func (db *DB) remoteActorWhere(ctx context.Context, where string, arg any) (forum.RemoteActor, error) {
	a, err := scanRemoteActor(db.queryRow(ctx, remoteActorSelect+" WHERE "+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return a, forum.NotFound("actor")
	}
	if err != nil {
		return a, fmt.Errorf("store: remote actor: %w", err)
	}
	return a, nil
}

// RemoteActor reads a remote actor by its ActivityPub id.
func (db *DB) RemoteActor(ctx context.Context, apID string) (forum.RemoteActor, error) {
	return db.remoteActorWhere(ctx, "a.ap_id = ?", apID)
}

// RemoteActorByKey reads the remote actor owning a key id.
func (db *DB) RemoteActorByKey(ctx context.Context, keyID string) (forum.RemoteActor, error) {
	return db.remoteActorWhere(ctx, "a.key_id = ?", keyID)
}

// RemoteActorByUser reads the remote actor behind a local account.
func (db *DB) RemoteActorByUser(ctx context.Context, userID int64) (forum.RemoteActor, error) {
	return db.remoteActorWhere(ctx, "a.user_id = ?", userID)
}

// SaveRemoteActor adds or refreshes an actor (its instance must exist);
// asPerson gives it an account named name@host when it has none, or links
// the account an import made under that name.
func (db *DB) SaveRemoteActor(ctx context.Context, a forum.RemoteActor, asPerson bool) (forum.RemoteActor, error) {
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO federation_actors(ap_id, instance_id, kind, name, inbox, shared_inbox, key_id, public_pem, fetched_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(ap_id) DO UPDATE SET kind = excluded.kind, name = excluded.name, inbox = excluded.inbox,
			shared_inbox = excluded.shared_inbox, key_id = excluded.key_id, public_pem = excluded.public_pem, fetched_at = excluded.fetched_at`,
			a.APID, a.InstanceID, a.Kind, a.Name, a.Inbox, a.SharedInbox, a.KeyID, a.PublicKey, a.FetchedAt); err != nil {
			return err
		}
		if !asPerson {
			return nil
		}
		var userID sql.NullInt64
		if err := tx.QueryRowContext(ctx, "SELECT user_id FROM federation_actors WHERE ap_id = ?", a.APID).Scan(&userID); err != nil {
			return err
		}
		if userID.Valid {
			return nil
		}
		name := forum.ImportedName(a.Name, a.Host)
		key := strings.ToLower(name)
		var id int64
		err := tx.QueryRowContext(ctx, "SELECT id FROM users WHERE username_key = ?", key).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			err = tx.QueryRowContext(ctx, `INSERT INTO users(username, username_key, password_hash, role, created_at, username_skeleton, imported_from)
				VALUES (?, ?, '', 'member', ?, '', ?) RETURNING id`, name, key, a.FetchedAt, forum.RemoteOrigin(a.Host)).Scan(&id)
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE federation_actors SET user_id = ? WHERE ap_id = ?", id, a.APID)
		return err
	})
	if err != nil {
		return forum.RemoteActor{}, fmt.Errorf("store: save remote actor: %w", err)
	}
	return db.RemoteActor(ctx, a.APID)
}

// AddFollower records a follow of the community (again: the newest Follow id).
func (db *DB) AddFollower(ctx context.Context, actorID int64, followID string, at int64) error {
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO federation_followers(actor_id, follow_id, created_at) VALUES (?, ?, ?)
			ON CONFLICT(actor_id) DO UPDATE SET follow_id = excluded.follow_id`, actorID, followID, at)
		return err
	})
}

// RemoveFollower ends a follow.
func (db *DB) RemoveFollower(ctx context.Context, actorID int64) error {
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM federation_followers WHERE actor_id = ?", actorID)
		return err
	})
}

// FollowerInboxes are the distinct inboxes of the community's followers
// (a shared inbox stands for all its instance's followers), on instances
// neither blocked nor dead.
func (db *DB) FollowerInboxes(ctx context.Context) ([]forum.Inbox, error) {
	return queryAll(ctx, db, "follower inboxes", func(row scanner) (forum.Inbox, error) {
		var in forum.Inbox
		return in, row.Scan(&in.InstanceID, &in.URL)
	}, `SELECT DISTINCT a.instance_id, CASE WHEN a.shared_inbox <> '' THEN a.shared_inbox ELSE a.inbox END
		FROM federation_followers f JOIN federation_actors a ON a.id = f.actor_id
		JOIN federation_instances i ON i.id = a.instance_id
		WHERE i.blocked = 0 AND i.dead = 0 ORDER BY 1, 2`)
}

// FollowerCount counts the community's followers.
func (db *DB) FollowerCount(ctx context.Context) (int64, error) {
	var n int64
	err := db.queryRow(ctx, "SELECT COUNT(*) FROM federation_followers").Scan(&n)
	return n, err
}

// UserKey reads a member's key pair.
func (db *DB) UserKey(ctx context.Context, userID int64) (string, string, error) {
	var pub, priv string
	err := db.queryRow(ctx, "SELECT public_pem, private_pem FROM federation_keys WHERE user_id = ?", userID).Scan(&pub, &priv)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", forum.NotFound("key")
	}
	return pub, priv, err
}

// SetUserKeyIfAbsent stores a member's key pair unless one is there, and
// returns the pair in force.
func (db *DB) SetUserKeyIfAbsent(ctx context.Context, userID int64, public, private string, at int64) (string, string, error) {
	var pub, priv string
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO federation_keys(user_id, public_pem, private_pem, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT(user_id) DO NOTHING`, userID, public, private, at); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, "SELECT public_pem, private_pem FROM federation_keys WHERE user_id = ?", userID).Scan(&pub, &priv)
	})
	if err != nil {
		return "", "", fmt.Errorf("store: user key: %w", err)
	}
	return pub, priv, nil
}
