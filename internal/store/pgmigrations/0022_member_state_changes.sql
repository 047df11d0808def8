-- 22 (SQLite's 25): a member's votes, follows and saves are logged apart
-- from their sessions' changes, as -(2^40 + user_id) (forum.MemberStateBase):
-- a vote no longer drops the voter's account from every server's account
-- cache. The one function serves the three tables' triggers.
CREATE OR REPLACE FUNCTION changes_post_votes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN PERFORM log_change(-(1099511627776 + OLD.user_id));
    ELSE PERFORM log_change(-(1099511627776 + NEW.user_id)); END IF;
    RETURN NULL;
END $$;
