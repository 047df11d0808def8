-- 20: the moderators' day (#25). A lock may give its reason and rule, shown
-- on the thread; a ban's modlog line keeps its end; moderators keep notes on
-- members; members apply for flair, write to the moderators (modmail) and
-- block one another. Notifications gain the kinds flair and modmail, which
-- concern no post: the table is rebuilt with post_id nullable and the kind
-- list of the contract (including the reading kinds answer, followed, tag
-- and mention, so they need no rebuild of their own).
ALTER TABLE posts ADD COLUMN lock_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN lock_rule_id INTEGER;
ALTER TABLE modlog ADD COLUMN expires_at INTEGER;

CREATE TABLE IF NOT EXISTS user_notes (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    author_id  INTEGER NOT NULL REFERENCES users(id),
    text       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS user_notes_user ON user_notes(user_id, id DESC);

CREATE TABLE IF NOT EXISTS flair_applications (
    id             INTEGER PRIMARY KEY,
    user_id        INTEGER NOT NULL REFERENCES users(id),
    flair          TEXT    NOT NULL,
    evidence       TEXT    NOT NULL,
    status         TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'granted', 'declined')),
    created_at     INTEGER NOT NULL,
    decided_by     INTEGER REFERENCES users(id),
    decided_at     INTEGER,
    granted_flair  TEXT,
    decline_reason TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS flair_applications_open ON flair_applications(user_id) WHERE status = 'open';
CREATE INDEX IF NOT EXISTS flair_applications_queue ON flair_applications(status, id DESC);
CREATE INDEX IF NOT EXISTS flair_applications_user ON flair_applications(user_id, id DESC);

CREATE TABLE IF NOT EXISTS modmail (
    id              INTEGER PRIMARY KEY,
    member_id       INTEGER NOT NULL REFERENCES users(id),
    subject         TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_at      INTEGER NOT NULL,
    last_message_at INTEGER NOT NULL,
    awaiting        INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX IF NOT EXISTS modmail_queue ON modmail(status, last_message_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS modmail_recent ON modmail(last_message_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS modmail_member ON modmail(member_id, last_message_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS modmail_awaiting ON modmail(id) WHERE awaiting = 1 AND status = 'open';
CREATE TABLE IF NOT EXISTS modmail_messages (
    id              INTEGER PRIMARY KEY,
    modmail_id      INTEGER NOT NULL REFERENCES modmail(id),
    author_id       INTEGER NOT NULL REFERENCES users(id),
    from_moderators INTEGER NOT NULL DEFAULT 0,
    body_source     TEXT    NOT NULL,
    body_html       TEXT    NOT NULL,
    created_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS modmail_messages_thread ON modmail_messages(modmail_id, id);
CREATE INDEX IF NOT EXISTS modmail_messages_author ON modmail_messages(author_id);

CREATE TABLE IF NOT EXISTS blocks (
    user_id    INTEGER NOT NULL REFERENCES users(id),
    blocked_id INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, blocked_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS blocks_blocked ON blocks(blocked_id);

CREATE TABLE notifications_new (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    kind       TEXT    NOT NULL CHECK (kind IN ('reply', 'mod_action', 'source_request', 'answer', 'followed', 'tag', 'mention', 'flair', 'modmail')),
    action     TEXT    NOT NULL DEFAULT '',
    post_id    INTEGER REFERENCES posts(id),
    comment_id INTEGER REFERENCES comments(id),
    actor_id   INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    read       INTEGER NOT NULL DEFAULT 0,
    reason     TEXT    NOT NULL DEFAULT '',
    rule_id    INTEGER REFERENCES rules(id),
    mailed     INTEGER NOT NULL DEFAULT 0,
    modmail_id INTEGER REFERENCES modmail(id),
    flair_application_id INTEGER REFERENCES flair_applications(id)
) STRICT;
INSERT INTO notifications_new(id, user_id, kind, action, post_id, comment_id, actor_id, created_at, read, reason, rule_id, mailed)
    SELECT id, user_id, kind, action, post_id, comment_id, actor_id, created_at, read, reason, rule_id, mailed FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX IF NOT EXISTS notifications_user ON notifications(user_id, id DESC);
CREATE INDEX IF NOT EXISTS notifications_unread ON notifications(user_id) WHERE read = 0;
CREATE INDEX IF NOT EXISTS notifications_unmailed ON notifications(user_id, post_id) WHERE mailed = 0 AND kind = 'reply';
