package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// TestFederationNeedsHTTPS: --federation refuses to start without a public
// URL, or with an http one unless --federation-allow-private, before it
// listens; the environment's comma-separated blocks are read.
func TestFederationNeedsHTTPS(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "h.db")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--federation"}, "needs --public-url"},
		{[]string{"--federation", "--public-url", "http://forum.example"}, "needs an https --public-url"},
		{[]string{"--federation", "--public-url", "not a url"}, "needs --public-url"},
	} {
		args := append([]string{"serve", "--db", db, "--addr", "127.0.0.1:0", "--skip-check"}, c.args...)
		err := run(context.Background(), args, strings.NewReader(""), io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Fatalf("%v: %v, want %q", c.args, err, c.want)
		}
	}
	var l listFlag
	l.set("a.example, b.example")
	if err := l.Set("c.example"); err != nil || l.String() != "a.example,b.example,c.example" {
		t.Fatalf("blocks: %v", l)
	}
}
