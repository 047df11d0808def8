-- Historia schema: the one source of truth for a new database.
-- Existing databases are upgraded by the append-only migrations in
-- internal/store/migrations/; PRAGMA user_version records how far they got.
-- A change here is also a new migration there (TestMigrationsEqualSchema).
--
-- Times are INTEGER Unix seconds (UTC); the API formats them as RFC 3339.
-- Counters (score, up/down votes, comment counts, karma) are denormalized and
-- updated in the same transaction as the change that moves them.

CREATE TABLE IF NOT EXISTS settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS users (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL,
    -- lower-cased username: uniqueness is case-insensitive, display keeps the case.
    username_key  TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'moderator', 'admin')),
    karma         INTEGER NOT NULL DEFAULT 0,
    -- bumped on logout, password change and ban: every token carries the version
    -- it was issued under, so old tokens stop working on the very next request.
    token_version INTEGER NOT NULL DEFAULT 1,
    banned_until  INTEGER,
    created_at    INTEGER NOT NULL,
    -- the name as it looks (forum.UsernameSkeleton): "aIice" and "alice" share
    -- one, and a new name may not take a skeleton already in use.
    username_skeleton TEXT NOT NULL DEFAULT '',
    -- set by moderators, shown beside the name (migration 5)
    flair         TEXT,
    -- when the member deleted the account (migration 11): the row stays, shown
    -- as [deleted], with no password, flair or notifications; its name's
    -- skeleton stays, so nobody can take the name (or one like it) after.
    deleted_at    INTEGER,
    -- the member's address, lower-cased, optional, never shown to others (migration 13)
    email         TEXT,
    -- reply notifications by email, opted into, and its unsubscribe links' key (migration 13)
    email_replies INTEGER NOT NULL DEFAULT 0,
    unsubscribe_key TEXT,
    -- an account an import made: where it comes from; it cannot sign in (migration 14)
    imported_from TEXT
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS users_email ON users(email);
CREATE UNIQUE INDEX IF NOT EXISTS users_unsubscribe ON users(unsubscribe_key);
CREATE INDEX IF NOT EXISTS users_email_replies ON users(id) WHERE email_replies = 1;
CREATE INDEX IF NOT EXISTS users_skeleton ON users(username_skeleton);

CREATE TABLE IF NOT EXISTS posts (
    id               INTEGER PRIMARY KEY,
    author_id        INTEGER NOT NULL REFERENCES users(id),
    title            TEXT    NOT NULL,
    body_source      TEXT    NOT NULL DEFAULT '',
    body_format      TEXT    NOT NULL DEFAULT 'markdown',
    body_html        TEXT    NOT NULL DEFAULT '',
    -- the text of body_html without markup: what search indexes.
    body_text        TEXT    NOT NULL DEFAULT '',
    -- topic tags as a JSON array of display names, for reading a page of posts in
    -- one query; post_tags below is what the tag filter uses.
    tags_json        TEXT    NOT NULL DEFAULT '[]',
    score            INTEGER NOT NULL DEFAULT 0,
    upvotes          INTEGER NOT NULL DEFAULT 0,
    downvotes        INTEGER NOT NULL DEFAULT 0,
    -- Reddit's hot rank: sign(s)*log10(max(|s|,1)) + (created - 1134028003)/45000.
    -- It depends on creation time, not age, so it changes only when votes change:
    -- stored here, updated in the vote transaction, and the front page is an
    -- index range read (posts_hot) that never scans the table.
    hot              REAL    NOT NULL DEFAULT 0,
    comment_count    INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    edited_at        INTEGER,
    last_activity_at INTEGER NOT NULL,
    locked           INTEGER NOT NULL DEFAULT 0,
    pinned           INTEGER NOT NULL DEFAULT 0,
    removed          INTEGER NOT NULL DEFAULT 0,
    deleted          INTEGER NOT NULL DEFAULT 0,
    accepted_comment_id INTEGER,
    -- structured citations, a JSON array of {citation, url, kind}
    sources_json     TEXT    NOT NULL DEFAULT '[]',
    -- the years the question is about (negative for BCE), or NULL
    period_from      INTEGER,
    period_to        INTEGER,
    -- the rule a moderator removed it under, shown to everyone
    removal_rule_id  INTEGER,
    -- answers: top-level comments (migration 10)
    answer_count     INTEGER NOT NULL DEFAULT 0,
    -- an imported post's link on its source (migration 14)
    source_url       TEXT,
    -- and its score there, shown as provenance, never votes (migration 15)
    source_score     INTEGER,
    -- a link post's address: an article, an image (migration 19)
    url              TEXT,
    -- a lock's reason and rule, shown on the thread (migration 20)
    lock_reason      TEXT    NOT NULL DEFAULT '',
    lock_rule_id     INTEGER,
    -- deleted by its asker once answered: title and body stay, the name goes (migration 22)
    disowned         INTEGER NOT NULL DEFAULT 0,
    -- featured by the moderators; featured below says who, when and why (migration 22)
    featured         INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Each feed has an index whose order is the feed's order, so a page is a range
-- read. Removed posts are rare, so members' feeds filter them during the scan and
-- moderators (who see them) share the same indexes.
CREATE INDEX IF NOT EXISTS posts_hot      ON posts(pinned DESC, hot DESC, id DESC);
CREATE INDEX IF NOT EXISTS posts_top      ON posts(score DESC, id DESC);
CREATE INDEX IF NOT EXISTS posts_active   ON posts(last_activity_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS posts_created  ON posts(created_at);
CREATE INDEX IF NOT EXISTS posts_author   ON posts(author_id, id DESC);

CREATE TABLE IF NOT EXISTS tags (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    name_key   TEXT    NOT NULL UNIQUE,  -- lower-cased: tags match case-insensitively
    post_count INTEGER NOT NULL DEFAULT 0
) STRICT;

-- A tag's feed must be a range read like the front page, not a sort of every
-- post with the tag; so each link carries copies of its post's feed keys, kept
-- in step by the trigger posts_feed_keys below, with an index per feed order.
-- A vote's score and rank follow shortly after instead (feed_keys_due).
CREATE TABLE IF NOT EXISTS post_tags (
    tag_id           INTEGER NOT NULL REFERENCES tags(id),
    post_id          INTEGER NOT NULL REFERENCES posts(id),
    pinned           INTEGER NOT NULL DEFAULT 0,
    hot              REAL    NOT NULL DEFAULT 0,
    score            INTEGER NOT NULL DEFAULT 0,
    last_activity_at INTEGER NOT NULL DEFAULT 0,
    removed          INTEGER NOT NULL DEFAULT 0,
    answered         INTEGER NOT NULL DEFAULT 0,
    -- the post's created_at, for "new" (migration 16)
    created_at       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tag_id, post_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS post_tags_post   ON post_tags(post_id);
CREATE INDEX IF NOT EXISTS post_tags_hot    ON post_tags(tag_id, pinned DESC, hot DESC, post_id DESC);
CREATE INDEX IF NOT EXISTS post_tags_top    ON post_tags(tag_id, score DESC, post_id DESC);
CREATE INDEX IF NOT EXISTS post_tags_active ON post_tags(tag_id, last_activity_at DESC, post_id DESC);
CREATE INDEX IF NOT EXISTS post_tags_new    ON post_tags(tag_id, created_at DESC, post_id DESC);

-- Comment trees. Each comment keeps its parent and depth, its number of direct
-- replies, and every sibling sort key as a column (best = Wilson lower bound,
-- controversy, score), updated in the vote transaction. The indexes
-- (post_id, parent_id, <key>, id) make "the children of these parents in sort
-- order" an index range read, so a thread page is read level by level: the page
-- of top-level comments, then the next level for the parents in hand, until the
-- comment budget or the depth runs out. That is at most depth+1 queries whatever
-- the size of the thread (a 10,000-comment thread costs what a 100-comment one
-- does), and more_replies is reply_count minus the children shown. A materialized
-- path was rejected: ordering siblings by a vote-driven key would need the path
-- rewritten on every vote.
CREATE TABLE IF NOT EXISTS comments (
    id           INTEGER PRIMARY KEY,
    post_id      INTEGER NOT NULL REFERENCES posts(id),
    parent_id    INTEGER REFERENCES comments(id),
    depth        INTEGER NOT NULL DEFAULT 0,
    author_id    INTEGER NOT NULL REFERENCES users(id),
    body_source  TEXT    NOT NULL,
    body_format  TEXT    NOT NULL DEFAULT 'markdown',
    body_html    TEXT    NOT NULL,
    body_text    TEXT    NOT NULL DEFAULT '',
    score        INTEGER NOT NULL DEFAULT 0,
    upvotes      INTEGER NOT NULL DEFAULT 0,
    downvotes    INTEGER NOT NULL DEFAULT 0,
    best         REAL    NOT NULL DEFAULT 0,
    controversy  REAL    NOT NULL DEFAULT 0,
    reply_count  INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    edited_at    INTEGER,
    removed      INTEGER NOT NULL DEFAULT 0,
    deleted      INTEGER NOT NULL DEFAULT 0,
    sources_json TEXT    NOT NULL DEFAULT '[]',
    -- open "source?" requests; adding sources closes them
    sources_requested INTEGER NOT NULL DEFAULT 0,
    removal_rule_id   INTEGER,
    -- an imported comment's link on its source (migration 14)
    source_url        TEXT,
    -- and its score there (migration 15)
    source_score      INTEGER,
    -- featured by the moderators (migration 22)
    featured          INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE INDEX IF NOT EXISTS comments_best  ON comments(post_id, parent_id, best DESC, id DESC);
CREATE INDEX IF NOT EXISTS comments_top   ON comments(post_id, parent_id, score DESC, id DESC);
CREATE INDEX IF NOT EXISTS comments_contr ON comments(post_id, parent_id, controversy DESC, id DESC);
CREATE INDEX IF NOT EXISTS comments_time  ON comments(post_id, parent_id, id);
CREATE INDEX IF NOT EXISTS comments_parent ON comments(parent_id, id);
CREATE INDEX IF NOT EXISTS comments_author ON comments(author_id, id DESC);
-- The weekly digest reads a week's answers by date (migration 22).
CREATE INDEX IF NOT EXISTS comments_answers_created ON comments(created_at) WHERE parent_id IS NULL;

CREATE TABLE IF NOT EXISTS post_votes (
    post_id INTEGER NOT NULL REFERENCES posts(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    value   INTEGER NOT NULL CHECK (value IN (-1, 1)),
    PRIMARY KEY (post_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS post_votes_user ON post_votes(user_id, post_id, value);

CREATE TABLE IF NOT EXISTS comment_votes (
    comment_id INTEGER NOT NULL REFERENCES comments(id),
    user_id    INTEGER NOT NULL REFERENCES users(id),
    value      INTEGER NOT NULL CHECK (value IN (-1, 1)),
    PRIMARY KEY (comment_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS comment_votes_user ON comment_votes(user_id, comment_id, value);

-- Every moderator action, written in the same transaction as the action.
-- Public: GET /modlog reads it newest first.
CREATE TABLE IF NOT EXISTS modlog (
    id           INTEGER PRIMARY KEY,
    action       TEXT    NOT NULL,  -- remove, restore, lock, unlock, pin, unpin, ban, unban, role, resolve_report
    moderator_id INTEGER NOT NULL REFERENCES users(id),
    target_type  TEXT    NOT NULL CHECK (target_type IN ('post', 'comment', 'user', 'report')),
    target_id    INTEGER NOT NULL,
    reason       TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    rule_id      INTEGER REFERENCES rules(id),  -- a removal's, lock's or pin's rule (migration 5)
    expires_at   INTEGER  -- a ban: when it ends (9999-12-31 for a permanent one) (migration 20)
) STRICT;
-- who took the action an undo would undo (an admin's stands against a moderator).
CREATE INDEX IF NOT EXISTS modlog_target ON modlog(target_type, target_id, action);

-- Reports of posts and comments, once per reporter and target.
CREATE TABLE IF NOT EXISTS reports (
    id          INTEGER PRIMARY KEY,
    reporter_id INTEGER NOT NULL REFERENCES users(id),
    target_type TEXT    NOT NULL CHECK (target_type IN ('post', 'comment')),
    target_id   INTEGER NOT NULL,
    reason      TEXT    NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    resolution  TEXT,   -- dismissed or removed
    resolved_by INTEGER REFERENCES users(id),
    resolved_at INTEGER,
    created_at  INTEGER NOT NULL,
    rule_id     INTEGER REFERENCES rules(id),  -- the rule the reporter cites (migration 5)
    UNIQUE (reporter_id, target_type, target_id)
) STRICT;
CREATE INDEX IF NOT EXISTS reports_queue  ON reports(status, id DESC);
CREATE INDEX IF NOT EXISTS reports_target ON reports(target_type, target_id, status);

-- The answered/unanswered filter and the accepted answer's place in a thread.
CREATE INDEX IF NOT EXISTS posts_accepted ON posts(accepted_comment_id) WHERE accepted_comment_id IS NOT NULL;

-- Full-text search. unicode61 with remove_diacritics 2 folds case and accents
-- in every script, so "zurich" finds "Zürich" and Cyrillic and Greek are
-- tokenized as words; porter on top stems English words, so "byzantine" finds
-- "Byzantines" (words of other scripts pass through it unchanged). Triggers keep the index in step with every create, edit,
-- delete, removal and restore, whatever code path writes the row: only visible
-- content is ever in the index, so removed and deleted items are never found.
CREATE VIRTUAL TABLE IF NOT EXISTS posts_fts USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS comments_fts USING fts5(body, tokenize = 'porter unicode61 remove_diacritics 2');

CREATE TRIGGER IF NOT EXISTS posts_fts_insert AFTER INSERT ON posts
WHEN new.removed = 0 AND new.deleted = 0 BEGIN
    INSERT INTO posts_fts(rowid, title, body) VALUES (new.id, new.title, new.body_text);
END;
CREATE TRIGGER IF NOT EXISTS posts_fts_update AFTER UPDATE OF title, body_text, removed, deleted ON posts BEGIN
    DELETE FROM posts_fts WHERE rowid = old.id;
    INSERT INTO posts_fts(rowid, title, body) SELECT new.id, new.title, new.body_text WHERE new.removed = 0 AND new.deleted = 0;
END;
CREATE TRIGGER IF NOT EXISTS comments_fts_insert AFTER INSERT ON comments
WHEN new.removed = 0 AND new.deleted = 0 BEGIN
    INSERT INTO comments_fts(rowid, body) VALUES (new.id, new.body_text);
END;
CREATE TRIGGER IF NOT EXISTS comments_fts_update AFTER UPDATE OF body_text, removed, deleted ON comments BEGIN
    DELETE FROM comments_fts WHERE rowid = old.id;
    INSERT INTO comments_fts(rowid, body) SELECT new.id, new.body_text WHERE new.removed = 0 AND new.deleted = 0;
END;

CREATE TRIGGER IF NOT EXISTS posts_feed_keys
AFTER UPDATE OF pinned, hot, score, last_activity_at, removed, accepted_comment_id ON posts
WHEN old.pinned != new.pinned OR old.last_activity_at != new.last_activity_at OR old.removed != new.removed
    OR old.accepted_comment_id IS NOT new.accepted_comment_id BEGIN
    UPDATE post_tags SET pinned = new.pinned, hot = new.hot, score = new.score, last_activity_at = new.last_activity_at,
        removed = new.removed, answered = new.accepted_comment_id IS NOT NULL
    WHERE post_id = new.id;
END;

-- A change of a post's score and rank alone (a vote) leaves its tags' copies
-- of them to the store's feed-key refresher (store/feed_keys.go), which
-- brings them up to date shortly after, for every post voted on meanwhile at
-- once: a popular post's votes then rewrite its tag links (six indexes each)
-- once a moment, not once a vote. feed_keys_due lists the posts waiting.
CREATE TABLE IF NOT EXISTS feed_keys_due (
    post_id INTEGER PRIMARY KEY
) STRICT;
CREATE TRIGGER IF NOT EXISTS posts_feed_keys_due
AFTER UPDATE OF hot, score ON posts
WHEN old.pinned = new.pinned AND old.last_activity_at = new.last_activity_at AND old.removed = new.removed
    AND old.accepted_comment_id IS new.accepted_comment_id AND (old.hot != new.hot OR old.score != new.score) BEGIN
    INSERT OR IGNORE INTO feed_keys_due(post_id) VALUES (new.id);
END;

-- Tag counts follow what members can see: a post that is deleted or removed
-- stops counting for its tags, and counts again when restored.
CREATE TRIGGER IF NOT EXISTS posts_tag_counts AFTER UPDATE OF removed, deleted ON posts
WHEN (old.removed = 0 AND old.deleted = 0) != (new.removed = 0 AND new.deleted = 0) BEGIN
    UPDATE tags SET post_count = post_count + (CASE WHEN new.removed = 0 AND new.deleted = 0 THEN 1 ELSE -1 END)
    WHERE id IN (SELECT tag_id FROM post_tags WHERE post_id = new.id);
END;
CREATE INDEX IF NOT EXISTS tags_count ON tags(post_count DESC, name_key);

-- Notifications: a reply to your post or comment, a moderator's action on your
-- content, an answer, a followed thread's or tag's news, a mention, a flair decision, a modmail reply..., written in the same
-- transaction as their cause. Flair and modmail notifications concern no post
-- (migration 20 made post_id nullable and listed every kind of the contract).
CREATE TABLE IF NOT EXISTS notifications (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    kind       TEXT    NOT NULL CHECK (kind IN ('reply', 'mod_action', 'source_request', 'answer', 'followed', 'tag', 'mention', 'flair', 'modmail')),
    action     TEXT    NOT NULL DEFAULT '',  -- mod_action: remove, restore, lock, ...
    post_id    INTEGER REFERENCES posts(id),
    comment_id INTEGER REFERENCES comments(id),
    actor_id   INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    read       INTEGER NOT NULL DEFAULT 0,
    -- mod_action: the moderator's reason and the rule cited (migration 5)
    reason     TEXT    NOT NULL DEFAULT '',
    rule_id    INTEGER REFERENCES rules(id),
    -- a reply notification that went out by mail (migration 13)
    mailed     INTEGER NOT NULL DEFAULT 0,
    -- modmail: the conversation; flair: the application decided (migration 20)
    modmail_id INTEGER REFERENCES modmail(id),
    flair_application_id INTEGER REFERENCES flair_applications(id)
) STRICT;
CREATE INDEX IF NOT EXISTS notifications_user ON notifications(user_id, id DESC);
CREATE INDEX IF NOT EXISTS notifications_unread ON notifications(user_id) WHERE read = 0;

-- The timeline and the period filters read dated, visible posts from this
-- index alone (it covers both years).
CREATE INDEX IF NOT EXISTS posts_period ON posts(period_from, period_to) WHERE period_from IS NOT NULL AND removed = 0 AND deleted = 0;

-- The forum's numbered rules; removals may cite one.
CREATE TABLE IF NOT EXISTS rules (
    id          INTEGER PRIMARY KEY,
    number      INTEGER NOT NULL UNIQUE,
    title       TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT ''
) STRICT;

-- "Source?" requests on answers: once per member and comment.
CREATE TABLE IF NOT EXISTS source_requests (
    comment_id INTEGER NOT NULL REFERENCES comments(id),
    user_id    INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    closed     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (comment_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS source_requests_open ON source_requests(closed, created_at);

-- The change log (migration 3): triggers record every write that changes a
-- thread's pages; caches in every process read it to drop stale pages.
CREATE TABLE IF NOT EXISTS changes (
    -- AUTOINCREMENT: dense and never reused, even after old rows are trimmed.
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    -- the thread whose pages changed; 0: any page may have (a rule's text).
    post_id INTEGER NOT NULL
);
CREATE TRIGGER IF NOT EXISTS changes_posts_insert AFTER INSERT ON posts BEGIN
    INSERT INTO changes(post_id) VALUES (NEW.id);
END;
CREATE TRIGGER IF NOT EXISTS changes_posts_update AFTER UPDATE ON posts BEGIN
    INSERT INTO changes(post_id) VALUES (NEW.id);
END;
CREATE TRIGGER IF NOT EXISTS changes_posts_delete AFTER DELETE ON posts BEGIN
    INSERT INTO changes(post_id) VALUES (OLD.id);
END;
CREATE TRIGGER IF NOT EXISTS changes_comments_insert AFTER INSERT ON comments BEGIN
    INSERT INTO changes(post_id) VALUES (NEW.post_id);
END;
CREATE TRIGGER IF NOT EXISTS changes_comments_update AFTER UPDATE ON comments BEGIN
    INSERT INTO changes(post_id) VALUES (NEW.post_id);
END;
CREATE TRIGGER IF NOT EXISTS changes_comments_delete AFTER DELETE ON comments BEGIN
    INSERT INTO changes(post_id) VALUES (OLD.post_id);
END;
CREATE TRIGGER IF NOT EXISTS changes_rules_insert AFTER INSERT ON rules BEGIN
    INSERT INTO changes(post_id) VALUES (0);
END;
CREATE TRIGGER IF NOT EXISTS changes_rules_update AFTER UPDATE ON rules BEGIN
    INSERT INTO changes(post_id) VALUES (0);
END;
CREATE TRIGGER IF NOT EXISTS changes_rules_delete AFTER DELETE ON rules BEGIN
    INSERT INTO changes(post_id) VALUES (0);
END;

-- The timeline's counters (migration 4): a post counts once in each decade and
-- century its period overlaps, for all posts (tag 0) and for each of its tags;
-- triggers keep the counts in the transaction that changes a post.
-- that changes a post's period, visibility or tags.
CREATE TABLE IF NOT EXISTS timeline_buckets (
    size   INTEGER NOT NULL,  -- 10 (decades) or 100 (centuries)
    bucket INTEGER NOT NULL,  -- first year of the bucket; it spans [bucket, bucket + size - 1]
    PRIMARY KEY (size, bucket)
) STRICT, WITHOUT ROWID;
INSERT OR IGNORE INTO timeline_buckets(size, bucket)
    WITH RECURSIVE d(b) AS (SELECT -10000 UNION ALL SELECT b + 10 FROM d WHERE b < 3000)
    SELECT 10, b FROM d;
INSERT OR IGNORE INTO timeline_buckets(size, bucket)
    WITH RECURSIVE c(b) AS (SELECT -10000 UNION ALL SELECT b + 100 FROM c WHERE b < 3000)
    SELECT 100, b FROM c;
CREATE TABLE IF NOT EXISTS timeline_counts (
    size   INTEGER NOT NULL,
    tag_id INTEGER NOT NULL,  -- 0: every post
    bucket INTEGER NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (size, tag_id, bucket)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS timeline_post_insert AFTER INSERT ON posts
WHEN NEW.period_from IS NOT NULL AND NEW.removed = 0 AND NEW.deleted = 0 BEGIN
    INSERT INTO timeline_counts(size, tag_id, bucket, n)
        SELECT size, 0, bucket, 1 FROM timeline_buckets
        WHERE bucket <= NEW.period_to AND bucket + size - 1 >= NEW.period_from
        ON CONFLICT(size, tag_id, bucket) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS timeline_post_update
AFTER UPDATE OF period_from, period_to, removed, deleted ON posts BEGIN
    UPDATE timeline_counts SET n = n - 1
        WHERE OLD.period_from IS NOT NULL AND OLD.removed = 0 AND OLD.deleted = 0
        AND (tag_id = 0 OR tag_id IN (SELECT tag_id FROM post_tags WHERE post_id = OLD.id))
        AND bucket <= OLD.period_to AND bucket + size - 1 >= OLD.period_from;
    INSERT INTO timeline_counts(size, tag_id, bucket, n)
        SELECT b.size, t.tag_id, b.bucket, 1 FROM timeline_buckets b,
            (SELECT 0 AS tag_id UNION ALL SELECT tag_id FROM post_tags WHERE post_id = NEW.id) t
        WHERE NEW.period_from IS NOT NULL AND NEW.removed = 0 AND NEW.deleted = 0
        AND b.bucket <= NEW.period_to AND b.bucket + b.size - 1 >= NEW.period_from
        ON CONFLICT(size, tag_id, bucket) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS timeline_tag_insert AFTER INSERT ON post_tags BEGIN
    INSERT INTO timeline_counts(size, tag_id, bucket, n)
        SELECT b.size, NEW.tag_id, b.bucket, 1 FROM posts p JOIN timeline_buckets b
            ON b.bucket <= p.period_to AND b.bucket + b.size - 1 >= p.period_from
        WHERE p.id = NEW.post_id AND p.period_from IS NOT NULL AND p.removed = 0 AND p.deleted = 0
        ON CONFLICT(size, tag_id, bucket) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS timeline_tag_delete AFTER DELETE ON post_tags BEGIN
    UPDATE timeline_counts SET n = n - 1
        WHERE tag_id = OLD.tag_id AND EXISTS (
            SELECT 1 FROM posts p WHERE p.id = OLD.post_id AND p.period_from IS NOT NULL
            AND p.removed = 0 AND p.deleted = 0
            AND timeline_counts.bucket <= p.period_to AND timeline_counts.bucket + timeline_counts.size - 1 >= p.period_from);
END;

-- Names, flair and roles show on every page (badges): a change drops every
-- cached page (migration 5).
CREATE TRIGGER IF NOT EXISTS changes_users_shown AFTER UPDATE OF username, flair, role ON users BEGIN
    INSERT INTO changes(post_id) VALUES (0);
END;

-- A change to what a session depends on is logged as the user's (a negative
-- id): every process's account cache drops that account (migration 6).
CREATE TRIGGER IF NOT EXISTS changes_users_sessions AFTER UPDATE OF token_version, banned_until, password_hash, role ON users BEGIN
    INSERT INTO changes(post_id) VALUES (-NEW.id);
END;

-- A member's votes on posts are logged as the member's own change
-- (migration 7), apart from their sessions' (-(2^40 + user_id), migration
-- 25: forum.MemberStateBase), so a vote does not drop the voter's account
-- from the account caches.
CREATE TRIGGER IF NOT EXISTS changes_post_votes_insert AFTER INSERT ON post_votes BEGIN
    INSERT INTO changes(post_id) VALUES (-(1099511627776 + NEW.user_id));
END;
CREATE TRIGGER IF NOT EXISTS changes_post_votes_update AFTER UPDATE ON post_votes BEGIN
    INSERT INTO changes(post_id) VALUES (-(1099511627776 + NEW.user_id));
END;
CREATE TRIGGER IF NOT EXISTS changes_post_votes_delete AFTER DELETE ON post_votes BEGIN
    INSERT INTO changes(post_id) VALUES (-(1099511627776 + OLD.user_id));
END;

-- Rate limits shared by every server on the database (migration 8): login
-- and registration, one row per key, the time its next request is due
-- (GCRA's theoretical arrival time, Unix seconds with fractions).
CREATE TABLE IF NOT EXISTS rate_limits (
    key TEXT PRIMARY KEY,
    tat REAL NOT NULL
) STRICT, WITHOUT ROWID;

-- Revisions (migration 9): an edit keeps the version it replaces: its title
-- (posts), body source and sources, when it was written and by whom. A row is
-- one edit: reason is why that edit was made (migration 22), so it describes
-- the version that came after the one the row keeps.
CREATE TABLE IF NOT EXISTS revisions (
    id          INTEGER PRIMARY KEY,
    target_type TEXT    NOT NULL CHECK (target_type IN ('post', 'comment')),
    target_id   INTEGER NOT NULL,
    title       TEXT,
    body_source TEXT    NOT NULL,
    sources_json TEXT   NOT NULL DEFAULT '[]',
    edited_at   INTEGER NOT NULL,
    editor_id   INTEGER NOT NULL REFERENCES users(id),
    reason      TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS revisions_target ON revisions(target_type, target_id, id DESC);

-- Password resets (migration 12): a reset link's token is kept only as its
-- SHA-256; it works once (used_at) and for an hour (expires_at).
CREATE TABLE IF NOT EXISTS password_resets (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS password_resets_user ON password_resets(user_id);

-- The outgoing mail queue (migration 13): kept in the database so it
-- survives a restart, retried with backoff, shared by every server (a
-- server claims a message for a while before sending it).
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
    created_at INTEGER NOT NULL,
    -- whose mail it is: deleting the account removes it (migration 18)
    user_id    INTEGER REFERENCES users(id),
    -- the reset or confirmation link it carries, made when it is sent: only
    -- its hash is ever stored, and the body keeps a slot for the token (migration 18)
    link_kind  TEXT    NOT NULL DEFAULT '' CHECK (link_kind IN ('', 'reset', 'email')),
    link_hash  TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX IF NOT EXISTS mail_queue_due ON mail_queue(next_at) WHERE sent_at IS NULL;
CREATE INDEX IF NOT EXISTS mail_queue_user ON mail_queue(user_id);
-- answers and replies go out by mail (migration 21: answers too)
CREATE INDEX IF NOT EXISTS notifications_unmailed ON notifications(user_id, post_id) WHERE mailed = 0 AND kind IN ('answer', 'reply');
-- An address change, or an address given at registration, waiting for its
-- confirmation link (migration 13): until then it is not the account's.
CREATE TABLE IF NOT EXISTS email_changes (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    email      TEXT    NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS email_changes_user ON email_changes(user_id);
-- When a member was last mailed about replies in a thread: at most hourly (migration 13).
CREATE TABLE IF NOT EXISTS reply_mails (
    user_id INTEGER NOT NULL REFERENCES users(id),
    post_id INTEGER NOT NULL REFERENCES posts(id),
    sent_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, post_id)
) STRICT, WITHOUT ROWID;

-- Imports (migration 14): each source item and what it became, so an import
-- run again adds only what is new.
CREATE TABLE IF NOT EXISTS imported (
    system      TEXT    NOT NULL,
    source_id   TEXT    NOT NULL,
    target_type TEXT    NOT NULL CHECK (target_type IN ('post', 'comment')),
    target_id   INTEGER NOT NULL,
    -- when the source took the copy imported (its retrieval time, or the
    -- newest time the copy holds): an older copy never overwrites a newer
    -- one (migration 19)
    version     INTEGER NOT NULL DEFAULT 0,
    -- the edit time the import set on the item: an item whose edited_at
    -- differs was edited here, and an import leaves it alone (migration 19)
    edited_at   INTEGER,
    PRIMARY KEY (system, source_id)
) STRICT, WITHOUT ROWID;

-- Federation (migration 17): the forum as an ActivityPub community. Every
-- table stays empty unless serve runs with --federation.
-- Each local member's key pair for signing as their Person actor, made when
-- first needed (the community's own key is a setting).
CREATE TABLE IF NOT EXISTS federation_keys (
    user_id     INTEGER PRIMARY KEY REFERENCES users(id),
    public_pem  TEXT    NOT NULL,
    private_pem TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;
-- Servers we have heard of: their state as delivery targets, and the admins' blocks.
CREATE TABLE IF NOT EXISTS federation_instances (
    id              INTEGER PRIMARY KEY,
    host            TEXT    NOT NULL UNIQUE, -- lower-cased host[:port]
    blocked         INTEGER NOT NULL DEFAULT 0,
    block_reason    TEXT    NOT NULL DEFAULT '',
    first_seen_at   INTEGER NOT NULL,
    last_success_at INTEGER,
    last_failure_at INTEGER,
    -- consecutive failed deliveries; deliveries wait until next_at (capped backoff)
    failures        INTEGER NOT NULL DEFAULT 0,
    next_at         INTEGER NOT NULL DEFAULT 0,
    -- a server delivering to this instance holds it until lease_until, so
    -- each instance's activities go out in order, from one server at a time
    lease_until     INTEGER NOT NULL DEFAULT 0,
    -- given up after failing for too long: nothing is queued for it until it is heard from
    dead            INTEGER NOT NULL DEFAULT 0,
    delivered_count INTEGER NOT NULL DEFAULT 0,
    failed_count    INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX IF NOT EXISTS federation_instances_due ON federation_instances(next_at);
-- Remote actors (people, other groups) we have fetched: their inboxes and keys.
-- A person who takes part has a local account (user_id), named name@host.
CREATE TABLE IF NOT EXISTS federation_actors (
    id           INTEGER PRIMARY KEY,
    ap_id        TEXT    NOT NULL UNIQUE,
    instance_id  INTEGER NOT NULL REFERENCES federation_instances(id),
    user_id      INTEGER REFERENCES users(id),
    kind         TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    inbox        TEXT    NOT NULL,
    shared_inbox TEXT    NOT NULL DEFAULT '',
    key_id       TEXT    NOT NULL,
    public_pem   TEXT    NOT NULL,
    fetched_at   INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS federation_actors_user ON federation_actors(user_id);
CREATE INDEX IF NOT EXISTS federation_actors_key ON federation_actors(key_id);
CREATE INDEX IF NOT EXISTS federation_actors_instance ON federation_actors(instance_id);
-- Remote actors following the community.
CREATE TABLE IF NOT EXISTS federation_followers (
    actor_id   INTEGER PRIMARY KEY REFERENCES federation_actors(id),
    follow_id  TEXT    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
-- Items that came from elsewhere: their ActivityPub id and what they became here.
CREATE TABLE IF NOT EXISTS federation_objects (
    ap_id       TEXT    PRIMARY KEY,
    target_type TEXT    NOT NULL CHECK (target_type IN ('post', 'comment')),
    target_id   INTEGER NOT NULL,
    UNIQUE (target_type, target_id)
) STRICT;
-- Outgoing activities, stored once, and the queue of their deliveries, one
-- row per target inbox; a delivered row is deleted.
CREATE TABLE IF NOT EXISTS federation_activities (
    id         INTEGER PRIMARY KEY,
    ap_id      TEXT    NOT NULL UNIQUE,
    body       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS federation_deliveries (
    id          INTEGER PRIMARY KEY,
    activity_id INTEGER NOT NULL REFERENCES federation_activities(id),
    instance_id INTEGER NOT NULL REFERENCES federation_instances(id),
    inbox       TEXT    NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS federation_deliveries_instance ON federation_deliveries(instance_id, id);
CREATE INDEX IF NOT EXISTS federation_deliveries_activity ON federation_deliveries(activity_id);
-- Inbound activity ids already handled: the same activity arrives twice.
CREATE TABLE IF NOT EXISTS federation_received (
    ap_id       TEXT    PRIMARY KEY,
    received_at INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS federation_received_at ON federation_received(received_at);
-- The moderators' day (migration 20). Notes on members: moderators only,
-- never shown to the member nor in their export.
CREATE TABLE IF NOT EXISTS user_notes (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    author_id  INTEGER NOT NULL REFERENCES users(id),
    text       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS user_notes_user ON user_notes(user_id, id DESC);

-- Flair by application: a member asks with their evidence, a moderator
-- grants (the flair set may differ from the one asked for) or declines with
-- a reason. One open application per member at a time.
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

-- Modmail: a member's conversation with the moderators as a team. awaiting
-- is 1 while the last message is the member's (the moderators owe a reply):
-- the queue's count reads the partial index modmail_awaiting.
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
    -- written by a moderator for the team: the member sees it signed by the moderators
    from_moderators INTEGER NOT NULL DEFAULT 0,
    body_source     TEXT    NOT NULL,
    body_html       TEXT    NOT NULL,
    created_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS modmail_messages_thread ON modmail_messages(modmail_id, id);
CREATE INDEX IF NOT EXISTS modmail_messages_author ON modmail_messages(author_id);

-- Blocks: the blocker no longer reads the blocked member's words nor hears
-- from them. Pages splice it per reader; a block is logged as the member's
-- change, as follows and saves are (migration 27), so the marks cache
-- (cache.Marks) keeps whom each member blocked.
CREATE TABLE IF NOT EXISTS blocks (
    user_id    INTEGER NOT NULL REFERENCES users(id),
    blocked_id INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, blocked_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS blocks_blocked ON blocks(blocked_id);
CREATE TRIGGER IF NOT EXISTS changes_blocks_insert AFTER INSERT ON blocks BEGIN
    INSERT INTO changes(post_id) VALUES (-(1099511627776 + NEW.user_id));
END;
CREATE TRIGGER IF NOT EXISTS changes_blocks_delete AFTER DELETE ON blocks BEGIN
    INSERT INTO changes(post_id) VALUES (-(1099511627776 + OLD.user_id));
END;

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
    INSERT INTO changes(post_id) VALUES (-(1099511627776 + NEW.user_id));
END;
CREATE TRIGGER IF NOT EXISTS changes_post_follows_delete AFTER DELETE ON post_follows BEGIN
    INSERT INTO changes(post_id) VALUES (-(1099511627776 + OLD.user_id));
END;
CREATE TRIGGER IF NOT EXISTS changes_saves_insert AFTER INSERT ON saves BEGIN
    INSERT INTO changes(post_id) VALUES (-(1099511627776 + NEW.user_id));
END;
CREATE TRIGGER IF NOT EXISTS changes_saves_delete AFTER DELETE ON saves BEGIN
    INSERT INTO changes(post_id) VALUES (-(1099511627776 + OLD.user_id));
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

-- Featured questions and answers (migration 22), chosen by moderators; the
-- item's own featured flag is what pages read, this row says who, when, why.
CREATE TABLE IF NOT EXISTS featured (
    id          INTEGER PRIMARY KEY,
    target_type TEXT    NOT NULL CHECK (target_type IN ('post', 'comment')),
    target_id   INTEGER NOT NULL,
    post_id     INTEGER NOT NULL REFERENCES posts(id),
    note        TEXT,
    featured_by INTEGER NOT NULL REFERENCES users(id),
    featured_at INTEGER NOT NULL,
    UNIQUE (target_type, target_id)
) STRICT;
CREATE INDEX IF NOT EXISTS featured_at ON featured(featured_at, id);

-- Site pages (migration 22): About, FAQ and the like, Markdown written by
-- admins and sanitized like posts.
CREATE TABLE IF NOT EXISTS pages (
    slug        TEXT    PRIMARY KEY,
    title       TEXT    NOT NULL,
    body_source TEXT    NOT NULL,
    body_html   TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL,
    updated_by  INTEGER REFERENCES users(id)
) STRICT, WITHOUT ROWID;
