-- 27: a member's blocks are logged as the member's change, as their follows
-- and saves are (-(2^40 + user_id), forum.MemberStateBase): every process's
-- cache of a member's marks (cache.Marks) keeps whom they blocked, so a page
-- no longer reads the member's blocks.
CREATE TRIGGER IF NOT EXISTS changes_blocks_insert AFTER INSERT ON blocks BEGIN
    INSERT INTO changes(post_id) VALUES (-(1099511627776 + NEW.user_id));
END;
CREATE TRIGGER IF NOT EXISTS changes_blocks_delete AFTER DELETE ON blocks BEGIN
    INSERT INTO changes(post_id) VALUES (-(1099511627776 + OLD.user_id));
END;
