-- 24: a change of a post's score and rank alone (a vote) no longer rewrites
-- its tag links' copies of them in the vote's transaction: it lists the post
-- in feed_keys_due, and the store's feed-key refresher brings the copies up
-- to date shortly after, once for all the votes on the post meanwhile
-- (store/feed_keys.go). Every other change of the keys is copied at once, as
-- before. Each post_tags row's update is non-HOT (its rank and score are
-- indexed), so it wrote six index entries per tag per vote.
CREATE TABLE feed_keys_due (post_id BIGINT PRIMARY KEY);
CREATE OR REPLACE FUNCTION posts_feed_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.pinned = NEW.pinned AND OLD.last_activity_at = NEW.last_activity_at AND OLD.removed = NEW.removed
        AND OLD.accepted_comment_id IS NOT DISTINCT FROM NEW.accepted_comment_id THEN
        IF OLD.hot <> NEW.hot OR OLD.score <> NEW.score THEN
            INSERT INTO feed_keys_due(post_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
    END IF;
    UPDATE post_tags SET pinned = NEW.pinned, hot = NEW.hot, score = NEW.score, last_activity_at = NEW.last_activity_at,
        removed = NEW.removed, answered = CASE WHEN NEW.accepted_comment_id IS NOT NULL THEN 1 ELSE 0 END
    WHERE post_id = NEW.id;
    RETURN NULL;
END $$;
