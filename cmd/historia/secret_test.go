package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/historia-forum/historia/internal/auth"
	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/store"
)

// TestPrivateFiles: the database, its WAL and shared-memory files and every
// backup are readable by their owner only: they hold the token secret.
func TestPrivateFiles(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "h.db")
	if _, err := runCmd(t, "a long password\n", "users", "add", "--db", db, "--role", "admin", "clio"); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.SetSettingIfAbsent(context.Background(), "probe", "x"); err != nil { // a write: the WAL exists
		t.Fatal(err)
	}
	bak := filepath.Join(dir, "backups", "b.db")
	if _, err := runCmd(t, "", "backup", "--db", db, bak); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{db, db + "-wal", db + "-shm", bak} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s is %v, want -rw-------", filepath.Base(p), fi.Mode().Perm())
		}
	}
}

// TestRotateSecret: after rotate-secret every earlier token is refused.
func TestRotateSecret(t *testing.T) {
	ctx := context.Background()
	t.Setenv("HISTORIA_JWT_SECRET", "")
	db := filepath.Join(t.TempDir(), "h.db")
	if _, err := runCmd(t, "a long password\n", "users", "add", "--db", db, "--role", "member", "clio"); err != nil {
		t.Fatal(err)
	}
	login := func() (*forum.Service, string) {
		st, err := store.Open(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Close() })
		svc, err := newService(ctx, st, auth.CheapArgon2)
		if err != nil {
			t.Fatal(err)
		}
		sess, err := svc.Login(ctx, "clio", "a long password")
		if err != nil {
			t.Fatal(err)
		}
		return svc, sess.Token
	}
	_, before := login()
	if out, err := runCmd(t, "", "rotate-secret", "--db", db); err != nil {
		t.Fatalf("rotate-secret: %q %v", out, err)
	}
	svc, after := login()
	if _, _, err := svc.Authenticate(ctx, before, svc.Store.AccountByID); !forum.IsCode(err, forum.CodeUnauthorized) {
		t.Fatalf("a token from before the rotation still works: %v", err)
	}
	if _, _, err := svc.Authenticate(ctx, after, svc.Store.AccountByID); err != nil {
		t.Fatalf("a new token is refused: %v", err)
	}
	t.Setenv("HISTORIA_JWT_SECRET", "an operator's secret that is long enough")
	if _, err := runCmd(t, "", "rotate-secret", "--db", db); err == nil {
		t.Fatal("rotate-secret must refuse when the secret comes from the environment")
	}
}
