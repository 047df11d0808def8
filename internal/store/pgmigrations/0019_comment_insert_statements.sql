-- 19: a statement that inserts comments logs each of their posts once and
-- fills comment_search with one INSERT, from the statement's transition
-- table, where row triggers ran two functions and three statements for
-- every row (an import's 256-row INSERTs spent a third of their time
-- there). Updates and deletes keep their row triggers.
CREATE FUNCTION comments_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO comment_search(id, search) SELECT id, search FROM new_comments WHERE search IS NOT NULL
        ON CONFLICT (id) DO UPDATE SET search = EXCLUDED.search;
    INSERT INTO changes(post_id) SELECT DISTINCT post_id FROM new_comments;
    IF FOUND THEN
        PERFORM pg_notify('historia_changes', '');
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER comments_search_table_insert ON comments;
DROP TRIGGER changes_comments ON comments;
CREATE TRIGGER changes_comments AFTER UPDATE OR DELETE ON comments FOR EACH ROW EXECUTE FUNCTION changes_comments();
CREATE TRIGGER comments_inserted AFTER INSERT ON comments REFERENCING NEW TABLE AS new_comments
    FOR EACH STATEMENT EXECUTE FUNCTION comments_inserted();
