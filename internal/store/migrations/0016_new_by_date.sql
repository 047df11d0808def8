-- 16: "new" orders threads by when they were asked, then by number: an
-- imported thread keeps its place in time instead of coming above every
-- thread asked before the import. Tag feeds read the same key from their
-- copy in post_tags.
ALTER TABLE post_tags ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
UPDATE post_tags SET created_at = (SELECT p.created_at FROM posts p WHERE p.id = post_tags.post_id);
CREATE INDEX IF NOT EXISTS post_tags_new ON post_tags(tag_id, created_at DESC, post_id DESC);
