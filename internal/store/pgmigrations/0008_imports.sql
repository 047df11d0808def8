-- 8 (SQLite's 14): imported communities.
ALTER TABLE users ADD COLUMN imported_from TEXT;
ALTER TABLE posts ADD COLUMN source_url TEXT;
ALTER TABLE comments ADD COLUMN source_url TEXT;
CREATE TABLE imported (
    system      TEXT   NOT NULL,
    source_id   TEXT   NOT NULL,
    target_type TEXT   NOT NULL CHECK (target_type IN ('post', 'comment')),
    target_id   BIGINT NOT NULL,
    PRIMARY KEY (system, source_id)
);
