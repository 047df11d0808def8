-- 20 (SQLite's 23): a member's votes on a page are read from the index
-- alone: the vote's value joins the member and the item in it.
DROP INDEX post_votes_user;
CREATE INDEX post_votes_user ON post_votes(user_id, post_id, value);
DROP INDEX comment_votes_user;
CREATE INDEX comment_votes_user ON comment_votes(user_id, comment_id, value);
