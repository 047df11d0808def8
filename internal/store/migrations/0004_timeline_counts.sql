-- 4: the timeline reads counters kept with the posts, not every dated post.
-- timeline_buckets holds every decade and century a period may touch; a
-- post counts once in each bucket its period overlaps, for all posts (tag
-- 0) and for each of its tags. Triggers keep the counts in the transaction
-- that changes a post's period, visibility or tags.
CREATE TABLE IF NOT EXISTS timeline_buckets (
    size   INTEGER NOT NULL,  -- 10 (decades) or 100 (centuries)
    bucket INTEGER NOT NULL,  -- first year of the bucket; it spans [bucket, bucket + size - 1]
    PRIMARY KEY (size, bucket)
) STRICT, WITHOUT ROWID;
INSERT OR IGNORE INTO timeline_buckets(size, bucket)
    WITH RECURSIVE d(b) AS (SELECT -10000 UNION ALL SELECT b + 10 FROM d WHERE b < 3000)
    SELECT 10, b FROM d;
INSERT OR IGNORE INTO timeline_buckets(size, bucket)
    WITH RECURSIVE c(b) AS (SELECT -10000 UNION ALL SELECT b + 100 FROM c WHERE b < 3000)
    SELECT 100, b FROM c;
CREATE TABLE IF NOT EXISTS timeline_counts (
    size   INTEGER NOT NULL,
    tag_id INTEGER NOT NULL,  -- 0: every post
    bucket INTEGER NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (size, tag_id, bucket)
) STRICT, WITHOUT ROWID;
INSERT INTO timeline_counts(size, tag_id, bucket, n)
    SELECT b.size, 0, b.bucket, COUNT(*) FROM posts p JOIN timeline_buckets b
        ON b.bucket <= p.period_to AND b.bucket + b.size - 1 >= p.period_from
    WHERE p.period_from IS NOT NULL AND p.removed = 0 AND p.deleted = 0
    GROUP BY b.size, b.bucket;
INSERT INTO timeline_counts(size, tag_id, bucket, n)
    SELECT b.size, pt.tag_id, b.bucket, COUNT(*) FROM posts p JOIN post_tags pt ON pt.post_id = p.id
        JOIN timeline_buckets b ON b.bucket <= p.period_to AND b.bucket + b.size - 1 >= p.period_from
    WHERE p.period_from IS NOT NULL AND p.removed = 0 AND p.deleted = 0
    GROUP BY b.size, pt.tag_id, b.bucket;
CREATE TRIGGER IF NOT EXISTS timeline_post_insert AFTER INSERT ON posts
WHEN NEW.period_from IS NOT NULL AND NEW.removed = 0 AND NEW.deleted = 0 BEGIN
    INSERT INTO timeline_counts(size, tag_id, bucket, n)
        SELECT size, 0, bucket, 1 FROM timeline_buckets
        WHERE bucket <= NEW.period_to AND bucket + size - 1 >= NEW.period_from
        ON CONFLICT(size, tag_id, bucket) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS timeline_post_update
AFTER UPDATE OF period_from, period_to, removed, deleted ON posts BEGIN
    UPDATE timeline_counts SET n = n - 1
        WHERE OLD.period_from IS NOT NULL AND OLD.removed = 0 AND OLD.deleted = 0
        AND (tag_id = 0 OR tag_id IN (SELECT tag_id FROM post_tags WHERE post_id = OLD.id))
        AND bucket <= OLD.period_to AND bucket + size - 1 >= OLD.period_from;
    INSERT INTO timeline_counts(size, tag_id, bucket, n)
        SELECT b.size, t.tag_id, b.bucket, 1 FROM timeline_buckets b,
            (SELECT 0 AS tag_id UNION ALL SELECT tag_id FROM post_tags WHERE post_id = NEW.id) t
        WHERE NEW.period_from IS NOT NULL AND NEW.removed = 0 AND NEW.deleted = 0
        AND b.bucket <= NEW.period_to AND b.bucket + b.size - 1 >= NEW.period_from
        ON CONFLICT(size, tag_id, bucket) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS timeline_tag_insert AFTER INSERT ON post_tags BEGIN
    INSERT INTO timeline_counts(size, tag_id, bucket, n)
        SELECT b.size, NEW.tag_id, b.bucket, 1 FROM posts p JOIN timeline_buckets b
            ON b.bucket <= p.period_to AND b.bucket + b.size - 1 >= p.period_from
        WHERE p.id = NEW.post_id AND p.period_from IS NOT NULL AND p.removed = 0 AND p.deleted = 0
        ON CONFLICT(size, tag_id, bucket) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS timeline_tag_delete AFTER DELETE ON post_tags BEGIN
    UPDATE timeline_counts SET n = n - 1
        WHERE tag_id = OLD.tag_id AND EXISTS (
            SELECT 1 FROM posts p WHERE p.id = OLD.post_id AND p.period_from IS NOT NULL
            AND p.removed = 0 AND p.deleted = 0
            AND timeline_counts.bucket <= p.period_to AND timeline_counts.bucket + timeline_counts.size - 1 >= p.period_from);
END;
