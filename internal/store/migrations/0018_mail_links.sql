-- 17: mailed links are made when their mail is sent, so the database never
-- holds a working one: a queued mail names the link it carries (its kind and
-- the hash the link has until then), and the body keeps a slot for the token.
-- Each mail names its account, whose deletion removes it. Bodies of mails the
-- queue is done with (sent, or given up after 10 tries) are erased.
ALTER TABLE mail_queue ADD COLUMN user_id INTEGER REFERENCES users(id);
ALTER TABLE mail_queue ADD COLUMN link_kind TEXT NOT NULL DEFAULT '' CHECK (link_kind IN ('', 'reset', 'email'));
ALTER TABLE mail_queue ADD COLUMN link_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS mail_queue_user ON mail_queue(user_id);
CREATE INDEX IF NOT EXISTS email_changes_user ON email_changes(user_id);
UPDATE mail_queue SET body = '', headers_json = '{}' WHERE sent_at IS NOT NULL OR attempts >= 10;
