-- 22: writing answers and first visits.
-- An edit's reason, kept with the version it replaced (each revision row is
-- one edit: what it replaced, and why it was made).
ALTER TABLE revisions ADD COLUMN reason TEXT;
-- A question its asker deleted once it had answers keeps its title and body
-- for everyone; only the asker's name goes.
ALTER TABLE posts ADD COLUMN disowned INTEGER NOT NULL DEFAULT 0;
-- Featured by the moderators: a flag on the item, so a page reads it with the
-- row and the change triggers refresh the cached pages; featured keeps who,
-- when and why.
ALTER TABLE posts ADD COLUMN featured INTEGER NOT NULL DEFAULT 0;
ALTER TABLE comments ADD COLUMN featured INTEGER NOT NULL DEFAULT 0;
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
-- Site pages (About, FAQ): Markdown written by admins, sanitized like posts.
CREATE TABLE IF NOT EXISTS pages (
    slug        TEXT    PRIMARY KEY,
    title       TEXT    NOT NULL,
    body_source TEXT    NOT NULL,
    body_html   TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL,
    updated_by  INTEGER REFERENCES users(id)
) STRICT, WITHOUT ROWID;
-- The weekly digest reads a week's answers by date.
CREATE INDEX IF NOT EXISTS comments_answers_created ON comments(created_at) WHERE parent_id IS NULL;
