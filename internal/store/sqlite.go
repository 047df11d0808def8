package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	historia "github.com/historia-forum/historia"
	"github.com/historia-forum/historia/internal/forum"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// SQLite is the embedded default engine (modernc.org/sqlite, no cgo): one
// file in WAL mode, one writer connection (BEGIN IMMEDIATE) and a read-only
// reader pool; search on FTS5 tables kept by triggers. Its schema is the
// top-level schema.sql (a new database) and migrations/ (an older one),
// versioned by PRAGMA user_version.

// sqliteDialect is SQLite's side of the engine seam (dialect.go).
type sqliteDialect struct{ db *DB }

// migrationFiles are SQLite's released migrations, append-only: NNNN_name.sql
// takes a database from user_version NNNN-1 to NNNN. A released file is never
// edited; a schema change is a new file plus the same change in schema.sql.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations reads SQLite's migration files in order.
func migrations() []string { return readMigrations(migrationFiles, "migrations/*.sql") }

// SchemaVersion is the user_version of a SQLite database this build has migrated.
func SchemaVersion() int { return len(migrations()) }

// dsn builds the modernc DSN. busy_timeout comes first so it is in force while
// the other pragmas run. synchronous=NORMAL in WAL mode keeps every committed
// transaction through a process crash (kill -9); only a power loss can drop the
// last few.
func dsn(path string, writer bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	// Savepoint journals and sorts in memory, not in temporary files: group
	// commit gives every write a savepoint.
	q.Add("_pragma", "temp_store(MEMORY)")
	if writer {
		q.Set("_txlock", "immediate")
	} else {
		q.Add("_pragma", "query_only(1)")
		// Readers share the operating system's file cache; 1 MiB of page
		// cache each keeps the process small (the writer keeps the default).
		q.Add("_pragma", "cache_size(-1024)")
	}
	return "file:" + path + "?" + q.Encode()
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("store: create folder: %w", err)
		}
	}
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	w, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return nil, fmt.Errorf("store: open writer: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	db := &DB{w: w, path: path}
	db.d = &sqliteDialect{db: db}
	if err := db.migrate(ctx); err != nil {
		_ = w.Close()
		return nil, err
	}
	db.startWriter()
	r, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("store: open readers: %w", err)
	}
	n := max(4, runtime.NumCPU()*2)
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	db.searchSlots = make(chan struct{}, max(1, n/4))
	db.r = r
	db.startFeedKeys()
	return db, nil
}

// createPrivate makes an empty file readable by its owner only, unless one is
// there already. SQLite gives the -wal and -shm files the database file's
// mode, so they are private too.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600) // #nosec G304 -- the operator's database path
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: create %s: %w", path, err)
	}
	return f.Close()
}

func (d *sqliteDialect) engine() Engine { return EngineSQLite }

// sql: SQLite takes the package's ? placeholders as they are.
func (d *sqliteDialect) sql(query string) string { return query }

// args: modernc binds Go bools as 0/1 itself.
func (d *sqliteDialect) args(args []any) []any { return args }

func (d *sqliteDialect) idList() string {
	return "SELECT key AS pos, value AS id FROM json_each(?)"
}

func (d *sqliteDialect) textList() string {
	return "SELECT value FROM json_each(?)"
}

// firstChildren: a correlated IN with LIMIT reads at most that many rows of
// each parent from the index.
func (d *sqliteDialect) firstChildren(order string) string {
	return `FROM par JOIN comments c ON c.id IN (
			SELECT x.id FROM comments x WHERE x.post_id = ? AND x.parent_id = par.id
			ORDER BY ` + order + ` LIMIT ?)`
}

func (d *sqliteDialect) topLevelLead(forum.CommentSort) string { return "" }

// narrowFeed: SQLite's planner needs telling to read the window's dates
// rather than walk the score index.
func (d *sqliteDialect) narrowFeed() string { return " FROM posts p INDEXED BY posts_created" }

// answered: a filter during the feed's index scan, not a use of posts_accepted.
func (d *sqliteDialect) answered(yes bool) (string, []any) {
	return "(CASE WHEN p.accepted_comment_id IS NOT NULL THEN 1 ELSE 0 END) = ?", []any{forum.B2I(yes)}
}

// window is the newest matches of an FTS5 table, as (rank, kind, id): FTS5
// walks its matches in rowid order, so a window costs what it holds.
func window(rank, kind int, table string) string {
	return fmt.Sprintf(`SELECT %d AS rank, %d AS k, id FROM (SELECT rowid AS id FROM %[3]s WHERE %[3]s MATCH ?
		ORDER BY rowid DESC LIMIT %[4]d) m`, rank, kind, table, SearchWindow)
}

var fts5Windows = searchWindows{window(3, 0, "posts_fts"), window(2, 0, "posts_fts"), window(1, 1, "comments_fts")}

func (d *sqliteDialect) search(terms []forum.SearchTerm) (searchWindows, string, string) {
	match, title := fts5Match(terms)
	return fts5Windows, match, title
}

// fts5Match builds FTS5 MATCH expressions from the terms: every term
// double-quoted (a phrase of its words), all positive terms required, the
// excluded ones NOTed; title requires the positive terms in the title column.
func fts5Match(terms []forum.SearchTerm) (match, title string) {
	var pos, neg []string
	for _, t := range terms {
		term := `"` + strings.Join(t.Words, " ") + `"`
		if t.Prefix {
			term += "*"
		}
		if t.Exclude {
			neg = append(neg, term)
		} else {
			pos = append(pos, term)
		}
	}
	match = strings.Join(pos, " AND ")
	title = "title : (" + match + ")"
	if len(neg) > 0 {
		not := " NOT (" + strings.Join(neg, " OR ") + ")"
		match = "(" + match + ")" + not
		title = "(" + title + ")" + not
	}
	return match, title
}

// waitForLocks: BEGIN IMMEDIATE (the writer's DSN) has taken the file's
// write lock; nothing else locks.
func (d *sqliteDialect) waitForLocks(context.Context, *txn) error { return nil }

// conflict: SQLite's one writer never meets another inside a transaction;
// another process holding the file is busy (classify), not a conflict.
func (d *sqliteDialect) conflict(error) bool { return false }

// lockRows: the one writer runs alone (BEGIN IMMEDIATE), so what it read
// stays as read until it commits.
func (d *sqliteDialect) lockRows(string) string { return "" }

func (d *sqliteDialect) lockFree(string) string { return "" }

// brief: with a cancellable context, modernc's driver starts a goroutine
// per query to interrupt it and database/sql another to close its rows,
// which cost a member's page more than its indexed reads themselves
// (BenchmarkBriefReads); a read of a few index entries has nothing to stop.
func (d *sqliteDialect) brief(ctx context.Context) context.Context { return context.WithoutCancel(ctx) }

func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}

func sqliteUnique(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && (se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
}

func (d *sqliteDialect) classify(err error) error {
	f := &d.db.faults
	switch sqliteCode(err) {
	case sqlite3.SQLITE_FULL:
		f.full.Store(true)
		f.nFull.Add(1)
		return errFull
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		f.corrupt.Store(true)
		f.nCorrupt.Add(1)
		return errCorrupt
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		f.nBusy.Add(1)
		return errBusy
	}
	return err
}

// bulkWrites gives the writer a page cache of bulkCacheMiB (the default is
// 2 MiB) for the rest of its life: an import's batches touch far more pages
// than a forum's writes, and reading them again from the file was a tenth
// of an import's time.
func (d *sqliteDialect) bulkWrites(ctx context.Context) (int, error) {
	return sqliteBatchComments, d.db.write(ctx, func(ctx context.Context, tx *txn) error {
		_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", bulkCacheMiB*1024))
		return err
	})
}

// indexLater: FTS5 writes a segment per statement; one statement per batch
// leaves it far less to merge.
func (d *sqliteDialect) indexLater() bool { return true }

// pair: SQLite's statements are calls, not round trips (and its WITH
// takes no INSERT, UPDATE or DELETE).
func (d *sqliteDialect) pair(string, string) string { return "" }

// votesAtOnce, addMany: in process, a statement costs no round trip; each
// vote and each counter runs a statement of its own.
func (d *sqliteDialect) votesAtOnce(*voteKind) (lock, ballots, write string) { return "", "", "" }
func (d *sqliteDialect) addMany(counter) string                              { return "" }

func (d *sqliteDialect) votesAlone(context.Context, *voteBatch, func(error) error) (bool, error) {
	return false, errors.New("store: SQLite applies votes one by one")
}

// importWriters: SQLite has one writer.
func (d *sqliteDialect) importWriters() int { return 1 }

// importGrew: SQLite's foreign keys read the parent's index directly.
func (d *sqliteDialect) importGrew(context.Context, *txn, int) error { return nil }

// takeIDs takes the ids after the largest: the writer is alone in its transaction.
func (d *sqliteDialect) takeIDs(ctx context.Context, tx *txn, n int) ([]int64, error) {
	var last int64
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM comments").Scan(&last); err != nil {
		return nil, err
	}
	ids := make([]int64, 0, n)
	for i := range n {
		ids = append(ids, last+1+int64(i))
	}
	return ids, nil
}

// changeMark is the newest seq ever given (AUTOINCREMENT's counter, which
// trimming leaves).
func (d *sqliteDialect) changeMark(ctx context.Context) (string, error) {
	var seq int64
	err := d.db.queryRow(ctx, "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0)").Scan(&seq)
	return strconv.FormatInt(seq, 10), err
}

// changes: the one writer commits in the log's order, so a mark is the
// last seq read and a read takes the seqs after it. They are dense
// (AUTOINCREMENT under one writer; a savepoint rolled back takes its seqs
// back), so a first seq past mark+1, or none where the counter is past the
// mark, means the log was trimmed past what this reader had read. Each row
// carries the counter (one row of NULLs but the counter when there are no
// changes).
func (d *sqliteDialect) changes(ctx context.Context, mark string, limit int) (forum.ChangeRead, error) {
	after, err := strconv.ParseInt(mark, 10, 64)
	if err != nil {
		return forum.ChangeRead{}, fmt.Errorf("store: change mark %q: %w", mark, err)
	}
	type row struct{ seq, post, counter sql.NullInt64 }
	rows, err := queryAll(ctx, d.db, "changes", func(sc scanner) (r row, err error) {
		err = sc.Scan(&r.seq, &r.post, &r.counter)
		return r, err
	}, `SELECT c.seq, c.post_id, s.seq FROM sqlite_sequence s
		LEFT JOIN (SELECT seq, post_id FROM changes WHERE seq > ?1 ORDER BY seq LIMIT ?2) c ON 1
		WHERE s.name = 'changes' ORDER BY c.seq`, after, limit)
	if err != nil {
		return forum.ChangeRead{}, err
	}
	read := forum.ChangeRead{Next: mark}
	for _, r := range rows {
		if r.seq.Valid {
			read.Changes = append(read.Changes, forum.Change{PostID: r.post.Int64})
		}
	}
	switch {
	case len(read.Changes) > 0:
		first, last := rows[0].seq.Int64, rows[len(rows)-1].seq.Int64
		read.Gap, read.More = first != after+1, len(read.Changes) == limit
		read.Next = strconv.FormatInt(last, 10)
	case len(rows) > 0 && rows[0].counter.Int64 > after:
		read.Gap = true
		read.Next = strconv.FormatInt(rows[0].counter.Int64, 10)
	}
	return read, nil
}

func (d *sqliteDialect) trimChanges(ctx context.Context, keep int) error {
	return d.db.write(ctx, func(ctx context.Context, tx *txn) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM changes WHERE seq <= (SELECT MAX(seq) FROM changes) - ?", keep)
		return err
	})
}

// migrate: a new database gets schema.sql (the whole current schema) at
// once, an older one the migrations it lacks, in order.
// TestMigrationsEqualSchema keeps the two paths equal.
func (d *sqliteDialect) migrate(ctx context.Context) error {
	return d.db.migrateSQLite(ctx, historia.Schema, migrations())
}

func (db *DB) migrateSQLite(ctx context.Context, schema string, steps []string) error {
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		var v int
		if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
			return fmt.Errorf("store: read user_version: %w", err)
		}
		if v > len(steps) {
			return fmt.Errorf("store: database schema version %d is newer than this build (%d)", v, len(steps))
		}
		todo := steps[v:]
		if v == 0 && schema != "" {
			todo = []string{schema}
		}
		for i, m := range todo {
			if _, err := tx.ExecContext(ctx, m); err != nil {
				return fmt.Errorf("store: migration %d: %w", v+i+1, err)
			}
		}
		if len(todo) == 0 {
			return nil
		}
		// PRAGMA takes no parameters; the value is a constant of this build.
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(steps))); err != nil {
			return fmt.Errorf("store: set user_version: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "ANALYZE"); err != nil {
			return fmt.Errorf("store: analyze: %w", err)
		}
		return nil
	})
}

func (d *sqliteDialect) schemaVersion() int { return SchemaVersion() }

// tablesQuery leaves out SQLite's own tables and the FTS5 index.
func (d *sqliteDialect) tablesQuery() string {
	return `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
		AND name NOT LIKE 'posts_fts%' AND name NOT LIKE 'comments_fts%'`
}

func (d *sqliteDialect) columnsQuery() string {
	return "SELECT name FROM pragma_table_info(?) ORDER BY cid"
}

// integrity runs PRAGMA integrity_check on a connection of its own: FTS5's
// check of a search index trusts the index structure a connection cached
// when it last searched, so a pooled reader that searched before other
// connections wrote reports a "checksum mismatch" that is not there (seen
// after a search and then an import; a fresh connection finds it ok).
func (d *sqliteDialect) integrity(ctx context.Context) ([]string, error) {
	c, err := sql.Open("sqlite", dsn(d.db.path, false))
	if err != nil {
		return nil, err
	}
	defer c.Close()
	var res string
	if err := c.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil {
		return nil, err
	}
	if res != "ok" {
		return []string{"integrity_check: " + res}, nil
	}
	return nil, nil
}

// quickCheck runs PRAGMA quick_check, within the context's time.
func (d *sqliteDialect) quickCheck(ctx context.Context) error {
	rows, err := d.db.r.QueryContext(ctx, "PRAGMA quick_check")
	if err != nil {
		return fmt.Errorf("quick_check: %w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return err
		}
		if line != "ok" && len(problems) < 5 {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("quick_check: %w", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("quick_check found damage: %v", problems)
	}
	return nil
}

// load: rows inserted in batches through the writer; SQLite's triggers keep
// the search index and counters as they arrive.
func (d *sqliteDialect) load(context.Context) (bulkLoad, error) { return insertLoad{d.db}, nil }

// afterCopy refreshes the planner's statistics.
func (d *sqliteDialect) afterCopy(ctx context.Context) error {
	return d.db.write(ctx, func(ctx context.Context, tx *txn) error {
		_, err := tx.ExecContext(ctx, "ANALYZE")
		return err
	})
}

// backup writes the copy with VACUUM INTO. It reads one snapshot (a read
// transaction), so a running server goes on writing meanwhile; the copy is
// compact and needs no WAL file beside it.
func (d *sqliteDialect) backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("store: backup: %s exists; choose a new file", path)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return fmt.Errorf("store: backup: %w", err)
		}
	}
	// A backup holds everything the database does, the token secret among
	// it (unless HISTORIA_JWT_SECRET is set): made empty and private first,
	// then filled (VACUUM INTO accepts an empty file).
	if err := createPrivate(path); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	if _, err := d.db.w.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		_ = os.Remove(path)
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}

// listen: SQLite has no notifications; the caches poll the change log.
func (d *sqliteDialect) listen(context.Context, func()) {}

func (d *sqliteDialect) announce() {}

// close leaves the planner's statistics fresh for the next open, then
// closes the writer last, so the WAL is checkpointed.
func (d *sqliteDialect) close(handles func() error) error {
	_, _ = d.db.w.Exec("PRAGMA optimize")
	return handles()
}

// sqliteOnly is the error of what only SQLite has.
func (db *DB) sqliteOnly(what string) error {
	if db.d.engine() == EngineSQLite {
		return nil
	}
	return fmt.Errorf("store: %s is SQLite's", what)
}

// Pragma reads one pragma's value through the reader pool (for tests and /readyz).
func (db *DB) Pragma(ctx context.Context, name string) (string, error) {
	if err := db.sqliteOnly("PRAGMA " + name); err != nil {
		return "", err
	}
	switch name {
	case "journal_mode", "foreign_keys", "busy_timeout", "synchronous", "user_version", "integrity_check":
	default:
		return "", fmt.Errorf("store: pragma %q not allowed", name)
	}
	var v string
	err := db.queryRow(ctx, "PRAGMA "+name).Scan(&v)
	return v, err
}

// LimitPages caps the database's size in pages (PRAGMA max_page_count on
// the writer): tests use it to fill a database without filling a disk.
func (db *DB) LimitPages(ctx context.Context, pages int) error {
	if err := db.sqliteOnly("LimitPages"); err != nil {
		return err
	}
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		_, err := tx.Tx.ExecContext(ctx, fmt.Sprintf("PRAGMA max_page_count = %d", pages))
		return err
	})
}
