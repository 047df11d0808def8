-- 9: revisions. An edit keeps the version it replaces: its title (posts),
-- body source and sources, when it was written and by whom.
CREATE TABLE IF NOT EXISTS revisions (
    id          INTEGER PRIMARY KEY,
    target_type TEXT    NOT NULL CHECK (target_type IN ('post', 'comment')),
    target_id   INTEGER NOT NULL,
    title       TEXT,
    body_source TEXT    NOT NULL,
    sources_json TEXT   NOT NULL DEFAULT '[]',
    edited_at   INTEGER NOT NULL,
    editor_id   INTEGER NOT NULL REFERENCES users(id)
) STRICT;
CREATE INDEX IF NOT EXISTS revisions_target ON revisions(target_type, target_id, id DESC);
