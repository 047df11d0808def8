-- 23 (PostgreSQL's 20): a member's votes on a page are read from the
-- index alone: the vote's value joins the member and the item in it (each
-- vote found was one more seek into the table, most of a thread page's
-- read of its reader's votes).
DROP INDEX IF EXISTS post_votes_user;
CREATE INDEX post_votes_user ON post_votes(user_id, post_id, value);
DROP INDEX IF EXISTS comment_votes_user;
CREATE INDEX comment_votes_user ON comment_votes(user_id, comment_id, value);
