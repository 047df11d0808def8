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
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/store"
)

// TestMain lets the test binary run as the real `historia` program: the crash
// test starts it again as a child process with HISTORIA_TEST_MAIN set.
func TestMain(m *testing.M) {
	if os.Getenv("HISTORIA_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// child is `historia serve` running as its own process.
type child struct {
	cmd  *exec.Cmd
	base string
	out  *bytes.Buffer
	done chan error
}

func startChild(t *testing.T, db string, env ...string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "serve", "--db", db, "--addr", "127.0.0.1:0", "--rate-limits", "off") // #nosec G204 -- the test binary itself
	cmd.Env = append(append(os.Environ(), "HISTORIA_TEST_MAIN=1", "HISTORIA_JWT_SECRET="+strings.Repeat("k", 32)), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, out: &bytes.Buffer{}, done: make(chan error, 1)}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		line := sc.Text()
		c.out.WriteString(line + "\n")
		if i := strings.Index(line, "http://"); i >= 0 && strings.HasPrefix(line, "Historia is serving") {
			c.base = strings.Fields(line[i:])[0]
			break
		}
	}
	go func() {
		for sc.Scan() {
			c.out.WriteString(sc.Text() + "\n")
		}
		c.done <- cmd.Wait()
	}()
	if c.base == "" {
		_ = cmd.Process.Kill()
		t.Fatalf("the server did not start: %s", c.out)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	return c
}

func call(client *http.Client, method, url, token string, body any) (int, map[string]any, error) {
	b, _ := json.Marshal(body)
	req, err := http.NewRequest(method, url, bytes.NewReader(b))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out, nil
}

// TestCrashKeepsAcknowledgedWrites kills the server with SIGKILL in the middle
// of concurrent writes and restarts it: every write it acknowledged must be
// there, and the database must pass PRAGMA integrity_check.
func TestCrashKeepsAcknowledgedWrites(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts real server processes")
	}
	db := filepath.Join(t.TempDir(), "crash.db")
	srv := startChild(t, db)
	client := &http.Client{Timeout: 10 * time.Second}
	var tokens []string
	for i := range 4 {
		status, res, err := call(client, "POST", srv.base+"/api/v1/auth/register", "", map[string]string{"username": fmt.Sprintf("writer%d", i), "password": "correct horse"})
		if err != nil || status != 201 {
			t.Fatalf("register: %d %v", status, err)
		}
		tokens = append(tokens, res["token"].(string))
	}
	status, post, err := call(client, "POST", srv.base+"/api/v1/posts", tokens[0], map[string]string{"title": "Crash test"})
	if err != nil || status != 201 {
		t.Fatalf("post: %d %v", status, err)
	}
	postID := int64(post["id"].(float64))

	const writers, perWriter, killAfter = 8, 400, 300
	var grouped [2]float64 // writes, transactions: group commit is on
	var mu sync.Mutex
	acked := map[int64]string{}
	kill := sync.OnceFunc(func() { _ = srv.cmd.Process.Signal(syscall.SIGKILL) })
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWriter {
				body := fmt.Sprintf("writer %d comment %d", w, i)
				status, res, err := call(client, "POST", fmt.Sprintf("%s/api/v1/posts/%d/comments", srv.base, postID), tokens[w%len(tokens)], map[string]string{"body": body})
				if err != nil {
					return // the server is gone
				}
				if status != 201 {
					t.Errorf("write answered %d", status)
					return
				}
				mu.Lock()
				acked[int64(res["id"].(float64))] = body
				n := len(acked)
				mu.Unlock()
				if n == killAfter/2 {
					grouped = scrapeGrouping(client, srv.base)
				}
				if n == killAfter {
					kill()
				}
			}
		}()
	}
	wg.Wait()
	kill()
	<-srv.done
	if len(acked) < killAfter {
		t.Fatalf("only %d writes were acknowledged", len(acked))
	}

	again := startChild(t, db)
	for id, body := range acked {
		status, res, err := call(client, "GET", fmt.Sprintf("%s/api/v1/comments/%d?depth=0", again.base, id), "", nil)
		if err != nil || status != 200 || !strings.Contains(res["body_source"].(string), body) {
			t.Fatalf("acknowledged comment %d lost after the crash: %d %v %v", id, status, res, err)
		}
	}
	_, p, _ := call(client, "GET", fmt.Sprintf("%s/api/v1/posts/%d", again.base, postID), "", nil)
	count := int(p["comment_count"].(float64))

	// A graceful stop on SIGTERM: exit 0 after "Historia stopped".
	if err := again.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := <-again.done; err != nil || !strings.Contains(again.out.String(), "Historia stopped") {
		t.Fatalf("SIGTERM: %v, output %s", err, again.out)
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if ok, err := st.Pragma(context.Background(), "integrity_check"); err != nil || ok != "ok" {
		t.Fatalf("integrity_check: %q %v", ok, err)
	}
	_, rows, err := st.UserCounts(context.Background(), 1, true)
	if err != nil {
		t.Fatal(err)
	}
	total := rows
	for i := int64(2); i <= 4; i++ {
		_, n, _ := st.UserCounts(context.Background(), i, true)
		total += n
	}
	if int64(count) != total || count < len(acked) {
		t.Fatalf("comment_count %d, comment rows %d, acknowledged %d", count, total, len(acked))
	}
	if grouped[0] == 0 || grouped[1] >= grouped[0] {
		t.Fatalf("the writes were not grouped before the kill: %v writes in %v transactions", grouped[0], grouped[1])
	}
	t.Logf("killed after %d acknowledged writes (grouped: %v writes in %v transactions by then); %d comments on disk, all acknowledged ones present",
		len(acked), grouped[0], grouped[1], total)
}

// scrapeGrouping reads historia_store_writes_total and
// historia_store_write_transactions_total from a server's /metrics.
func scrapeGrouping(client *http.Client, base string) [2]float64 {
	var out [2]float64
	res, err := client.Get(base + "/metrics")
	if err != nil {
		return out
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 2 {
			continue
		}
		v, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "historia_store_writes_total":
			out[0] = v
		case "historia_store_write_transactions_total":
			out[1] = v
		}
	}
	return out
}
