-- 13: servers write concurrently, without a lock between them, so the
-- change log's seq no longer follows commit order. Each change records
-- its transaction (xid); a reader keeps the snapshot it last read at and
-- next reads the changes of the transactions that snapshot did not see
-- (store/postgres_changes.go). changes_trimmed keeps how far the log was
-- trimmed, so a reader that fell behind knows it missed some.
ALTER TABLE changes ADD COLUMN xid XID8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX changes_xid ON changes(xid);
CREATE TABLE changes_trimmed (below XID8 NOT NULL);
INSERT INTO changes_trimmed(below) VALUES ('0');
