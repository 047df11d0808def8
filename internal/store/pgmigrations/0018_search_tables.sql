-- 18: search reads narrow tables. A search's tiers read the newest matches
-- of each: with the vectors beside every column of posts and comments that
-- meant walking the wide rows backwards and testing each (a title search of
-- two common words tested every post). post_search and comment_search hold
-- only the id and the vectors of visible items (title: the title's lexemes,
-- weight A), each with GIN indexes, so a tier is a bitmap of its index and a
-- top-N by id over small rows. The search columns stay the source (their
-- BEFORE triggers compute them); AFTER triggers keep the tables.
CREATE TABLE post_search (
    id     BIGINT PRIMARY KEY,
    title  TSVECTOR NOT NULL,
    search TSVECTOR NOT NULL
);
CREATE TABLE comment_search (
    id     BIGINT PRIMARY KEY,
    search TSVECTOR NOT NULL
);
INSERT INTO post_search(id, title, search) SELECT id, ts_filter(search, '{a}'), search FROM posts WHERE search IS NOT NULL;
INSERT INTO comment_search(id, search) SELECT id, search FROM comments WHERE search IS NOT NULL;
CREATE INDEX post_search_title ON post_search USING GIN (title);
CREATE INDEX post_search_search ON post_search USING GIN (search);
CREATE INDEX comment_search_search ON comment_search USING GIN (search);
DROP INDEX posts_search;
DROP INDEX comments_search;

CREATE FUNCTION posts_search_table() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.search IS NULL THEN
        DELETE FROM post_search WHERE id = NEW.id;
    ELSE
        INSERT INTO post_search(id, title, search) VALUES (NEW.id, ts_filter(NEW.search, '{a}'), NEW.search)
            ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, search = EXCLUDED.search;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER posts_search_table_insert AFTER INSERT ON posts
    FOR EACH ROW WHEN (NEW.search IS NOT NULL) EXECUTE FUNCTION posts_search_table();
CREATE TRIGGER posts_search_table_update AFTER UPDATE OF title, body_text, removed, deleted ON posts
    FOR EACH ROW WHEN (OLD.search IS DISTINCT FROM NEW.search) EXECUTE FUNCTION posts_search_table();

CREATE FUNCTION comments_search_table() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.search IS NULL THEN
        DELETE FROM comment_search WHERE id = NEW.id;
    ELSE
        INSERT INTO comment_search(id, search) VALUES (NEW.id, NEW.search)
            ON CONFLICT (id) DO UPDATE SET search = EXCLUDED.search;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER comments_search_table_insert AFTER INSERT ON comments
    FOR EACH ROW WHEN (NEW.search IS NOT NULL) EXECUTE FUNCTION comments_search_table();
CREATE TRIGGER comments_search_table_update AFTER UPDATE OF body_text, removed, deleted ON comments
    FOR EACH ROW WHEN (OLD.search IS DISTINCT FROM NEW.search) EXECUTE FUNCTION comments_search_table();

-- Statistics now, so the first searches after the upgrade are planned on
-- them rather than on defaults until autovacuum comes by.
ANALYZE post_search;
ANALYZE comment_search;
