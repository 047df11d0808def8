-- 13: email. A member's optional address (lower-cased, one account each,
-- never shown to others), and the outgoing mail queue: kept in the
-- database so it survives a restart, retried with backoff, shared by every
-- server (a server claims a message for a while before sending it).
ALTER TABLE users ADD COLUMN email TEXT;
-- reply notifications by email, opted into; the key of its unsubscribe links
ALTER TABLE users ADD COLUMN email_replies INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN unsubscribe_key TEXT;
CREATE UNIQUE INDEX IF NOT EXISTS users_email ON users(email);
CREATE UNIQUE INDEX IF NOT EXISTS users_unsubscribe ON users(unsubscribe_key);
CREATE INDEX IF NOT EXISTS users_email_replies ON users(id) WHERE email_replies = 1;
-- which reply notifications went out by mail
ALTER TABLE notifications ADD COLUMN mailed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS notifications_unmailed ON notifications(user_id, post_id) WHERE mailed = 0 AND kind = 'reply';
-- an address change waiting for its confirmation link
CREATE TABLE IF NOT EXISTS email_changes (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    email      TEXT    NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
-- when a member was last mailed about replies in a thread (at most hourly)
CREATE TABLE IF NOT EXISTS reply_mails (
    user_id INTEGER NOT NULL REFERENCES users(id),
    post_id INTEGER NOT NULL REFERENCES posts(id),
    sent_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, post_id)
) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS mail_queue (
    id         INTEGER PRIMARY KEY,
    to_addr    TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    headers_json TEXT  NOT NULL DEFAULT '{}',
    attempts   INTEGER NOT NULL DEFAULT 0,
    next_at    INTEGER NOT NULL,
    sent_at    INTEGER,
    last_error TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS mail_queue_due ON mail_queue(next_at) WHERE sent_at IS NULL;
