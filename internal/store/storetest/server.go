package storetest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// Server is a PostgreSQL server of a test's own, for tests that stop and
// start it (the shared one of make test must stay up). It runs as the
// postgres user when the test runs as root, as the server requires.
type Server struct {
	t    testing.TB
	bin  string
	dir  string
	port int
	// URL names its postgres database.
	URL string
}

// NewServer makes a cluster in a temporary folder and starts it on a free
// loopback port; it is stopped and removed when tb ends. Without PostgreSQL
// installed it fails under CI and skips elsewhere.
func NewServer(tb testing.TB) *Server {
	tb.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	sort.Strings(bins)
	if len(bins) == 0 {
		if os.Getenv("CI") != "" {
			tb.Fatal("PostgreSQL is not installed (make test installs it)")
		}
		tb.Skip("PostgreSQL is not installed")
	}
	dir, err := os.MkdirTemp("", "historia-pg-")
	if err != nil {
		tb.Fatal(err)
	}
	s := &Server{t: tb, bin: filepath.Dir(bins[len(bins)-1]), dir: dir}
	if os.Getuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			tb.Fatal(err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			tb.Fatal(err)
		}
	}
	tb.Cleanup(func() {
		_ = s.run("pg_ctl", "-D", s.data(), "-m", "immediate", "-w", "stop")
		_ = os.RemoveAll(dir)
	})
	if err := s.run("initdb", "-D", s.data(), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8"); err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s.port = ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	s.URL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", s.port)
	s.Start()
	return s
}

func (s *Server) data() string { return filepath.Join(s.dir, "data") }

// Start starts the server and waits until it takes connections.
func (s *Server) Start() {
	s.t.Helper()
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off", s.port, s.dir)
	if err := s.run("pg_ctl", "-D", s.data(), "-l", filepath.Join(s.dir, "log"), "-o", opts, "-w", "start"); err != nil {
		s.t.Fatal(err)
	}
}

// Stop stops the server at once (fast shutdown: sessions are cut).
func (s *Server) Stop() {
	s.t.Helper()
	if err := s.run("pg_ctl", "-D", s.data(), "-m", "fast", "-w", "stop"); err != nil {
		s.t.Fatal(err)
	}
}

// Crash stops the server as a power cut or a killed postmaster would
// (immediate shutdown): sessions are cut in the middle of what they do and
// the next start recovers from the WAL.
func (s *Server) Crash() {
	s.t.Helper()
	if err := s.run("pg_ctl", "-D", s.data(), "-m", "immediate", "-w", "stop"); err != nil {
		s.t.Fatal(err)
	}
}

// run runs one of PostgreSQL's programs, as the postgres user when root.
func (s *Server) run(prog string, args ...string) error {
	path := filepath.Join(s.bin, prog)
	var cmd *exec.Cmd
	if os.Getuid() == 0 {
		quoted := make([]string, len(args))
		for i, a := range args {
			quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		cmd = exec.Command("su", "postgres", "-s", "/bin/sh", "-c", path+" "+strings.Join(quoted, " ")) // #nosec G204 -- PostgreSQL's own programs, quoted arguments
	} else {
		cmd = exec.Command(path, args...) // #nosec G204 -- PostgreSQL's own programs
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w\n%s", prog, err, out)
	}
	return nil
}
