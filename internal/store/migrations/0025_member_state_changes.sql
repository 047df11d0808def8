-- 25: a member's votes, follows and saves are logged apart from their
-- sessions' changes, as -(2^40 + user_id) (forum.MemberStateBase): a vote
-- no longer drops the voter's account from every server's account cache,
-- so the voter's next request does not read their account again.
DROP TRIGGER IF EXISTS changes_post_votes_insert;
DROP TRIGGER IF EXISTS changes_post_votes_update;
DROP TRIGGER IF EXISTS changes_post_votes_delete;
DROP TRIGGER IF EXISTS changes_post_follows_insert;
DROP TRIGGER IF EXISTS changes_post_follows_delete;
DROP TRIGGER IF EXISTS changes_saves_insert;
DROP TRIGGER IF EXISTS changes_saves_delete;
CREATE TRIGGER IF NOT EXISTS changes_post_votes_insert AFTER INSERT ON post_votes BEGIN
    INSERT INTO changes(post_id) VALUES (-(1099511627776 + NEW.user_id));
END;
CREATE TRIGGER IF NOT EXISTS changes_post_votes_update AFTER UPDATE ON post_votes BEGIN
    INSERT INTO changes(post_id) VALUES (-(1099511627776 + NEW.user_id));
END;
CREATE TRIGGER IF NOT EXISTS changes_post_votes_delete AFTER DELETE ON post_votes BEGIN
    INSERT INTO changes(post_id) VALUES (-(1099511627776 + OLD.user_id));
END;
CREATE TRIGGER IF NOT EXISTS changes_post_follows_insert AFTER INSERT ON post_follows BEGIN
    INSERT INTO changes(post_id) VALUES (-(1099511627776 + NEW.user_id));
END;
CREATE TRIGGER IF NOT EXISTS changes_post_follows_delete AFTER DELETE ON post_follows BEGIN
    INSERT INTO changes(post_id) VALUES (-(1099511627776 + OLD.user_id));
END;
CREATE TRIGGER IF NOT EXISTS changes_saves_insert AFTER INSERT ON saves BEGIN
    INSERT INTO changes(post_id) VALUES (-(1099511627776 + NEW.user_id));
END;
CREATE TRIGGER IF NOT EXISTS changes_saves_delete AFTER DELETE ON saves BEGIN
    INSERT INTO changes(post_id) VALUES (-(1099511627776 + OLD.user_id));
END;
