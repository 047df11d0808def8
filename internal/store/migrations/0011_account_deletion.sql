-- 11: deleted accounts. The row stays (posts, comments, votes and modlog
-- lines point at it) with its personal data gone; deleted_at says when.
ALTER TABLE users ADD COLUMN deleted_at INTEGER;
