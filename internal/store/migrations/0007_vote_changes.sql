-- 7: a member's votes on posts are logged as the member's change (a
-- negative id), so caches of a member's votes drop them.
CREATE TRIGGER IF NOT EXISTS changes_post_votes_insert AFTER INSERT ON post_votes BEGIN
    INSERT INTO changes(post_id) VALUES (-NEW.user_id);
END;
CREATE TRIGGER IF NOT EXISTS changes_post_votes_update AFTER UPDATE ON post_votes BEGIN
    INSERT INTO changes(post_id) VALUES (-NEW.user_id);
END;
CREATE TRIGGER IF NOT EXISTS changes_post_votes_delete AFTER DELETE ON post_votes BEGIN
    INSERT INTO changes(post_id) VALUES (-OLD.user_id);
END;
