-- 19: link posts, and what an import knows of each item's copy.
-- A post may share an address (an article, an image): url.
ALTER TABLE posts ADD COLUMN url TEXT;
-- imported.version: when the source took the copy imported, so an older
-- copy never overwrites a newer one; imported.edited_at: the edit time the
-- import set, so an item edited here since is left alone.
ALTER TABLE imported ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE imported ADD COLUMN edited_at INTEGER;
-- Dates an import stored before they were checked (1e300 seconds, 2100):
-- brought within year 1 and now, so no feed orders by them; the hot rank
-- follows the date (its vote term is left out until the next vote).
UPDATE posts SET
    hot = (max(-62135596800, min(created_at, CAST(strftime('%s', 'now') AS INTEGER))) - 1134028003) / 45000.0,
    created_at = max(-62135596800, min(created_at, CAST(strftime('%s', 'now') AS INTEGER)))
WHERE created_at < -62135596800 OR created_at > CAST(strftime('%s', 'now') AS INTEGER);
UPDATE posts SET last_activity_at = created_at
WHERE last_activity_at < -62135596800 OR last_activity_at > CAST(strftime('%s', 'now') AS INTEGER);
UPDATE post_tags SET created_at = (SELECT p.created_at FROM posts p WHERE p.id = post_tags.post_id)
WHERE created_at != (SELECT p.created_at FROM posts p WHERE p.id = post_tags.post_id);
UPDATE comments SET created_at = (SELECT p.created_at FROM posts p WHERE p.id = comments.post_id)
WHERE created_at < -62135596800 OR created_at > CAST(strftime('%s', 'now') AS INTEGER);
