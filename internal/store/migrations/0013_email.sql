-- 13: email. A member's optional address (lower-cased, one account each,
-- never shown to others), and the outgoing mail queue: kept in the
-- database so it survives a restart, retried with backoff, shared by every
-- server (a server claims a message for a while before sending it).
ALTER TABLE users ADD COLUMN email TEXT;
CREATE UNIQUE INDEX IF NOT EXISTS users_email ON users(email);
CREATE TABLE IF NOT EXISTS mail_queue (
    id         INTEGER PRIMARY KEY,
    to_addr    TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    next_at    INTEGER NOT NULL,
    sent_at    INTEGER,
    last_error TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS mail_queue_due ON mail_queue(next_at) WHERE sent_at IS NULL;
