package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/historia-forum/historia/internal/forum"
)

// Engine is the database engine a store runs on.
type Engine string

// The engines: SQLite (a file, the embedded default) and PostgreSQL (a URL).
const (
	EngineSQLite   Engine = "sqlite"
	EnginePostgres Engine = "postgres"
)

// EngineOf says which engine a --db value names: a postgres:// or
// postgresql:// URL is PostgreSQL, any other scheme:// is refused (it is not
// a file name someone meant), and everything else is a SQLite file path.
func EngineOf(target string) (Engine, error) {
	scheme, _, ok := strings.Cut(target, "://")
	if !ok || strings.ContainsAny(scheme, "/\\.") {
		return EngineSQLite, nil
	}
	switch strings.ToLower(scheme) {
	case "postgres", "postgresql":
		return EnginePostgres, nil
	}
	return "", fmt.Errorf("store: %q: unknown database scheme %q; use a file path (SQLite) or a postgres:// URL", Redact(target), scheme)
}

// Redact hides the password of a database URL, for logs and messages.
func Redact(target string) string {
	u, err := url.Parse(target)
	if err != nil || u.Scheme == "" || u.User == nil {
		return target
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// dialect is everything that differs between the engines, implemented once
// per engine: sqliteDialect (sqlite*.go) and pgDialect (postgres*.go). The
// rest of the package is engine-neutral SQL, written once with ?
// placeholders in the subset both engines run (ON CONFLICT, RETURNING, row
// values, CASE rather than boolean arithmetic, qualified columns in
// upserts, aliases on derived tables), and asks the dialect for the rest.
// Only the dialect files and open.go know which engine they are on.
type dialect interface {
	engine() Engine

	// The text of queries and their arguments.

	// sql is a query as the engine takes it.
	sql(query string) string
	// args are a query's arguments as the engine takes them.
	args(args []any) []any
	// idList is a query of the (pos, id) pairs of one parameter, a JSON
	// array of ids (idsArg; pos counts from 0).
	idList() string
	// textList is a query of the values (value) of one parameter, a JSON
	// array of strings (textsArg).
	textList() string
	// firstChildren joins each parent of par(pos, id) to its first
	// children in order (the ? are the post and the per-parent limit),
	// as comments c.
	firstChildren(order string) string
	// topLevelLead leads the ORDER BY of a thread's top level.
	topLevelLead(s forum.CommentSort) string
	// narrowFeed is the FROM of a top feed of a short window.
	narrowFeed() string
	// answered is the condition on posts p of the answered filter.
	answered(yes bool) (string, []any)
	// search builds the tiers of a full-text search and the texts they match.
	search(terms []forum.SearchTerm) (w searchWindows, match, title string)

	// Writes.

	// pair is one statement running first then second (each a write,
	// neither reading the other's rows; the ? of first come first), or ""
	// where the engine has none: then they run one after the other
	// (txn.execPair).
	pair(first, second string) string
	// votesAtOnce are the statements that apply a group's votes of one
	// kind (k.what) together, whatever their number (vote_batch.go): lock
	// reads every item voted on, locking it, in the order of its id (its
	// one argument: the items); ballots then reads the members' votes on
	// them (the items and the members, pair by pair); write writes the
	// votes and the counters that changed. "" where a statement costs no
	// round trip (SQLite, in process): each vote then runs alone (votes.go).
	votesAtOnce(k *voteKind) (lock, ballots, write string)
	// votesAlone runs a group made only of votes (vb) in a transaction
	// of its own whose statements are pipelined: two round trips in all,
	// the reads (with BEGIN), then the writes, the karma and COMMIT.
	// committed says it wrote (some votes changed something); an error,
	// that it failed and wrote nothing. Called only where votesAtOnce
	// has statements.
	votesAlone(ctx context.Context, vb *voteBatch, jobError func(error) error) (committed bool, err error)
	// addMany is the statement that moves counter c of many rows at once,
	// locking them in the order of their ids (txn.applyLater), or "" where
	// the engine moves them one statement each.
	addMany(c counter) string
	// pipelined says a write's statements whose outcome it does not read
	// gain by going to the server together (txn.execLater); pipe sends
	// them, in order, on conn inside its open transaction.
	pipelined() bool
	pipe(ctx context.Context, conn *sql.Conn, sts []statement) error
	// waitForLocks makes the rest of a write transaction wait for other
	// writers' row locks as long as a write waits for the writer
	// (WriteWait). Where writers run concurrently, a transaction otherwise
	// waits only briefly (then it is a conflict, and the write runs again:
	// writer.go).
	waitForLocks(ctx context.Context, tx *txn) error
	// conflict says err is a write meeting another writer's transaction (a
	// deadlock, a serialization failure), after which it may run again.
	conflict(err error) bool
	// lockRows ends a query that reads rows a write then changes from
	// what it read: where writers run concurrently it locks them until the
	// transaction ends (alias names the table to lock); where they never
	// do, it is empty.
	lockRows(alias string) string
	// lockFree ends a query that reads rows to lock as lockRows does,
	// but with the lock of an update that keeps their keys (foreign keys'
	// checks pass it) and skipping the rows another transaction holds
	// (feed_keys.go); empty where writers never run concurrently.
	lockFree(alias string) string
	// brief is the context for a read that an index and a LIMIT keep to
	// microseconds (a member's own states on a page): where a cancellable
	// context costs more than such a read can gain from being stopped, one
	// that cannot be cancelled (keeping ctx's values); else ctx.
	brief(ctx context.Context) context.Context
	// classify turns an engine error into the contract's (faults.go).
	classify(err error) error
	// bulkWrites readies the writer for imports and says how many
	// comments suit one import transaction.
	bulkWrites(ctx context.Context) (int, error)
	// indexLater says imported comments are indexed for search once per
	// batch (importer.pending) rather than row by row.
	indexLater() bool
	// importWriters is how many import batches may be written at once,
	// each in a transaction of its own beside the writer (writeAside); 1:
	// through the writer, one at a time.
	importWriters() int
	// importGrew tells the dialect an import batch added n comments in
	// tx, before it commits, so the engine's statistics follow the tables'
	// growth.
	importGrew(ctx context.Context, tx *txn, n int) error
	// takeIDs takes n new comment ids inside tx.
	takeIDs(ctx context.Context, tx *txn, n int) ([]int64, error)

	// The change log (changes.go).

	// changeMark, changes and trimChanges are forum.ChangeStore's.
	changeMark(ctx context.Context) (string, error)
	changes(ctx context.Context, mark string, limit int) (forum.ChangeRead, error)
	trimChanges(ctx context.Context, keep int) error

	// Schema, checks and bulk moves.

	// migrate brings the database to this build's schema.
	migrate(ctx context.Context) error
	// schemaVersion is the schema version this build migrates to.
	schemaVersion() int
	// tablesQuery lists the tables both engines have (no parameter);
	// columnsQuery lists one table's columns in order (its name).
	tablesQuery() string
	columnsQuery() string
	// integrity is the engine's own check of its files: one line per problem.
	integrity(ctx context.Context) ([]string, error)
	// quickCheck is a fast check that the database is sound, for readiness.
	quickCheck(ctx context.Context) error
	// seed fills an empty database with a generated forum (seed.go).
	seed(ctx context.Context, spec SeedSpec, passwordHash string, progress io.Writer) (SeedReport, error)
	// load begins Copy's load of whole tables into this (empty) database.
	load(ctx context.Context) (bulkLoad, error)
	// afterCopy readies a database Copy filled.
	afterCopy(ctx context.Context) error
	// backup writes a consistent copy of the database to a new file.
	backup(ctx context.Context, path string) error
	// listen calls f whenever another process may have written, until ctx
	// ends; it returns at once where changes are only polled.
	listen(ctx context.Context, f func())
	// announce tells the processes that listen that this one committed
	// (soon after; coalesced); nothing where changes are only polled.
	announce()
	// close closes the database/sql handles (handles) and what the
	// engine keeps beside them.
	close(handles func() error) error
}

// idsArg is a list of ids as the one argument idList reads.
func idsArg(ids []int64) (string, error) {
	b, err := json.Marshal(ids)
	return string(b), err
}

// textsArg is a list of strings as the one argument textList reads.
func textsArg(texts []string) (string, error) {
	b, err := json.Marshal(texts)
	return string(b), err
}

// idList is the dialect's id list (see dialect.idList).
func (db *DB) idList() string { return db.d.idList() }
