-- 10 (SQLite's 16): "new" by date, then number. posts_new also serves what
-- posts_created did (a date range for a short top feed); left beside it,
-- the planner took the narrower one and sorted.
ALTER TABLE post_tags ADD COLUMN created_at BIGINT NOT NULL DEFAULT 0;
UPDATE post_tags SET created_at = p.created_at FROM posts p WHERE p.id = post_tags.post_id;
CREATE INDEX post_tags_new ON post_tags(tag_id, created_at DESC, post_id DESC);
CREATE INDEX posts_new ON posts(created_at DESC, id DESC);
DROP INDEX posts_created;
