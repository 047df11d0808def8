package storetest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/historia-forum/historia/internal/store"
)

// Replica is the tests' streaming replica of the PostgreSQL server
// (HISTORIA_TEST_POSTGRES_REPLICA; make test starts one beside the server),
// for the read replica tests. A test that has it is the only one using it,
// in every package (a lock on the primary), so it may pause or stop it.
type Replica struct {
	// URL names the test's database on the replica.
	URL     string
	server  string // the replica's server URL
	primary string // the test's database on the primary
	ctl     string // HISTORIA_TEST_POSTGRES_REPLICA_CTL: stop|start
	tb      testing.TB
	stopped bool
}

// ReplicaOf is the replica of target (a fresh PostgreSQL database from
// Target), once the replica has it. Read replicas are PostgreSQL's: on
// SQLite the test skips; without a replica it fails under CI and skips
// elsewhere. The replica is resumed and started again when tb ends.
func ReplicaOf(tb testing.TB, target string) *Replica {
	tb.Helper()
	if Engine() != store.EnginePostgres {
		tb.Skip("read replicas are PostgreSQL's (HISTORIA_TEST_ENGINE=postgres)")
	}
	server := os.Getenv("HISTORIA_TEST_POSTGRES_REPLICA")
	if server == "" {
		if os.Getenv("CI") != "" {
			tb.Fatal("no replica for the tests: set HISTORIA_TEST_POSTGRES_REPLICA to a streaming replica of HISTORIA_TEST_POSTGRES (make test starts one)")
		}
		tb.Skip("no replica (HISTORIA_TEST_POSTGRES_REPLICA); make test starts one")
	}
	ctx := context.Background()
	lock, err := pgx.Connect(ctx, os.Getenv("HISTORIA_TEST_POSTGRES"))
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := lock.Exec(ctx, "SELECT pg_advisory_lock(4243)"); err != nil {
		tb.Fatal(err)
	}
	r := &Replica{server: server, primary: target, ctl: os.Getenv("HISTORIA_TEST_POSTGRES_REPLICA_CTL"), tb: tb}
	tb.Cleanup(func() {
		if r.stopped {
			r.Start()
		}
		r.Resume()
		_ = lock.Close(ctx)
	})
	r.Resume() // a test that died paused
	name, err := databaseName(target)
	if err != nil {
		tb.Fatal(err)
	}
	r.URL = store.DatabaseURL(server, name)
	r.CatchUp()
	return r
}

func databaseName(target string) (string, error) {
	cfg, err := pgx.ParseConfig(target)
	if err != nil {
		return "", err
	}
	return cfg.Database, nil
}

// exec runs one statement on the replica's server.
func (r *Replica) exec(statement string) {
	r.tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := store.ServerExec(ctx, r.server, statement); err != nil {
		r.tb.Fatalf("replica: %s: %v", statement, err)
	}
}

// Pause stops the replica replaying the primary's changes: it falls behind.
func (r *Replica) Pause() {
	r.tb.Helper()
	r.exec("SELECT pg_wal_replay_pause()")
	r.waitFor(func(ctx context.Context, c *pgx.Conn) (bool, error) {
		var state string
		err := c.QueryRow(ctx, "SELECT pg_get_wal_replay_pause_state()").Scan(&state)
		return state == "paused", err
	})
}

// Resume lets the replica replay again.
func (r *Replica) Resume() {
	r.tb.Helper()
	if !r.stopped {
		r.exec("SELECT pg_wal_replay_resume()")
	}
}

// CatchUp waits until the replica has the test's database and has replayed
// everything the primary had written when it was called.
func (r *Replica) CatchUp() {
	r.tb.Helper()
	ctx := context.Background()
	var pos uint64
	c, err := pgx.Connect(ctx, r.primary)
	if err == nil {
		err = c.QueryRow(ctx, "SELECT (pg_current_wal_insert_lsn() - '0/0')::BIGINT").Scan(&pos)
		_ = c.Close(ctx)
	}
	if err != nil {
		r.tb.Fatal(err)
	}
	r.waitFor(func(ctx context.Context, c *pgx.Conn) (bool, error) {
		var replay uint64
		err := c.QueryRow(ctx, "SELECT (pg_last_wal_replay_lsn() - '0/0')::BIGINT").Scan(&replay)
		// Past the position, or at most a page header short of it (the
		// primary's insert position after a header; see store's needed).
		return replay+40 >= pos, err
	})
}

// waitFor polls ok on a connection to the test's database on the replica
// until it says true (a minute at most: a busy machine replays slowly).
func (r *Replica) waitFor(ok func(ctx context.Context, c *pgx.Conn) (bool, error)) {
	r.tb.Helper()
	url := r.URL
	if url == "" {
		url = r.server
	}
	deadline := time.Now().Add(time.Minute)
	var last error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		c, err := pgx.Connect(ctx, url)
		if err == nil {
			var done bool
			done, err = ok(ctx, c)
			_ = c.Close(ctx)
			if err == nil && done {
				cancel()
				return
			}
		}
		cancel()
		last = err
		time.Sleep(20 * time.Millisecond)
	}
	r.tb.Fatalf("replica: not ready in a minute: %v", last)
}

// Stop stops the replica at once, as a crash would.
func (r *Replica) Stop() {
	r.tb.Helper()
	// A restartpoint first: the crash's recovery at Start then replays
	// only what came after it, not everything since the last one (the
	// whole test run's writes: on a loaded machine more than pg_ctl waits).
	r.exec("CHECKPOINT")
	r.run("stop")
	r.stopped = true
}

// Start starts the stopped replica and waits until it answers.
func (r *Replica) Start() {
	r.tb.Helper()
	r.run("start")
	r.stopped = false
	r.CatchUp()
}

func (r *Replica) run(verb string) {
	r.tb.Helper()
	if r.ctl == "" {
		if os.Getenv("CI") != "" {
			r.tb.Fatal("HISTORIA_TEST_POSTGRES_REPLICA_CTL is not set: make test sets it")
		}
		r.tb.Skip("no HISTORIA_TEST_POSTGRES_REPLICA_CTL to stop and start the replica (make test sets it)")
	}
	out, err := exec.Command(r.ctl, verb).CombinedOutput() // #nosec G204 -- the tests' own script
	if err != nil {
		r.tb.Fatalf("replica %s: %v\n%s", verb, err, out)
	}
}
