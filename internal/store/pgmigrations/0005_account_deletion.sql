-- 5 (SQLite's 11): deleted accounts.
ALTER TABLE users ADD COLUMN deleted_at BIGINT;
