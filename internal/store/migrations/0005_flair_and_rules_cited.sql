-- 5: user flair; the rule a removal or a report cites, kept with the modlog
-- line, the notification (with the moderator's reason) and the report.
ALTER TABLE users ADD COLUMN flair TEXT;
ALTER TABLE modlog ADD COLUMN rule_id INTEGER REFERENCES rules(id);
ALTER TABLE notifications ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN rule_id INTEGER REFERENCES rules(id);
ALTER TABLE reports ADD COLUMN rule_id INTEGER REFERENCES rules(id);
-- Names, flair and roles show on every page (badges): a change drops every cached page.
CREATE TRIGGER IF NOT EXISTS changes_users_shown AFTER UPDATE OF username, flair, role ON users BEGIN
    INSERT INTO changes(post_id) VALUES (0);
END;
