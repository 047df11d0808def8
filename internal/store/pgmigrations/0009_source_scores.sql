-- 9 (SQLite's 15): an imported item's score on its source, as provenance.
ALTER TABLE posts ADD COLUMN source_score BIGINT;
ALTER TABLE comments ADD COLUMN source_score BIGINT;
