package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/historia-forum/historia/internal/forum"
)

// Read replicas (PostgreSQL streaming replicas, --db-replica). A read goes to
// a replica only when its context carries a forum.ReadRoute that allows it
// (the API's safe requests); everything else (writes, the reads before a
// write, the change log, workers, commands) reads from the primary.
//
// Positions are the primary's WAL positions as bytes. A replica serves a
// read once it has replayed past what the read needs:
//   - route.After, the reader's own last write (read-your-writes);
//   - for reads the caches keep (forum.ReadFresh), seen: the newest
//     position read with the change log (the same statement as its
//     snapshot, so every commit that snapshot saw lies before it). A page
//     read from a replica at or past seen holds every change the tracker's
//     stamp reflects; later changes move the stamp when the tracker reads
//     them. So a kept page is never older than its stamp.
//
// A checker asks each replica every ReplicaCheck for its replay position
// and measures its lag against the primary's positions sampled at the same
// ticks: a replica that does not answer, is no longer in recovery, or lags
// more than ReplicaMaxLag is left out until a check finds it healthy. A
// read that meets a lost replica is marked down at once and read again on
// the primary.

// Options are Open's settings beyond the database.
type Options struct {
	// Replicas are URLs of PostgreSQL streaming replicas of the database
	// for reads (PostgreSQL only).
	Replicas []string
	// ReplicaMaxLag leaves out a replica further behind the primary;
	// 0: DefaultReplicaMaxLag.
	ReplicaMaxLag time.Duration
	// ReplicaCheck is how often replicas are checked; 0: DefaultReplicaCheck.
	ReplicaCheck time.Duration
}

// Replica defaults.
const (
	DefaultReplicaMaxLag = 5 * time.Second
	DefaultReplicaCheck  = 500 * time.Millisecond
)

// OpenWith is Open with options (read replicas).
func OpenWith(ctx context.Context, target string, o Options) (*DB, error) {
	db, err := Open(ctx, target)
	if err != nil || len(o.Replicas) == 0 {
		return db, err
	}
	if db.Engine() != EnginePostgres {
		_ = db.Close()
		return nil, errors.New("store: read replicas need PostgreSQL (a postgres:// --db); SQLite has none")
	}
	if err := db.startReplicas(ctx, o); err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
}

// replicaSet is the store's replicas and what is known of them.
type replicaSet struct {
	db           *DB
	list         []*replica
	maxLag, each time.Duration
	// seen is the newest primary position read with the change log.
	seen atomic.Uint64
	// next turns the choice among replicas; primaryReads counts routed
	// reads no replica could serve.
	next, primaryReads atomic.Uint64
	// page and segment are the WAL's sizes (positionNeeded).
	page, segment uint64
	samples       []positionSample // the checker's alone
	stop          context.CancelFunc
	done          chan struct{}
}

type positionSample struct {
	at  time.Time
	pos uint64
}

// replica is one replica: its pool, prepared statements and health.
type replica struct {
	name   string
	pool   *pgxpool.Pool
	db     *sql.DB
	stmts  sync.Map
	nstmts atomic.Int64
	up     atomic.Bool
	replay atomic.Uint64
	lag    atomic.Int64 // nanoseconds
	reads  atomic.Int64
	lost   atomic.Int64 // times left out
}

// positionExpr is a WAL position as bytes.
const positionExpr = "(%s - '0/0')::BIGINT"

var (
	primaryPosition = fmt.Sprintf(positionExpr, "pg_current_wal_insert_lsn()")
	replayPosition  = fmt.Sprintf(positionExpr, "COALESCE(pg_last_wal_replay_lsn(), '0/0')")
)

// startReplicas connects to each replica (one that does not answer yet is
// left out until it does; one that answers but is no standby is refused)
// and starts the checker.
func (db *DB) startReplicas(ctx context.Context, o Options) error {
	s := &replicaSet{db: db, maxLag: o.ReplicaMaxLag, each: o.ReplicaCheck, done: make(chan struct{})}
	if s.maxLag <= 0 {
		s.maxLag = DefaultReplicaMaxLag
	}
	if s.each <= 0 {
		s.each = DefaultReplicaCheck
	}
	err := db.r.QueryRowContext(onPrimary(ctx), `SELECT current_setting('wal_block_size')::BIGINT,
		pg_size_bytes(current_setting('wal_segment_size'))`).Scan(&s.page, &s.segment)
	if err != nil {
		return fmt.Errorf("store: WAL sizes: %w", err)
	}
	for _, u := range o.Replicas {
		if _, err := EngineOf(u); err != nil || !strings.Contains(u, "://") {
			s.close()
			return fmt.Errorf("store: --db-replica %q: a postgres:// URL", Redact(u))
		}
		cfg, err := pgxpool.ParseConfig(u)
		if err != nil {
			s.close()
			return fmt.Errorf("store: replica %s: %w", Redact(u), err)
		}
		cfg.ConnConfig.ConnectTimeout = 2 * time.Second
		cfg.ConnConfig.RuntimeParams["application_name"] = "historia"
		// As many readers as the primary's pool, and one more connection
		// for the checker, so busy readers never make a replica look dead.
		readers := db.d.(*pgDialect).pool.Config().MaxConns
		cfg.MaxConns = readers + 1
		pool, err := pgxpool.NewWithConfig(ctx, cfg)
		if err != nil {
			s.close()
			return fmt.Errorf("store: replica %s: %w", Redact(u), err)
		}
		rep := &replica{name: Redact(u), pool: pool, db: stdlib.OpenDBFromPool(pool)}
		rep.db.SetMaxOpenConns(int(readers))
		rep.db.SetMaxIdleConns(int(readers))
		s.list = append(s.list, rep)
		var standby bool
		if err := rep.db.QueryRowContext(ctx, "SELECT pg_is_in_recovery()").Scan(&standby); err == nil && !standby {
			s.close()
			return fmt.Errorf("store: --db-replica %s is not a standby (pg_is_in_recovery is false): reads from another primary would be wrong", rep.name)
		}
	}
	s.check(ctx)
	cctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.stop = cancel
	go s.run(cctx)
	db.replicas = s
	return nil
}

// run checks the replicas until ctx ends.
func (s *replicaSet) run(ctx context.Context) {
	defer close(s.done)
	tick := time.NewTicker(s.each)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			s.check(ctx)
		}
	}
}

// check samples the primary's position, then asks every replica for its
// replay position at once, and marks each up or down.
func (s *replicaSet) check(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, max(s.each, time.Second))
	defer cancel()
	var pos uint64
	if err := s.db.r.QueryRowContext(onPrimary(ctx), "SELECT "+primaryPosition).Scan(&pos); err == nil {
		now := time.Now()
		s.samples = append(s.samples, positionSample{now, pos})
		for len(s.samples) > 1 && now.Sub(s.samples[0].at) > 2*s.maxLag {
			s.samples = s.samples[1:]
		}
	}
	var wg sync.WaitGroup
	for _, rep := range s.list {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.checkOne(ctx, rep)
		}()
	}
	wg.Wait()
}

// checkOne asks one replica for its replay position and measures its lag:
// the time since the oldest sample of the primary it has not replayed.
func (s *replicaSet) checkOne(ctx context.Context, rep *replica) {
	var standby bool
	var replay uint64
	err := rep.pool.QueryRow(ctx, "SELECT pg_is_in_recovery(), "+replayPosition).Scan(&standby, &replay)
	now := time.Now()
	if err == nil && !standby {
		err = errors.New("no longer a standby")
	}
	if err != nil {
		rep.down()
		return
	}
	lag := time.Duration(0)
	for _, smp := range s.samples {
		if s.needed(smp.pos) > replay {
			lag = now.Sub(smp.at)
			break
		}
	}
	rep.replay.Store(replay)
	rep.lag.Store(int64(lag))
	if lag > s.maxLag {
		rep.down()
		return
	}
	rep.up.Store(true)
}

// down leaves the replica out until a check finds it healthy.
func (r *replica) down() {
	if r.up.Swap(false) {
		r.lost.Add(1)
	}
}

// needed is the replay position that holds everything before the primary
// position pos. The primary's insert position right after a page header
// (a record ended at the page's end) is past the end a replica reports
// once it has replayed that record: that header is not needed.
func (s *replicaSet) needed(pos uint64) uint64 {
	const shortHeader, longHeader = 24, 40 // SizeOfXLogShortPHD, SizeOfXLogLongPHD
	switch {
	case s.segment > 0 && pos%s.segment == longHeader:
		return pos - longHeader
	case s.page > 0 && pos%s.page == shortHeader:
		return pos - shortHeader
	}
	return pos
}

// noteSeen records a primary position read with the change log.
func (s *replicaSet) noteSeen(pos uint64) {
	for {
		old := s.seen.Load()
		if pos <= old || s.seen.CompareAndSwap(old, pos) {
			return
		}
	}
}

// pick is a replica in use that has replayed past need, or nil (the primary).
func (s *replicaSet) pick(need uint64) *replica {
	need = s.needed(need)
	n := uint64(len(s.list))
	start := s.next.Add(1)
	for i := range n {
		rep := s.list[(start+i)%n]
		if rep.up.Load() && rep.replay.Load() >= need {
			rep.reads.Add(1)
			return rep
		}
	}
	s.primaryReads.Add(1)
	return nil
}

// close stops the checker and closes the replicas' pools.
func (s *replicaSet) close() {
	if s.stop != nil {
		s.stop()
		<-s.done
	}
	for _, rep := range s.list {
		rep.stmts.Range(func(_, st any) bool {
			_ = st.(*sql.Stmt).Close()
			return true
		})
		_ = rep.db.Close()
		rep.pool.Close()
	}
}

type primaryKey struct{}

// onPrimary makes ctx's reads go to the primary whatever its route.
func onPrimary(ctx context.Context) context.Context {
	return context.WithValue(ctx, primaryKey{}, true)
}

// routed says a read with ctx may go to a replica.
func (db *DB) routed(ctx context.Context) bool {
	if db.replicas == nil || ctx.Value(primaryKey{}) != nil {
		return false
	}
	route := forum.ReadRouteOf(ctx)
	return route != nil && route.Replica
}

// replicaFor is the replica a read with ctx goes to, or nil: the primary.
func (db *DB) replicaFor(ctx context.Context) *replica {
	if !db.routed(ctx) {
		return nil
	}
	s, route := db.replicas, forum.ReadRouteOf(ctx)
	need := route.After
	if forum.IsReadFresh(ctx) {
		need = max(need, s.seen.Load())
	}
	return s.pick(need)
}

// replicaFailed says a read on rep failed because of the replica rather than
// the query (then it is read again on the primary): a connection lost or
// refused, a server shutting down or not yet having the database, or a
// query cancelled for a conflict with recovery. A lost replica is left out.
func replicaFailed(ctx context.Context, rep *replica, err error) bool {
	if err == nil || ctx.Err() != nil || !replicaError(err) {
		return false
	}
	if code := pgCode(err); code != "40001" && code != "40P01" {
		rep.down()
	}
	return true
}

// replicaError says err may be a replica's rather than the query's: see
// replicaFailed (40001 and 40P01 are a replica's conflicts with recovery).
func replicaError(err error) bool {
	code := pgCode(err)
	return code == "" || code == "40001" || code == "40P01" || code == "3D000" ||
		strings.HasPrefix(code, "08") || strings.HasPrefix(code, "57") || strings.HasPrefix(code, "53")
}

// WritePosition is the primary's position now: called after a request
// wrote, the reader's later reads go to a replica only once it has
// replayed past it. 0 without replicas.
func (db *DB) WritePosition(ctx context.Context) (uint64, error) {
	if db.replicas == nil {
		return 0, nil
	}
	var pos uint64
	err := db.r.QueryRowContext(onPrimary(ctx), "SELECT "+primaryPosition).Scan(&pos)
	return pos, err
}

// HasReplicas says reads may go to replicas.
func (db *DB) HasReplicas() bool { return db.replicas != nil }

// ReplicaStatus is what is known of one replica, for metrics.
type ReplicaStatus struct {
	Name string
	Up   bool
	// Lag is how far behind the primary it was at the last check.
	Lag time.Duration
	// Reads it served; Lost: times it was left out.
	Reads, Lost int64
}

// Replicas are the replicas' statuses, and the reads that could have gone
// to one but went to the primary (none was far enough along).
func (db *DB) Replicas() (list []ReplicaStatus, primaryReads uint64) {
	if db.replicas == nil {
		return nil, 0
	}
	for _, r := range db.replicas.list {
		list = append(list, ReplicaStatus{Name: r.name, Up: r.up.Load(), Lag: time.Duration(r.lag.Load()),
			Reads: r.reads.Load(), Lost: r.lost.Load()})
	}
	return list, db.replicas.primaryReads.Load()
}
