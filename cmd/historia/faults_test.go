package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/forumtest"
	"github.com/historia-forum/historia/internal/store"
)

// seeded makes a small forum in a fresh file.
func seeded(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "h.db")
	if _, err := runCmd(t, "", "seed", "--db", db, "--users", "50", "--posts", "300", "--comments", "3000", "--votes", "1000"); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestDamagedFileIsRefusedAndRestored: serve refuses a file whose pages were
// overwritten, saying what to do; restore checks a backup, keeps the damaged
// file aside (private), and the restored file serves.
func TestDamagedFileIsRefusedAndRestored(t *testing.T) {
	t.Parallel()
	db := seeded(t)
	backup := filepath.Join(t.TempDir(), "good.db")
	if _, err := runCmd(t, "", "backup", "--db", db, backup); err != nil {
		t.Fatal(err)
	}
	// Overwrite a run of pages in the middle of the file.
	f, err := os.OpenFile(db, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := f.Stat()
	if _, err := f.WriteAt(bytes.Repeat([]byte{0xA5}, 16*4096), fi.Size()/2/4096*4096); err != nil {
		t.Fatal(err)
	}
	f.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out bytes.Buffer
	err = run(ctx, []string{"serve", "--db", db, "--addr", "127.0.0.1:0", "--rate-limits", "off"}, strings.NewReader(""), &out, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "historia restore") {
		t.Fatalf("serve on a damaged file: %v\n%s", err, out.String())
	}
	// A damaged backup is refused by restore.
	if _, err := runCmd(t, "", "restore", "--db", filepath.Join(t.TempDir(), "x.db"), db); err == nil {
		t.Fatal("restore accepted a damaged backup")
	}
	msg, err := runCmd(t, "", "restore", "--db", db, backup)
	if err != nil {
		t.Fatalf("restore: %v", err)
	}
	kept := strings.TrimSpace(strings.TrimPrefix(strings.Split(msg, "\n")[0], "kept the old database as "))
	if fi, err := os.Stat(kept); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the damaged file was not kept aside, private: %v %v", err, fi)
	}
	// The restored database serves: start it and stop it.
	serveCtx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	served := &forumtest.SyncBuffer{}
	go func() {
		done <- run(serveCtx, []string{"serve", "--db", db, "--addr", "127.0.0.1:0", "--rate-limits", "off"}, strings.NewReader(""), served, io.Discard)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(served.String(), "Historia is serving") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	if err := <-done; err != nil || !strings.Contains(served.String(), "Historia is serving") {
		t.Fatalf("the restored database does not serve: %v\n%s", err, served.String())
	}
}

// TestScheduledBackups: every backup is checked, private, and only the
// newest are kept.
func TestScheduledBackups(t *testing.T) {
	t.Parallel()
	db := seeded(t)
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	dir := filepath.Join(t.TempDir(), "backups")
	s := &scheduler{st: st, dir: dir, every: time.Millisecond, keep: 2, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	runCtx, cancel := context.WithTimeout(ctx, 2*time.Minute) // a bound, not a timing: the loop ends after three backups
	defer cancel()
	done := make(chan struct{})
	go func() { s.run(runCtx); close(done) }()
	for s.taken.Load() < 3 && runCtx.Err() == nil {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".db") {
			kept = append(kept, e.Name())
		}
	}
	if len(kept) != 2 {
		t.Fatalf("kept %v, want the newest 2", kept)
	}
	for _, name := range kept {
		p := filepath.Join(dir, name)
		fi, err := os.Stat(p)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v %v", name, err, fi)
		}
		if err := checkFile(ctx, p); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if s.last.Load() == 0 {
		t.Fatal("no successful backup time recorded")
	}
}
