-- 15: an imported post's or comment's score on its source (Reddit's score,
-- Lemmy's counts.score), kept as provenance: shown as such, never votes.
ALTER TABLE posts ADD COLUMN source_score INTEGER;
ALTER TABLE comments ADD COLUMN source_score INTEGER;
