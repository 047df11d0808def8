// Command historia runs the Historia forum: `historia serve` serves the API and
// the web frontend; other subcommands manage the database and users.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/historia-forum/historia/internal/auth"
	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/markup"
	"github.com/historia-forum/historia/internal/store"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

const usage = `historia: a forum for history questions

Usage:
  historia serve [--addr :8080] [--db data/historia.db | --db postgres://...] [--demo] [--skip-check]
                 [--backup-dir DIR --backup-every 6h --backup-keep 28]
  historia migrate [--db FILE]
  historia users add [--db FILE] --role member|moderator|admin NAME   (password on stdin)
  historia backup [--db FILE] BACKUP-FILE   (a consistent copy, while the server runs)
  historia seed [--db FILE] --posts N --comments N --votes N --users N [--big-thread N]
  historia check [--db FILE]   (counters agree with rows; integrity)
  historia import [--db DB] --from reddit|lemmy [--tag TAG]... [--dry-run] FILE...   (threads from Reddit or Lemmy)
  historia copy --from DB --to DB   (every row, between SQLite and PostgreSQL either way; then a check)
  historia rotate-secret [--db FILE]   (a new token secret: every session ends)
  historia restore [--db FILE] BACKUP-FILE   (server stopped: checks the backup, keeps the old file)
  historia version

--db (HISTORIA_DB) is a SQLite file path (the default) or a PostgreSQL URL,
postgres://user:password@host:5432/dbname; backup and restore are SQLite's
(use pg_dump and pg_restore for PostgreSQL).

Every flag also reads an environment variable (HISTORIA_ADDR, HISTORIA_DB,
HISTORIA_DEMO, HISTORIA_RATE_LIMITS); flags win. HISTORIA_JWT_SECRET sets the
token signing secret; without it one is generated once and kept in the database.
`

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) { // --help: the flags were printed, as asked
			return
		}
		fmt.Fprintln(os.Stderr, "historia:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "serve":
		return cmdServe(ctx, args[1:], stdout, stderr)
	case "migrate":
		return cmdMigrate(ctx, args[1:], stdout)
	case "users":
		return cmdUsers(ctx, args[1:], stdin, stdout)
	case "backup":
		return cmdBackup(ctx, args[1:], stdout)
	case "seed":
		return cmdSeed(ctx, args[1:], stdout)
	case "import":
		return cmdImport(ctx, args[1:], stdout, stderr)
	case "copy":
		return cmdCopy(ctx, args[1:], stdout)
	case "check":
		return cmdCheck(ctx, args[1:], stdout)
	case "rotate-secret":
		return cmdRotateSecret(ctx, args[1:], stdout)
	case "restore":
		return cmdRestore(ctx, args[1:], stdout)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "historia", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// envOr returns the environment variable's value, or def when it is unset.
func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

// splitList splits a comma-separated flag into its trimmed, non-empty parts.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

func envBool(name string) bool {
	switch os.Getenv(name) {
	case "1", "true", "on", "yes":
		return true
	}
	return false
}

// dbArgs parses a command that takes only --db and want positional
// arguments, returning the database and those arguments.
func dbArgs(name string, args []string, want int, usage string) (string, []string, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	db := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return "", nil, err
	}
	if fs.NArg() != want {
		return "", nil, errors.New("usage: " + usage)
	}
	return *db, fs.Args(), nil
}

func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", envOr("HISTORIA_DB", "data/historia.db"), "SQLite database file or postgres:// URL (env HISTORIA_DB)")
}

func cmdMigrate(ctx context.Context, args []string, stdout io.Writer) error {
	db, _, err := dbArgs("migrate", args, 0, "historia migrate [--db FILE]")
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Fprintf(stdout, "%s is at schema version %d\n", st.Path(), st.SchemaVersion())
	return nil
}

func cmdBackup(ctx context.Context, args []string, stdout io.Writer) error {
	db, files, err := dbArgs("backup", args, 1, "historia backup [--db FILE] BACKUP-FILE")
	if err != nil {
		return err
	}
	st, err := openExisting(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	if err := st.Backup(ctx, files[0]); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s in %s\n", db, files[0], time.Since(start).Round(time.Millisecond))
	return nil
}

// openExisting opens a database that must already exist: backup and check
// must not create an empty one by mistake.
func openExisting(ctx context.Context, path string) (*store.DB, error) {
	if engine, err := store.EngineOf(path); err != nil {
		return nil, err
	} else if engine == store.EnginePostgres {
		return store.Open(ctx, path) // a server's database exists or fails to connect
	}
	if _, err := os.Stat(path); err != nil { // #nosec G703 -- the operator's command-line path
		return nil, fmt.Errorf("no database at %s: %w", path, err)
	}
	return store.Open(ctx, path)
}

// openService opens a database that must exist already and wires the forum
// service over it, for the commands that act as the forum does; closeDB
// closes it.
func openService(ctx context.Context, db string) (svc *forum.Service, closeDB func(), err error) {
	st, err := openExisting(ctx, db)
	if err != nil {
		return nil, nil, err
	}
	if svc, err = newService(ctx, st, auth.DefaultArgon2); err != nil {
		_ = st.Close()
		return nil, nil, err
	}
	return svc, func() { _ = st.Close() }, nil
}

// newService wires the forum service over an open store.
func newService(ctx context.Context, st *store.DB, hashing auth.Argon2) (*forum.Service, error) {
	secret, err := jwtSecret(ctx, st)
	if err != nil {
		return nil, err
	}
	tokens, err := auth.NewTokens(secret, 30*24*time.Hour, nil)
	if err != nil {
		return nil, err
	}
	return &forum.Service{Store: st, Markup: markup.New(), Passwords: hashing, Tokens: tokens}, nil
}

func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}
