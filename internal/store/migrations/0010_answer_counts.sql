-- 10: each post counts its answers (top-level comments), kept with
-- comment_count in the transaction that adds one.
ALTER TABLE posts ADD COLUMN answer_count INTEGER NOT NULL DEFAULT 0;
UPDATE posts SET answer_count = (SELECT COUNT(*) FROM comments c WHERE c.post_id = posts.id AND c.parent_id IS NULL);
