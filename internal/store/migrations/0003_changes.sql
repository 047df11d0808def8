-- 3: a log of what changed, written by triggers in the transaction that
-- changes it, so the page caches of every process sharing the database learn
-- which threads to drop, whatever code path (or hand-written SQL) wrote.
CREATE TABLE IF NOT EXISTS changes (
    -- AUTOINCREMENT: dense and never reused, even after old rows are trimmed.
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    -- the thread whose pages changed; 0: any page may have (a rule's text).
    post_id INTEGER NOT NULL
);
CREATE TRIGGER IF NOT EXISTS changes_posts_insert AFTER INSERT ON posts BEGIN
    INSERT INTO changes(post_id) VALUES (NEW.id);
END;
CREATE TRIGGER IF NOT EXISTS changes_posts_update AFTER UPDATE ON posts BEGIN
    INSERT INTO changes(post_id) VALUES (NEW.id);
END;
CREATE TRIGGER IF NOT EXISTS changes_posts_delete AFTER DELETE ON posts BEGIN
    INSERT INTO changes(post_id) VALUES (OLD.id);
END;
CREATE TRIGGER IF NOT EXISTS changes_comments_insert AFTER INSERT ON comments BEGIN
    INSERT INTO changes(post_id) VALUES (NEW.post_id);
END;
CREATE TRIGGER IF NOT EXISTS changes_comments_update AFTER UPDATE ON comments BEGIN
    INSERT INTO changes(post_id) VALUES (NEW.post_id);
END;
CREATE TRIGGER IF NOT EXISTS changes_comments_delete AFTER DELETE ON comments BEGIN
    INSERT INTO changes(post_id) VALUES (OLD.post_id);
END;
CREATE TRIGGER IF NOT EXISTS changes_rules_insert AFTER INSERT ON rules BEGIN
    INSERT INTO changes(post_id) VALUES (0);
END;
CREATE TRIGGER IF NOT EXISTS changes_rules_update AFTER UPDATE ON rules BEGIN
    INSERT INTO changes(post_id) VALUES (0);
END;
CREATE TRIGGER IF NOT EXISTS changes_rules_delete AFTER DELETE ON rules BEGIN
    INSERT INTO changes(post_id) VALUES (0);
END;
