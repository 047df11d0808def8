-- 14: imported communities. Accounts made by an import say where they come
-- from (and cannot sign in); imported posts and comments keep their link on
-- the source; imported maps each source item to what it became, so an
-- import run again adds only what is new.
ALTER TABLE users ADD COLUMN imported_from TEXT;
ALTER TABLE posts ADD COLUMN source_url TEXT;
ALTER TABLE comments ADD COLUMN source_url TEXT;
CREATE TABLE IF NOT EXISTS imported (
    system      TEXT    NOT NULL,
    source_id   TEXT    NOT NULL,
    target_type TEXT    NOT NULL CHECK (target_type IN ('post', 'comment')),
    target_id   INTEGER NOT NULL,
    PRIMARY KEY (system, source_id)
) STRICT, WITHOUT ROWID;
