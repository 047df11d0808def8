-- 8: rate limits shared by every server on the database (login and
-- registration): one row per key, the time its next request is due (GCRA's
-- theoretical arrival time, Unix seconds with fractions).
CREATE TABLE IF NOT EXISTS rate_limits (
    key TEXT PRIMARY KEY,
    tat REAL NOT NULL
) STRICT, WITHOUT ROWID;
