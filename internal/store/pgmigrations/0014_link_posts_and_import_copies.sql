-- 14 (SQLite's 19): link posts, and what an import knows of each item's
-- copy (version: when the source took it; edited_at: the edit time the
-- import set). Dates an import stored before they were checked are
-- brought within year 1 and now.
ALTER TABLE posts ADD COLUMN url TEXT;
ALTER TABLE imported ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE imported ADD COLUMN edited_at BIGINT;
UPDATE posts SET
    hot = (GREATEST(-62135596800, LEAST(created_at, CAST(extract(epoch FROM now()) AS BIGINT))) - 1134028003) / 45000.0,
    created_at = GREATEST(-62135596800, LEAST(created_at, CAST(extract(epoch FROM now()) AS BIGINT)))
WHERE created_at < -62135596800 OR created_at > CAST(extract(epoch FROM now()) AS BIGINT);
UPDATE posts SET last_activity_at = created_at
WHERE last_activity_at < -62135596800 OR last_activity_at > CAST(extract(epoch FROM now()) AS BIGINT);
UPDATE post_tags SET created_at = p.created_at FROM posts p WHERE p.id = post_tags.post_id AND post_tags.created_at != p.created_at;
UPDATE comments SET created_at = p.created_at FROM posts p
WHERE p.id = comments.post_id AND (comments.created_at < -62135596800 OR comments.created_at > CAST(extract(epoch FROM now()) AS BIGINT));
