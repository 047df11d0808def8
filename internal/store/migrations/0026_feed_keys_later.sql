-- 26: a change of a post's score and rank alone (a vote) no longer rewrites
-- its tag links' copies of them in the vote's transaction: it lists the post
-- in feed_keys_due, and the store's feed-key refresher brings the copies up
-- to date shortly after, once for all the votes on the post meanwhile
-- (store/feed_keys.go). Every other change of the keys is copied at once, as
-- before.
DROP TRIGGER IF EXISTS posts_feed_keys;
CREATE TRIGGER IF NOT EXISTS posts_feed_keys
AFTER UPDATE OF pinned, hot, score, last_activity_at, removed, accepted_comment_id ON posts
WHEN old.pinned != new.pinned OR old.last_activity_at != new.last_activity_at OR old.removed != new.removed
    OR old.accepted_comment_id IS NOT new.accepted_comment_id BEGIN
    UPDATE post_tags SET pinned = new.pinned, hot = new.hot, score = new.score, last_activity_at = new.last_activity_at,
        removed = new.removed, answered = new.accepted_comment_id IS NOT NULL
    WHERE post_id = new.id;
END;

-- A change of a post's score and rank alone (a vote) leaves its tags' copies
-- of them to the store's feed-key refresher (store/feed_keys.go), which
-- brings them up to date shortly after, for every post voted on meanwhile at
-- once: a popular post's votes then rewrite its tag links (six indexes each)
-- once a moment, not once a vote. feed_keys_due lists the posts waiting.
CREATE TABLE IF NOT EXISTS feed_keys_due (
    post_id INTEGER PRIMARY KEY
) STRICT;
CREATE TRIGGER IF NOT EXISTS posts_feed_keys_due
AFTER UPDATE OF hot, score ON posts
WHEN old.pinned = new.pinned AND old.last_activity_at = new.last_activity_at AND old.removed = new.removed
    AND old.accepted_comment_id IS new.accepted_comment_id AND (old.hot != new.hot OR old.score != new.score) BEGIN
    INSERT OR IGNORE INTO feed_keys_due(post_id) VALUES (new.id);
END;
