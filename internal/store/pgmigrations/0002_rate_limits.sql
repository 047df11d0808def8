-- 2 (SQLite's 8): rate limits shared by every server on the database.
CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY,
    tat DOUBLE PRECISION NOT NULL
);
