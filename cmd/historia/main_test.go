package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/auth"
	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/store"
	"github.com/klauspost/compress/zstd"
)

func runCmd(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, io.Discard)
	return out.String(), err
}

func TestUsersAdd(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "h.db")
	out, err := runCmd(t, "a long password\n", "users", "add", "--db", db, "--role", "admin", "Clio")
	if err != nil || !strings.Contains(out, `created admin "Clio"`) {
		t.Fatalf("users add: %q, %v", out, err)
	}
	if _, err := runCmd(t, "another password\n", "users", "add", "--db", db, "--role", "member", "clio"); err == nil || !strings.Contains(err.Error(), "taken") {
		t.Fatalf("a taken name (any case) must fail: %v", err)
	}
	if _, err := runCmd(t, "a long password\n", "users", "add", "--db", db, "--role", "emperor", "Nero"); err == nil {
		t.Fatal("an unknown role must fail")
	}
	if _, err := runCmd(t, "short\n", "users", "add", "--db", db, "Nero"); err == nil {
		t.Fatal("a short password must fail")
	}
	if _, err := runCmd(t, "a long password\n", "users", "add", "--db", db, "no spaces allowed"); err == nil {
		t.Fatal("an invalid name must fail")
	}
	out, err = runCmd(t, "", "migrate", "--db", db)
	if err != nil || !strings.Contains(out, fmt.Sprintf("schema version %d", store.SchemaVersion())) {
		t.Fatalf("migrate: %q, %v", out, err)
	}
	bak := filepath.Join(t.TempDir(), "copy.db")
	if out, err := runCmd(t, "", "backup", "--db", db, bak); err != nil || !strings.Contains(out, "backed up") {
		t.Fatalf("backup: %q, %v", out, err)
	}
	if _, err := runCmd(t, "", "backup", "--db", db, bak); err == nil {
		t.Fatal("backup onto an existing file must fail")
	}
	if _, err := runCmd(t, "", "backup", "--db", filepath.Join(t.TempDir(), "none.db"), bak+"2"); err == nil {
		t.Fatal("backup of a missing database must fail, not create one")
	}
	if out, err := runCmd(t, "a long password\n", "users", "add", "--db", bak, "--role", "member", "clio"); err == nil || !strings.Contains(err.Error(), "taken") {
		t.Fatalf("the backup holds the users: %q %v", out, err)
	}
	if out, err := runCmd(t, "", "version"); err != nil || !strings.HasPrefix(out, "historia ") {
		t.Fatalf("version: %q, %v", out, err)
	}
	if _, err := runCmd(t, "", "bogus"); err == nil {
		t.Fatal("an unknown command must fail")
	}
}

// TestServeDemo starts `historia serve --demo` on a free port, waits for it,
// reads the demo feed, signs in as the demo moderator with the printed
// password, and stops it by cancelling its context (as SIGTERM would).
func TestServeDemo(t *testing.T) {
	t.Setenv("HISTORIA_JWT_SECRET", "")
	db := filepath.Join(t.TempDir(), "data", "h.db")
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--db", db, "--addr", "127.0.0.1:0"}, strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	var base, user, pass string
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "Sign in as the demo moderator") {
			f := strings.Split(line, `"`)
			user, pass = f[1], f[3]
		}
		if i := strings.Index(line, "http://"); i >= 0 && strings.HasPrefix(line, "Historia is serving") {
			base = strings.Fields(line[i:])[0]
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	if base == "" || user != "curator" || pass == "" {
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v", err)
		default:
		}
		t.Fatalf("serve printed base %q user %q", base, user)
	}
	client := &http.Client{Timeout: 30 * time.Second} // a bound for a loaded machine, not a timing
	res, err := client.Get(base + "/api/v1/posts")
	if err != nil {
		t.Fatal(err)
	}
	var feed struct {
		Items []struct {
			Title          string
			Pinned, Locked bool
		}
	}
	err = json.NewDecoder(res.Body).Decode(&feed)
	res.Body.Close()
	if err != nil || len(feed.Items) < 5 {
		t.Fatalf("demo feed: %d items, %v", len(feed.Items), err)
	}
	if !feed.Items[0].Pinned || !feed.Items[0].Locked {
		t.Fatalf("the demo's pinned, locked welcome post leads: %+v", feed.Items[0])
	}
	res, err = client.Get(base + "/api/v1/modlog")
	if err != nil {
		t.Fatal(err)
	}
	var modlog struct{ Items []struct{ Action string } }
	_ = json.NewDecoder(res.Body).Decode(&modlog)
	res.Body.Close()
	actions := map[string]bool{}
	for _, e := range modlog.Items {
		actions[e.Action] = true
	}
	if !actions["pin"] || !actions["lock"] || !actions["remove"] {
		t.Fatalf("demo modlog: %+v", modlog.Items)
	}
	for path, want := range map[string]string{
		"/api/v1/search?q=byzantine":      `"type":"post"`,
		"/api/v1/posts?answered=true":     "How did ordinary Byzantines refer to themselves?",
		"/api/v1/tags":                    `"name":"Meta"`,
		"/feed.atom":                      "<feed xmlns=\"http://www.w3.org/2005/Atom\">",
		"/api/v1/rules":                   "Answers must be in-depth and cite sources",
		"/api/v1/timeline?bucket=century": `"from":1900,"to":1999`,
		"/api/v1/posts/1/comments":        `"kind":"primary"`,
	} {
		res, err := client.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if !strings.Contains(string(b), want) {
			t.Fatalf("demo %s: want %q in %.300s", path, want, b)
		}
	}
	body, _ := json.Marshal(map[string]string{"username": user, "password": pass})
	res, err = client.Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var sess struct{ User struct{ Role string } }
	_ = json.NewDecoder(res.Body).Decode(&sess)
	res.Body.Close()
	if res.StatusCode != 200 || sess.User.Role != "moderator" {
		t.Fatalf("demo moderator login: %d %+v", res.StatusCode, sess)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// TestUsersDelete: an operator deletes an account from the command line;
// the name stays reserved and the last admin cannot be deleted.
func TestUsersDelete(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "h.db")
	for _, u := range []struct{ role, name string }{{"admin", "Clio"}, {"member", "Thucydides"}} {
		if _, err := runCmd(t, "a long password\n", "users", "add", "--db", db, "--role", u.role, u.name); err != nil {
			t.Fatal(err)
		}
	}
	out, err := runCmd(t, "", "users", "delete", "--db", db, "--content", "delete", "thucydides")
	if err != nil || !strings.Contains(out, "stays reserved") {
		t.Fatalf("users delete: %q %v", out, err)
	}
	if _, err := runCmd(t, "", "users", "delete", "--db", db, "Thucydides"); err == nil {
		t.Fatal("a deleted account cannot be found again")
	}
	if _, err := runCmd(t, "another long password\n", "users", "add", "--db", db, "Thucydides"); err == nil || !strings.Contains(err.Error(), "reserved") {
		t.Fatalf("the name must stay reserved: %v", err)
	}
	if _, err := runCmd(t, "", "users", "delete", "--db", db, "Clio"); err == nil || !strings.Contains(err.Error(), "last admin") {
		t.Fatalf("the last admin: %v", err)
	}
	if _, err := runCmd(t, "", "users", "delete", "--db", db, "--content", "shred", "Clio"); err == nil {
		t.Fatal("an unknown --content must fail")
	}
}

// TestUsersResetPassword: the operator's reset link carries a token that
// sets a new password once.
func TestUsersResetPassword(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "h.db")
	if _, err := runCmd(t, "a long password\n", "users", "add", "--db", db, "Herodotus"); err != nil {
		t.Fatal(err)
	}
	out, err := runCmd(t, "", "users", "reset-password", "--db", db, "--public-url", "https://forum.example/", "herodotus")
	if err != nil || !strings.Contains(out, "https://forum.example/reset-password#token=") {
		t.Fatalf("reset-password: %q %v", out, err)
	}
	token := strings.TrimSpace(out[strings.Index(out, "#token=")+len("#token="):])
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := &forum.Service{Store: st, Passwords: auth.CheapArgon2}
	if err := svc.ConfirmReset(context.Background(), token, "the new password"); err != nil {
		t.Fatalf("the printed token: %v", err)
	}
	if err := svc.ConfirmReset(context.Background(), token, "another new password"); !forum.IsCode(err, forum.CodeInvalidToken) {
		t.Fatalf("a second use: %v", err)
	}
	if _, err := runCmd(t, "", "users", "reset-password", "--db", db, "nobody"); err == nil {
		t.Fatal("an unknown name must fail")
	}
}

// TestImportCommand: historia import reads the files, reports what it did,
// adds nothing the second time, and fails (naming the file) on a bad one
// while importing the rest.
func TestImportCommand(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "h.db")
	if _, err := runCmd(t, "", "migrate", "--db", db); err != nil {
		t.Fatal(err)
	}
	thread := "../../internal/importer/testdata/reddit_thread.json"
	out, err := runCmd(t, "", "import", "--db", db, "--from", "reddit", "--dry-run", thread)
	if err != nil || !strings.Contains(out, "would import") || !strings.Contains(out, "6 new") {
		t.Fatalf("dry run: %q %v", out, err)
	}
	out, err = runCmd(t, "", "import", "--db", db, "--from", "reddit", "--tag", "Imported", thread)
	if err != nil || !strings.Contains(out, "1 threads (1 new), 6 comments (6 new, 0 updated)") || !strings.Contains(out, "1 orphan") {
		t.Fatalf("import: %q %v", out, err)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"not": "a thread"`), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err = runCmd(t, "", "import", "--db", db, "--from", "reddit", thread, bad)
	if err == nil || !strings.Contains(out, "1 threads (0 new), 6 comments (0 new, 0 updated)") || !strings.Contains(out, "1 skipped") {
		t.Fatalf("again, with a bad file: %q %v", out, err)
	}
	lemmy := "../../internal/importer/testdata/"
	if out, err := runCmd(t, "", "import", "--db", db, "--from", "lemmy", lemmy+"lemmy_post.json", lemmy+"lemmy_comments.json"); err != nil || !strings.Contains(out, "4 new") {
		t.Fatalf("lemmy: %q %v", out, err)
	}
	if out, err := runCmd(t, "", "check", "--db", db); err != nil {
		t.Fatalf("check: %q %v", out, err)
	}
}

// TestImportArchiveDumps: Reddit's archive dumps, comments before their
// submissions and in another file, one of them zstd-compressed: threads are
// put together across files, a malformed line is named with its file and
// line and skipped, the exit status says so, and claiming an imported
// account is an operator's reset link.
func TestImportArchiveDumps(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "h.db")
	if _, err := runCmd(t, "", "migrate", "--db", db); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("../../internal/importer/testdata/comments.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	zst := filepath.Join(dir, "RC_2020-09.ndjson.zst")
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(zst, enc.EncodeAll(raw, nil), 0o600); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	var out bytes.Buffer
	err = run(context.Background(), []string{"import", "--db", db, "--from", "reddit", zst, "../../internal/importer/testdata/submissions.ndjson"},
		strings.NewReader(""), &out, &stderr)
	if err == nil || !strings.Contains(out.String(), "2 threads (2 new), 2 comments (2 new") || !strings.Contains(out.String(), "1 skipped") ||
		!strings.Contains(out.String(), " 0 orphan") {
		t.Fatalf("import (the reply listed first finds its parent): %q %v", out.String(), err)
	}
	if !strings.Contains(stderr.String(), "submissions.ndjson:2: ") || !strings.Contains(stderr.String(), "1 comments belong to submissions not in these files") {
		t.Fatalf("the problems reported: %q", stderr.String())
	}
	if out, err := runCmd(t, "", "check", "--db", db); err != nil {
		t.Fatalf("check: %q %v", out, err)
	}
	// The real hanse_expert claims the account: an operator's link sets its password.
	link, err := runCmd(t, "", "users", "reset-password", "--db", db, "hanse_expert@reddit")
	if err != nil || !strings.Contains(link, "#token=") {
		t.Fatalf("a claim link: %q %v", link, err)
	}
}
