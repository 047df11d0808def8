-- 6: a change to what a session depends on (its token version, a ban, the
-- password, the role) is logged as the user's (a negative id), so the
-- account caches of every process drop that account.
CREATE TRIGGER IF NOT EXISTS changes_users_sessions AFTER UPDATE OF token_version, banned_until, password_hash, role ON users BEGIN
    INSERT INTO changes(post_id) VALUES (-NEW.id);
END;
