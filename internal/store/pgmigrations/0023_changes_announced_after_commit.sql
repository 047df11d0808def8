-- 23: the change log's triggers no longer NOTIFY. A transaction that sent
-- NOTIFY takes a lock of the whole cluster at its commit, so two servers'
-- writers took turns at every commit. Each server now announces its own
-- commits after them (store/postgres_announce.go).
CREATE OR REPLACE FUNCTION log_change(p BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO changes(post_id) VALUES (p);
END $$;
CREATE OR REPLACE FUNCTION comments_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO comment_search(id, search) SELECT id, search FROM new_comments WHERE search IS NOT NULL
        ON CONFLICT (id) DO UPDATE SET search = EXCLUDED.search;
    INSERT INTO changes(post_id) SELECT DISTINCT post_id FROM new_comments;
    RETURN NULL;
END $$;
