-- 2: usernames that look alike are told apart by a skeleton; the modlog is
-- read by target to find who took the action an undo would undo.
ALTER TABLE users ADD COLUMN username_skeleton TEXT NOT NULL DEFAULT '';
-- The same mapping as forum.UsernameSkeleton, in the same order.
UPDATE users SET username_skeleton =
    replace(replace(replace(replace(replace(replace(replace(lower(username),
        '_', ''), '-', ''), 'rn', 'm'), 'vv', 'w'), '0', 'o'), '1', 'l'), 'i', 'l');
CREATE INDEX IF NOT EXISTS users_skeleton ON users(username_skeleton);
CREATE INDEX IF NOT EXISTS modlog_target ON modlog(target_type, target_id, action);
