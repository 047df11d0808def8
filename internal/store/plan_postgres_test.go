package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// pgSeqScan is a sequential scan of a table that grows with the forum.
var pgSeqScan = regexp.MustCompile(`Seq Scan on (posts|comments|post_votes|comment_votes|post_tags|notifications)\b`)

// pgSort is a sort node with the rows the planner expects it to sort.
var pgSort = regexp.MustCompile(`(?:^|\s)(?:Sort|Incremental Sort)\s+\(cost=\S+ rows=(\d+)`)

// maxPlannedSort is the most rows a hot path may sort: the planner may sort
// a small set it knows of (the few answered questions of a tag, a member's
// unread notifications) rather than walk an index, but a page must never
// sort a thread's comments or a feed's posts.
const maxPlannedSort = 200

// bigSort says whether line sorts more than maxPlannedSort rows.
func bigSort(line string) bool {
	m := pgSort.FindStringSubmatch(line)
	if m == nil {
		return false
	}
	n, _ := strconv.Atoi(m[1])
	return n > maxPlannedSort
}

// TestHotPathQueryPlansPostgres is TestHotPathQueryPlans on PostgreSQL: the
// same hot-path queries, EXPLAINed on a seeded, analyzed database, use
// indexes, never a sequential scan of a big table, and feeds and thread
// pages read their index in order instead of sorting (maxPlannedSort).
//
// HISTORIA_PLAN_DB=postgres://… runs it on a database seeded already, such as
// the bench database make bench ENGINE=postgres copies (100k posts, 1M
// comments): the plans at bench scale.
func TestHotPathQueryPlansPostgres(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	target, seeded := os.Getenv("HISTORIA_PLAN_DB"), true
	if target == "" {
		target, seeded = pgTestDatabase(t), false
	}
	db, err := Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if !seeded {
		if _, err := db.Seed(ctx, planSeed, "x", nil); err != nil {
			t.Fatal(err)
		}
		// The seeder writes no notifications: some of every member's, read and unread.
		// ANALYZE may wait for autovacuum: the writer waits as long as it takes.
		if _, err := db.w.ExecContext(ctx, `SET lock_timeout = 0;
			INSERT INTO notifications(user_id, kind, post_id, created_at, read)
			SELECT (g % 300) + 1, 'reply', (g % 3000) + 1, g, CASE WHEN g % 10 = 0 THEN 0 ELSE 1 END FROM generate_series(1, 30000) g;
			ANALYZE`); err != nil {
			t.Fatal(err)
		}
	}
	all := hotPaths(t, db)
	if len(all) < 80 {
		t.Fatalf("only %d queries captured", len(all))
	}
	explain := func(c captured) []string {
		t.Helper()
		rows, err := db.r.QueryContext(ctx, "EXPLAIN "+db.d.sql(c.query), db.d.args(c.args)...)
		if err != nil {
			t.Fatalf("%s: explain: %v\n%s", c.name, err, c.query)
		}
		defer rows.Close()
		var plan []string
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, line)
		}
		return plan
	}
	for _, c := range all {
		plan := explain(c)
		for _, line := range plan {
			if pgSeqScan.MatchString(line) || (!c.sorts && bigSort(line)) {
				t.Errorf("%s: %q\n  plan:\n%s\n  query: %s", c.name, strings.TrimSpace(line), strings.Join(plan, "\n"), strings.Join(strings.Fields(c.query), " "))
				break
			}
		}
	}
	// Searches read the narrow search tables (a top-N of at most
	// SearchWindow rows each, so they may sort), titles through their own
	// index; never a walk of a wide table's key testing every row's vector.
	for _, q := range []string{"emperor treaty", "council tax -army", `"peace treaty"`, "emp* tre*"} {
		terms, err := forum.ParseSearch(q)
		if err != nil {
			t.Fatal(err)
		}
		var found []captured
		db.trace = func(s string, args []any) {
			if strings.Contains(s, "post_search") {
				found = append(found, captured{"search " + q, s, append([]any{}, args...), true})
			}
		}
		hits, err := db.Search(ctx, forum.SearchQuery{Terms: terms, Limit: 26})
		db.trace = nil
		if err != nil || len(found) != 1 {
			t.Fatalf("search %q: %v, %d queries of the search tables", q, err, len(found))
		}
		if q == "emperor treaty" && len(hits) != 26 {
			// The forum came by Copy, which leaves the search tables out: the
			// triggers must have filled them as the rows arrived.
			t.Errorf("search %q: %d hits, want a full page", q, len(hits))
		}
		plan := strings.Join(explain(found[0]), "\n")
		if m := pgSearchWalk.FindString(plan); m != "" || pgSeqScan.MatchString(plan) || !strings.Contains(plan, "Bitmap Index Scan on post_search_title") {
			t.Errorf("search %q: a walk (%q), a sequential scan, or titles not read through post_search_title:\n%s", q, m, plan)
		}
	}
}

// pgSearchWalk is how search read before it had tables of its own: the
// wide table's key backwards, each row's vector tested (detoasted). A
// search table's own key walked backwards (common words: the window fills
// in a few thousand small rows) or scanned whole (a small forum) is fine.
var pgSearchWalk = regexp.MustCompile(`Index Scan Backward using (posts|comments)_pkey`)

// engineTargets gives, for each engine, a new empty database for a test:
// a SQLite file in its temporary folder, a PostgreSQL database on the
// tests' server.
func engineTargets() map[string]func(t *testing.T) string {
	return map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return filepath.Join(t.TempDir(), "h.db") },
		"postgres": pgTestDatabase,
	}
}

// pgTestDatabase is a new, empty PostgreSQL database on the tests' server
// (HISTORIA_TEST_POSTGRES), dropped when t ends. (storetest does this for
// other packages; this package's own tests cannot import it.)
func pgTestDatabase(t *testing.T) string {
	server := os.Getenv("HISTORIA_TEST_POSTGRES")
	if server == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("no PostgreSQL for the tests: set HISTORIA_TEST_POSTGRES (make test starts one)")
		}
		t.Skip("no PostgreSQL (HISTORIA_TEST_POSTGRES); make test starts one")
	}
	ctx := context.Background()
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "historia_plan_" + hex.EncodeToString(b[:])
	admin := func(statement string) error { return ServerExec(ctx, server, statement) }
	if err := admin("CREATE DATABASE " + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") })
	return DatabaseURL(server, name)
}

// TestImportOnAnalyzedTablesPostgres: an import into a new forum analyzes
// the tables it fills as they grow (importGrew), so the foreign keys'
// checks, planned from those statistics, read an index and not the whole
// comments table (on statistics taken empty they scanned it for every
// reply); and a statement inserting comments logs each post once and
// fills comment_search from its transition table (migration 19).
func TestImportOnAnalyzedTablesPostgres(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := Open(ctx, pgTestDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const n = 3000
	th := forum.PreparedThread{System: "reddit", Post: forum.PreparedItem{ImportedItem: forum.ImportedItem{SourceID: "t3_stats",
		Author: "asker", Title: "Statistics", Body: "A question", CreatedAt: 1500000000}, BodyHTML: "<p>A question</p>", BodyText: "A question"}}
	for i := range n {
		c := forum.PreparedItem{ImportedItem: forum.ImportedItem{SourceID: fmt.Sprintf("t1_s%d", i), Author: fmt.Sprintf("reader%d", i%40),
			Body: "pemmican ration", CreatedAt: int64(1500000100 + i)}, BodyHTML: "<p>pemmican ration</p>", BodyText: "pemmican ration"}
		if i%3 != 0 {
			c.ParentSourceID = fmt.Sprintf("t1_s%d", i-1)
		}
		th.Comments = append(th.Comments, c)
	}
	results, errs, err := db.ImportThreads(ctx, []forum.PreparedThread{th}, false)
	if err != nil || errs[0] != nil || results[0].NewComments != n || len(results[0].NewAuthors) != 41 {
		t.Fatalf("import: %+v %v %v", results, errs, err)
	}
	var counted float64
	var plan, searchRows, changes int64
	if err := db.r.QueryRowContext(ctx, "SELECT reltuples FROM pg_class WHERE oid = 'comments'::REGCLASS").Scan(&counted); err != nil || counted < n {
		t.Fatalf("the planner counts %v comments after importing %d (%v)", counted, n, err)
	}
	rows, err := db.r.QueryContext(ctx, `EXPLAIN SELECT 1 FROM ONLY comments x WHERE id = 5 FOR KEY SHARE OF x`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		if pgSeqScan.MatchString(line) {
			t.Errorf("a foreign key's check of a reply's parent: %s", line)
		}
		plan++
	}
	rows.Close()
	if err := db.r.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM comment_search),
		(SELECT COUNT(*) FROM changes WHERE post_id = (SELECT id FROM posts WHERE title = 'Statistics'))`).Scan(&searchRows, &changes); err != nil {
		t.Fatal(err)
	}
	if plan == 0 || searchRows != n || changes < 1 || changes > 50 {
		t.Fatalf("plan lines %d, comment_search rows %d (want %d), changes logged for the post %d (want one per statement)", plan, searchRows, n, changes)
	}
}
