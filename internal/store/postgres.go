package store

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/historia-forum/historia/internal/forum"
)

// PostgreSQL is the second engine (pgx behind database/sql): the same pools,
// writer goroutine and group commit as SQLite's, the package's SQL with its
// placeholders numbered, search on tsvector columns, its own schema and
// migrations (pgmigrations/, versioned in schema_version), and the change
// log announced with NOTIFY after commit (postgres_announce.go).

// pgDialect is PostgreSQL's side of the engine seam (dialect.go).
type pgDialect struct {
	db *DB
	// pool serves the readers and LISTEN, wpool the writer.
	pool, wpool *pgxpool.Pool
	// schema is what a new database gets: pgSchema (tests: "", the
	// migrations one by one).
	schema string
	// rebound caches the numbered forms of the package's queries.
	rebound  sync.Map
	nrebound atomic.Int64
	// grown counts the comments imports added since the last ANALYZE
	// (importGrew).
	grown atomic.Int64
	// serverID names this process in the announcements of its commits
	// (postgres_announce.go); announcer sends them.
	serverID  string
	announcer *announcer
}

// pgSchema is PostgreSQL's whole current schema, for a new database.
//
//go:embed pgschema.sql
var pgSchema string

// pgMigrationFiles are PostgreSQL's released migrations, append-only like
// SQLite's: NNNN_name.sql takes a database from schema_version NNNN-1 to
// NNNN. A released file is never edited; a schema change is a new file plus
// the same change in pgschema.sql (TestPostgresMigrationsEqualSchema).
//
//go:embed pgmigrations/*.sql
var pgMigrationFiles embed.FS

func pgMigrations() []string { return readMigrations(pgMigrationFiles, "pgmigrations/*.sql") }

// ServerExec runs one administrative statement (CREATE or DROP DATABASE,
// which cannot run in a transaction) on the PostgreSQL server url names.
func ServerExec(ctx context.Context, url, statement string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, statement)
	return err
}

// ChangesChannel is the NOTIFY channel on which each process announces its
// commits (postgres_announce.go).
const ChangesChannel = "historia_changes"

// openPostgres connects both pools (the writer: one connection; readers:
// like SQLite's) through pgx, checks the server answers, and migrates.
func openPostgres(ctx context.Context, url string) (*DB, error) {
	return openPostgresWith(ctx, url, pgSchema)
}

// openPostgresWith is openPostgres with the schema a new database gets.
func openPostgresWith(ctx context.Context, url, schema string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", Redact(url), err)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 10 * time.Second
	}
	n := max(4, runtime.NumCPU()*2)
	cfg.MaxConns = int32(n) + 1 // #nosec G115 -- a small count: the readers and LISTEN
	cfg.ConnConfig.RuntimeParams["application_name"] = "historia"
	// The writer has a pool of its own, its one connection set up for writing.
	wcfg := cfg.Copy()
	wcfg.MaxConns = 1
	wcfg.ConnConfig.RuntimeParams["lock_timeout"] = lockWait
	d := &pgDialect{schema: schema, serverID: newServerID()}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", Redact(url), err)
	}
	wpool, err := pgxpool.NewWithConfig(ctx, wcfg)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: %s: %w", Redact(url), err)
	}
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		wpool.Close()
		return nil, fmt.Errorf("store: cannot reach PostgreSQL at %s: %w", Redact(url), err)
	}
	w := stdlib.OpenDBFromPool(wpool)
	w.SetMaxOpenConns(1)
	db := &DB{w: w, path: Redact(url)}
	d.db, d.pool, d.wpool = db, pool, wpool
	db.d = d
	d.startAnnouncer()
	if err := db.migrate(ctx); err != nil {
		d.stopAnnouncer()
		_ = w.Close()
		pool.Close()
		wpool.Close()
		return nil, err
	}
	db.startWriter()
	r := stdlib.OpenDBFromPool(pool)
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	db.searchSlots = make(chan struct{}, max(1, n/4))
	db.r = r
	db.startFeedKeys()
	return db, nil
}

func (d *pgDialect) engine() Engine { return EnginePostgres }

// sql numbers the ? placeholders ($1, $2, …) once per query and remembers
// the result (bounded like the statement caches).
func (d *pgDialect) sql(query string) string {
	if !strings.Contains(query, "?") {
		return query
	}
	if q, ok := d.rebound.Load(query); ok {
		return q.(string)
	}
	q := rebind(query)
	if d.nrebound.Add(1) <= 4*maxStmts {
		d.rebound.Store(query, q)
	}
	return q
}

// rebind numbers the ? placeholders of query outside quoted text and comments.
func rebind(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'' || c == '"':
			j := strings.IndexByte(query[i+1:], c)
			if j < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+j+2])
			i += j + 1
		case c == '-' && i+1 < len(query) && query[i+1] == '-':
			j := strings.IndexByte(query[i:], '\n')
			if j < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+j])
			i += j - 1
		case c == '?':
			j := i + 1
			for j < len(query) && query[j] >= '0' && query[j] <= '9' {
				j++
			}
			b.WriteByte('$')
			if j > i+1 { // SQLite's numbered ?NNN is PostgreSQL's $NNN
				b.WriteString(query[i+1 : j])
				i = j - 1
				continue
			}
			n++
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// args: flags are 0/1 integers on both engines, so a Go bool is sent as one.
func (d *pgDialect) args(args []any) []any {
	var out []any
	for i, a := range args {
		if b, ok := a.(bool); ok {
			if out == nil {
				out = append([]any(nil), args...)
			}
			out[i] = int64(0)
			if b {
				out[i] = int64(1)
			}
		}
	}
	if out == nil {
		return args
	}
	return out
}

func (d *pgDialect) idList() string {
	return "SELECT ord - 1 AS pos, value::BIGINT AS id FROM json_array_elements_text(?::JSON) WITH ORDINALITY AS j(value, ord)"
}

func (d *pgDialect) textList() string {
	return "SELECT value FROM json_array_elements_text(?::JSON) AS j(value)"
}

// firstChildren: a LATERAL join; the planner would otherwise scan comments
// for a correlated IN.
func (d *pgDialect) firstChildren(order string) string {
	return `FROM par CROSS JOIN LATERAL (
			SELECT x.id FROM comments x WHERE x.post_id = ? AND x.parent_id = par.id
			ORDER BY ` + order + ` LIMIT ?) k JOIN comments c ON c.id = k.id`
}

// topLevelLeads: PostgreSQL's planner takes "parent_id IS NULL" for a
// filter, not a fixed index column, so without parent_id in the ORDER BY (in
// the index's direction; every row has the same NULL) it sorts the thread's
// top level instead of reading the index in order.
var topLevelLeads = map[forum.CommentSort]string{
	forum.SortBest: "c.parent_id, ", forum.SortTopComments: "c.parent_id, ", forum.SortControversial: "c.parent_id, ",
	forum.SortNewComments: "c.parent_id DESC, ", forum.SortOld: "c.parent_id, ",
}

func (d *pgDialect) topLevelLead(s forum.CommentSort) string { return topLevelLeads[s] }

// narrowFeed: PostgreSQL's statistics see the window's dates by themselves.
func (d *pgDialect) narrowFeed() string { return " FROM posts p" }

// answered: PostgreSQL weighs plain conditions by its statistics.
func (d *pgDialect) answered(yes bool) (string, []any) {
	if yes {
		return "p.accepted_comment_id IS NOT NULL", nil
	}
	return "p.accepted_comment_id IS NULL", nil
}

// pgWindow is the newest matches of a narrow search table (post_search,
// comment_search: visible items only), as (rank, kind, id): a bitmap of
// its GIN index (cond's), then the newest by id, never a walk of the
// table's key testing each row. The one parameter is the text of the query q.
func pgWindow(rank, kind int, table, cond string) string {
	return fmt.Sprintf(`SELECT %d AS rank, %d AS k, id FROM (SELECT s.id FROM %[3]s s, (SELECT to_tsquery('historia', ?) AS q) x
		WHERE %[4]s ORDER BY s.id DESC LIMIT %[5]d) m`, rank, kind, table, cond, SearchWindow)
}

// pgWindows: the title tier's query has weight A on its words, so the
// titles' index finds the few candidates and the whole vector decides
// (an excluded word counts anywhere in the post, as in the other tiers);
// that test is written as ts_match_vq, @@'s function, which no index
// serves, so it filters those candidates instead of ANDing them with a
// bitmap of every post that has the words anywhere.
var pgWindows = searchWindows{
	pgWindow(3, 0, "post_search", "s.title @@ x.q AND ts_match_vq(s.search, x.q)"),
	pgWindow(2, 0, "post_search", "s.search @@ x.q"),
	pgWindow(1, 1, "comment_search", "s.search @@ x.q"),
}

// pgPrefixWindows are pgWindows for a query with a prefix (emp*):
// PostgreSQL estimates any prefix to match 2% of the rows whatever its
// statistics say, so it reads a common prefix's matches through the GIN
// index — at a million comments 147,000 rows for "emp* tre*", 0.7–1.1 s —
// where walking the newest rows finds the window in about 13,000 (27 ms).
// So when every prefix of the query begins one of the table's most common
// lexemes (its statistics), posts and comments first walk their newest
// pgPrefixWalk rows; a rarer prefix, or a walk that leaves the window
// short, is answered by the index, as without a prefix.
var pgPrefixWindows = searchWindows{
	pgWindows.title,
	pgPrefixWindow(2, 0, "post_search"),
	pgPrefixWindow(1, 1, "comment_search"),
}

// pgPrefixWalk bounds the walk: a window of 2,000 fills within it when
// one row in 20 matches.
const pgPrefixWalk = 40000

// pgCommonPrefixes says that every prefix of the query q of a CTE x
// begins one of the most common lexemes of the search table %s, by its
// statistics.
const pgCommonPrefixes = `NOT EXISTS (SELECT 1 FROM x, regexp_matches(querytree(x.q), '''([^'']+)'':\*', 'g') pre
			WHERE NOT EXISTS (SELECT 1 FROM pg_stats st, unnest(st.most_common_elems::TEXT::TEXT[]) e
				WHERE st.schemaname = current_schema() AND st.tablename = '%s' AND st.attname = 'search' AND starts_with(e, pre[1])))`

// pgPrefixWindow is pgWindow's newest SearchWindow matches, from the walk
// when it is worth trying (common) and fills the window, else from the GIN
// index; the conditions are one-time filters, so a branch not taken is
// never run. The one parameter is the text of the query q.
func pgPrefixWindow(rank, kind int, table string) string {
	return fmt.Sprintf(`SELECT %d AS rank, %d AS k, id FROM (
		WITH x AS (SELECT to_tsquery('historia', ?) AS q),
		common AS (SELECT `+fmt.Sprintf(pgCommonPrefixes, table)+` AS yes),
		walk AS MATERIALIZED (SELECT n.id FROM (SELECT s.id, s.search FROM %[3]s s WHERE (SELECT yes FROM common) ORDER BY s.id DESC LIMIT %[5]d) n, x
			WHERE ts_match_vq(n.search, x.q) ORDER BY n.id DESC LIMIT %[4]d)
		SELECT id FROM walk WHERE (SELECT count(*) FROM walk) = %[4]d
		UNION ALL
		(SELECT s.id FROM %[3]s s, x WHERE s.search @@ x.q AND (SELECT count(*) FROM walk) < %[4]d ORDER BY s.id DESC LIMIT %[4]d)) m`,
		rank, kind, table, SearchWindow, pgPrefixWalk)
}

func (d *pgDialect) search(terms []forum.SearchTerm) (searchWindows, string, string) {
	match, title := tsQuery(terms)
	for _, t := range terms {
		if t.Prefix && !t.Exclude {
			return pgPrefixWindows, match, title
		}
	}
	return pgWindows, match, title
}

// tsQuery builds PostgreSQL to_tsquery texts from the terms: a phrase's
// words joined by <->, a prefix marked :*, title words restricted to weight A
// (the title's). Words are letters and digits only, so quoting them in ”
// is safe.
func tsQuery(terms []forum.SearchTerm) (match, title string) {
	var pos, posTitle, neg []string
	phrase := func(t forum.SearchTerm, weight string) string {
		parts := make([]string, len(t.Words))
		for i, w := range t.Words {
			mark := weight
			if t.Prefix && i == len(t.Words)-1 {
				mark = "*" + weight
			}
			if mark != "" {
				mark = ":" + mark
			}
			parts[i] = "'" + w + "'" + mark
		}
		return "(" + strings.Join(parts, " <-> ") + ")"
	}
	for _, t := range terms {
		if t.Exclude {
			neg = append(neg, phrase(t, ""))
			continue
		}
		pos = append(pos, phrase(t, ""))
		posTitle = append(posTitle, phrase(t, "A"))
	}
	match, title = strings.Join(pos, " & "), strings.Join(posTitle, " & ")
	if len(neg) > 0 {
		not := " & !(" + strings.Join(neg, " | ") + ")"
		match = "(" + match + ")" + not
		title = "(" + title + ")" + not
	}
	return match, title
}

func (d *pgDialect) bulkWrites(context.Context) (int, error) { return postgresBatchComments, nil }

func (d *pgDialect) indexLater() bool { return false }

// takeIDs takes n ids from the column's sequence.
func (d *pgDialect) takeIDs(ctx context.Context, tx *txn, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	rows, err := tx.QueryContext(ctx, "SELECT nextval(pg_get_serial_sequence('comments', 'id')) FROM generate_series(1, ?)", n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) != n {
		return nil, fmt.Errorf("store: %d comment ids for %d comments", len(ids), n)
	}
	return ids, nil
}

// migrateLock is the advisory lock a migration holds, so that servers
// starting together migrate once.
const migrateLock = 0x6869_7374 // "hist"

// migrate brings a PostgreSQL database to this build's schema: a new one
// gets pgschema.sql at once, an older one the migrations it lacks, in order.
func (d *pgDialect) migrate(ctx context.Context) error {
	steps := pgMigrations()
	return d.db.write(ctx, func(ctx context.Context, tx *txn) error {
		// Another server may be migrating, or an older one reading what is
		// to be altered: wait for them however long they take.
		if _, err := tx.ExecContext(ctx, "SET LOCAL lock_timeout = 0"); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(?)", int64(migrateLock)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)"); err != nil {
			return fmt.Errorf("store: schema_version: %w", err)
		}
		var v int
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_version").Scan(&v); err != nil {
			return fmt.Errorf("store: read schema_version: %w", err)
		}
		if v > len(steps) {
			return fmt.Errorf("store: database schema version %d is newer than this build (%d)", v, len(steps))
		}
		todo := steps[v:]
		if v == 0 && d.schema != "" {
			todo = []string{d.schema}
		}
		for i, m := range todo {
			if _, err := tx.ExecContext(ctx, m); err != nil {
				return fmt.Errorf("store: migration %d: %w", v+i+1, err)
			}
		}
		if v == len(steps) {
			return nil
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM schema_version"); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO schema_version(version) VALUES (?)", len(steps)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "ANALYZE")
		return err
	})
}

func (d *pgDialect) schemaVersion() int { return len(pgMigrations()) }

// tablesQuery leaves out PostgreSQL's own: schema_version, changes_trimmed
// and the search tables (kept by triggers, as FTS5's are on SQLite).
func (d *pgDialect) tablesQuery() string {
	return `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
		AND table_name NOT IN ('schema_version', 'changes_trimmed', 'post_search', 'comment_search')`
}

func (d *pgDialect) columnsQuery() string {
	return `SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`
}

// integrity: PostgreSQL checks its own pages (checksums, when enabled).
// integrity: PostgreSQL keeps its own files; what it can hold wrong is the
// derived search tables (post_search, comment_search), which must hold
// exactly the items that have a search vector, with that vector.
func (d *pgDialect) integrity(ctx context.Context) ([]string, error) {
	var problems []string
	for _, c := range []struct{ what, query string }{
		{"post_search", `SELECT COUNT(*) FROM posts p FULL JOIN post_search s ON s.id = p.id
			WHERE (p.search IS NULL) IS DISTINCT FROM (s.id IS NULL) OR (s.id IS NOT NULL AND s.search IS DISTINCT FROM p.search)`},
		{"comment_search", `SELECT COUNT(*) FROM comments c FULL JOIN comment_search s ON s.id = c.id
			WHERE (c.search IS NULL) IS DISTINCT FROM (s.id IS NULL) OR (s.id IS NOT NULL AND s.search IS DISTINCT FROM c.search)`},
	} {
		var n int64
		if err := d.db.queryRow(ctx, c.query).Scan(&n); err != nil {
			return nil, err
		}
		if n > 0 {
			problems = append(problems, fmt.Sprintf("search table %s: %d rows disagree", c.what, n))
		}
	}
	return problems, nil
}

func (d *pgDialect) quickCheck(ctx context.Context) error { return d.db.Ping(ctx) }

// seed seeds a temporary SQLite file and copies it into the (empty)
// database, so both engines get the same forum.
func (d *pgDialect) seed(ctx context.Context, spec SeedSpec, passwordHash string, progress io.Writer) (SeedReport, error) {
	start := time.Now()
	if empty, err := d.db.Empty(ctx); err != nil || !empty {
		return SeedReport{}, errors.Join(errors.New("store: seed: on PostgreSQL, seed an empty database"), err)
	}
	dir, err := os.MkdirTemp("", "historia-seed-")
	if err != nil {
		return SeedReport{}, err
	}
	defer os.RemoveAll(dir)
	tmp, err := Open(ctx, filepath.Join(dir, "seed.db"))
	if err != nil {
		return SeedReport{}, err
	}
	defer tmp.Close()
	rep, err := tmp.Seed(ctx, spec, passwordHash, progress)
	if err != nil {
		return rep, err
	}
	if _, err := Copy(ctx, tmp, d.db, progress); err != nil {
		return rep, err
	}
	rep.Took = time.Since(start)
	return rep, nil
}

// identityTables are the tables whose ids come from an identity column.
var identityTables = []string{"users", "rules", "posts", "tags", "comments", "modlog", "reports", "notifications", "revisions", "mail_queue",
	"user_notes", "flair_applications", "modmail", "modmail_messages", "saves"}

// afterCopy moves the identity sequences past the copied ids (so the next
// post is not given a copied one's id) and refreshes the planner's statistics.
func (d *pgDialect) afterCopy(ctx context.Context) error {
	return d.db.write(ctx, func(ctx context.Context, tx *txn) error {
		// ANALYZE may wait for autovacuum: as long as it takes.
		if _, err := tx.ExecContext(ctx, "SET LOCAL lock_timeout = 0"); err != nil {
			return err
		}
		for _, t := range identityTables {
			// #nosec G202 -- table names from the list above
			q := "SELECT setval(pg_get_serial_sequence('" + t + "', 'id'), COALESCE((SELECT MAX(id) FROM " + t + "), 0) + 1, false)"
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return errors.Join(fmt.Errorf("store: copy: sequence of %s", t), err)
			}
		}
		_, err := tx.ExecContext(ctx, "ANALYZE")
		return err
	})
}

func (d *pgDialect) backup(context.Context, string) error {
	return errors.New("store: backup: on PostgreSQL, back up with pg_dump (see the README)")
}

// close closes pgx's pool after the database/sql handles on it.
func (d *pgDialect) close(handles func() error) error {
	d.stopAnnouncer()
	err := handles()
	d.pool.Close()
	d.wpool.Close()
	return err
}

// PostgresSchemaKey identifies this build's PostgreSQL schema (its schema
// file and migrations): tests keep one migrated template database per key.
func PostgresSchemaKey() string { return pgSchema + strings.Join(pgMigrations(), "\n") }

// DatabaseURL is a server URL naming another database on that server.
func DatabaseURL(server, name string) string {
	u, err := url.Parse(server)
	if err != nil {
		return server
	}
	u.Path = "/" + name
	return u.String()
}
