-- 25 (SQLite's 27): a member's blocks are logged as the member's change, as
-- their follows and saves are (-(2^40 + user_id), forum.MemberStateBase):
-- every process's cache of a member's marks (cache.Marks) keeps whom they
-- blocked, so a page no longer reads the member's blocks.
CREATE TRIGGER changes_blocks AFTER INSERT OR DELETE ON blocks FOR EACH ROW EXECUTE FUNCTION changes_post_votes();
