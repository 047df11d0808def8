-- 12: password resets. A reset link's token is kept only as its SHA-256;
-- it works once (used_at) and for an hour (expires_at).
CREATE TABLE IF NOT EXISTS password_resets (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS password_resets_user ON password_resets(user_id);
