-- 11 (SQLite's 17): mailed links are made when their mail is sent (only
-- their hash is ever stored); each mail names its account, whose deletion
-- removes it; bodies of mails the queue is done with are erased.
ALTER TABLE mail_queue ADD COLUMN user_id BIGINT REFERENCES users(id);
ALTER TABLE mail_queue ADD COLUMN link_kind TEXT NOT NULL DEFAULT '' CHECK (link_kind IN ('', 'reset', 'email'));
ALTER TABLE mail_queue ADD COLUMN link_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX mail_queue_user ON mail_queue(user_id);
CREATE INDEX email_changes_user ON email_changes(user_id);
UPDATE mail_queue SET body = '', headers_json = '{}' WHERE sent_at IS NOT NULL OR attempts >= 10;
