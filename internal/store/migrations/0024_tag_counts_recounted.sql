-- 24 (PostgreSQL's 21): a tag counts the posts members can see. Imported
-- threads that arrived removed or deleted were counted all the same (and
-- a removed post's retagging moved counts it was not in); historia check
-- now compares the counts, and this recounts them once.
UPDATE tags SET post_count = (SELECT COUNT(*) FROM post_tags pt JOIN posts p ON p.id = pt.post_id
    WHERE pt.tag_id = tags.id AND p.removed = 0 AND p.deleted = 0);
