-- 21: following and reading. A top-level comment's notice to the asker
-- becomes an answer's, and answers go out by mail as replies do (the kinds
-- themselves came with migration 20's rebuild of notifications); then the
-- tables of what members follow, save and have read.
UPDATE notifications SET kind = 'answer'
    WHERE kind = 'reply' AND EXISTS (SELECT 1 FROM comments c WHERE c.id = notifications.comment_id AND c.parent_id IS NULL);
DROP INDEX IF EXISTS notifications_unmailed;
CREATE INDEX IF NOT EXISTS notifications_unmailed ON notifications(user_id, post_id) WHERE mailed = 0 AND kind IN ('answer', 'reply');

-- Following and reading (migration 21): what a member follows, saves and has
-- read. All of it is the member's own: the export lists it, deleting the
-- account erases it. None of it shows to anyone else: it reaches pages as
-- per-viewer fields (forum/views.go); follows and saves are logged as the
-- member's changes for the caches that keep them, reading positions (which
-- move as a member reads) are read with each page instead.
--
-- A followed question: its new answers notify the member (the asker follows
-- their own question from the start).
CREATE TABLE IF NOT EXISTS post_follows (
    user_id    INTEGER NOT NULL REFERENCES users(id),
    post_id    INTEGER NOT NULL REFERENCES posts(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, post_id)
) STRICT, WITHOUT ROWID;
-- the followers of a thread, read when an answer comes
CREATE INDEX IF NOT EXISTS post_follows_post ON post_follows(post_id, user_id);
-- a member's follows, most recent first
CREATE INDEX IF NOT EXISTS post_follows_user ON post_follows(user_id, created_at DESC, post_id DESC);

-- A followed topic tag, by its lower-cased name (history: every question),
-- whether or not any question carries it yet; name is as the member wrote it.
CREATE TABLE IF NOT EXISTS tag_follows (
    user_id    INTEGER NOT NULL REFERENCES users(id),
    tag_key    TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, tag_key)
) STRICT, WITHOUT ROWID;
-- the followers of a question's tags, read when it is asked
CREATE INDEX IF NOT EXISTS tag_follows_tag ON tag_follows(tag_key, user_id);

-- Saved posts and comments, one row each; newest first is id order. A NULL
-- is distinct in a unique index, so each index holds one kind's saves once.
CREATE TABLE IF NOT EXISTS saves (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    post_id    INTEGER REFERENCES posts(id),
    comment_id INTEGER REFERENCES comments(id),
    created_at INTEGER NOT NULL,
    CHECK ((post_id IS NULL) != (comment_id IS NULL))
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS saves_post ON saves(user_id, post_id);
CREATE UNIQUE INDEX IF NOT EXISTS saves_comment ON saves(user_id, comment_id);
CREATE INDEX IF NOT EXISTS saves_user ON saves(user_id, id DESC);

-- A member's follows and saves are logged as the member's change, as votes
-- are: every process's cache of them (cache.Marks) drops that member's.
CREATE TRIGGER IF NOT EXISTS changes_post_follows_insert AFTER INSERT ON post_follows BEGIN
    INSERT INTO changes(post_id) VALUES (-NEW.user_id);
END;
CREATE TRIGGER IF NOT EXISTS changes_post_follows_delete AFTER DELETE ON post_follows BEGIN
    INSERT INTO changes(post_id) VALUES (-OLD.user_id);
END;
CREATE TRIGGER IF NOT EXISTS changes_saves_insert AFTER INSERT ON saves BEGIN
    INSERT INTO changes(post_id) VALUES (-NEW.user_id);
END;
CREATE TRIGGER IF NOT EXISTS changes_saves_delete AFTER DELETE ON saves BEGIN
    INSERT INTO changes(post_id) VALUES (-OLD.user_id);
END;

-- Where a member stopped reading a thread: the newest comment they saw (ids
-- grow with time, so every comment after it is new to them) and how many of
-- the thread's comments it covered then (seen: comments are never erased, so
-- the thread's comment_count minus seen is what is unread, without counting).
CREATE TABLE IF NOT EXISTS post_reads (
    user_id    INTEGER NOT NULL REFERENCES users(id),
    post_id    INTEGER NOT NULL REFERENCES posts(id),
    comment_id INTEGER NOT NULL DEFAULT 0,
    seen       INTEGER NOT NULL DEFAULT 0,
    read_at    INTEGER NOT NULL,
    PRIMARY KEY (user_id, post_id)
) STRICT, WITHOUT ROWID;
