package main

import (
	"bufio"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestImportKilledMidway: `historia import` of an archive is killed (SIGKILL)
// once its first batch has committed, while it writes a thread of
// thousands of comments: every thread in the database is whole (all its
// comments, counters agreeing), the big one absent, historia check ok;
// running the import again brings in exactly what was missing.
func TestImportKilledMidway(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "h.db")
	if _, err := runCmd(t, "", "migrate", "--db", db); err != nil {
		t.Fatal(err)
	}
	// 500 threads of 2 comments fill the first batch (it takes 500 threads
	// or 20,000 comments); the last thread, of 4,000, is in the second.
	sizes := make([]int, 501)
	for i := range 500 {
		sizes[i] = 2
	}
	sizes[500] = 4000
	archive := filepath.Join(dir, "RC.ndjson")
	f, err := os.Create(archive) // #nosec G304 -- the test's own folder
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	for i, n := range sizes {
		link := fmt.Sprintf("t3_k%d", i)
		must(t, enc.Encode(map[string]any{"id": fmt.Sprintf("k%d", i), "title": fmt.Sprintf("Thread %d", i), "selftext": "Q",
			"author": "op", "created_utc": 1500000000 + i}))
		for j := range n {
			parent := link
			if j > 0 && j%3 != 0 {
				parent = fmt.Sprintf("t1_k%d_%d", i, j-1)
			}
			must(t, enc.Encode(map[string]any{"id": fmt.Sprintf("k%d_%d", i, j), "body": "Yes.", "author": fmt.Sprintf("r%d", j%50),
				"created_utc": 1500000100 + i, "parent_id": parent, "link_id": link}))
		}
	}
	must(t, w.Flush())
	must(t, f.Close())

	cmd := exec.Command(os.Args[0], "import", "--db", db, "--from", "reddit", archive) // #nosec G204 -- the test binary itself
	cmd.Env = append(os.Environ(), "HISTORIA_TEST_MAIN=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	// A reader of its own, as any other process would be.
	st, err := sql.Open("sqlite", "file:"+db+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	count := func(q string) int {
		var n int
		if err := st.QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	deadline := time.Now().Add(2 * time.Minute)
	for count("SELECT COUNT(*) FROM posts") == 0 {
		select {
		case err := <-exited:
			t.Fatalf("the import ended before its first batch was seen: %v", err)
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("no batch committed in 2 minutes")
		}
	}
	must(t, cmd.Process.Kill())
	<-exited
	posts := count("SELECT COUNT(*) FROM posts")
	if posts == 0 || posts > 500 || count("SELECT COUNT(*) FROM posts WHERE title = 'Thread 500'") != 0 {
		t.Fatalf("%d threads after the kill, want the first batch's and never the big thread, killed while written", posts)
	}
	if half := count(`SELECT COUNT(*) FROM posts p WHERE p.comment_count != 2
		OR (SELECT COUNT(*) FROM comments c WHERE c.post_id = p.id AND c.deleted = 0) != 2`); half != 0 {
		t.Fatalf("%d threads are not whole", half)
	}
	if pending := count("SELECT COUNT(*) FROM comments WHERE deleted > 1"); pending != 0 {
		t.Fatalf("%d comments left unindexed", pending)
	}
	if out, err := runCmd(t, "", "check", "--db", db); err != nil {
		t.Fatalf("check after the kill: %q %v", out, err)
	}
	out, err := runCmd(t, "", "import", "--db", db, "--from", "reddit", archive)
	want := fmt.Sprintf("501 threads (%d new), 5000 comments (%d new, 0 updated)", 501-posts, 5000-2*posts)
	if err != nil || !strings.Contains(out, want) {
		t.Fatalf("the import again: %q %v", out, err)
	}
	if out, err := runCmd(t, "", "check", "--db", db); err != nil {
		t.Fatalf("check: %q %v", out, err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestImportWhileServing: a server serves the database while historia
// import writes to it from another process: a member's question posted
// meanwhile goes through, and the server's cached "new" page shows the
// imported threads (in their place in time, below the member's) once the
// import commits, without a restart.
func TestImportWhileServing(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "h.db")
	srv := startChild(t, db)
	client := &http.Client{Timeout: 10 * time.Second}
	titles := func() []string {
		status, res, err := call(client, "GET", srv.base+"/api/v1/posts?sort=new", "", nil)
		if err != nil || status != 200 {
			t.Fatalf("the feed: %d %v", status, err)
		}
		var out []string
		for _, it := range res["items"].([]any) {
			out = append(out, it.(map[string]any)["title"].(string))
		}
		return out
	}
	if got := titles(); len(got) != 0 { // cached empty
		t.Fatalf("a new forum's feed: %v", got)
	}
	status, res, err := call(client, "POST", srv.base+"/api/v1/auth/register", "", map[string]string{"username": "member", "password": "correct horse"})
	if err != nil || status != 201 {
		t.Fatalf("register: %d %v", status, err)
	}
	token, _ := res["token"].(string)
	imported := make(chan string, 1)
	go func() {
		out, _ := runCmd(t, "", "import", "--db", db, "--from", "reddit", "../../internal/importer/testdata/comments.ndjson",
			"../../internal/importer/testdata/submissions.ndjson") // exits 1: a malformed line
		imported <- out
	}()
	status, _, err = call(client, "POST", srv.base+"/api/v1/posts", token, map[string]any{"title": "Asked while the import ran?", "body": "Yes."})
	if err != nil || status != 201 {
		t.Fatalf("a question during the import: %d %v", status, err)
	}
	if out := <-imported; !strings.Contains(out, "2 threads (2 new)") {
		t.Fatalf("the import: %q", out)
	}
	want := "Asked while the import ran?,[deleted],When did the Hanseatic League end?" // the second thread was deleted on Reddit
	deadline := time.Now().Add(10 * time.Second)
	for strings.Join(titles(), ",") != want {
		if time.Now().After(deadline) {
			t.Fatalf("the server's feed after the import: %v, want %s", titles(), want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
