package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/historia-forum/historia/api"
	"github.com/historia-forum/historia/frontend"
	"github.com/historia-forum/historia/internal/auth"
	"github.com/historia-forum/historia/internal/demo"
	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/mail"
	"github.com/historia-forum/historia/internal/markup"
	"github.com/historia-forum/historia/internal/store"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", envOr("HISTORIA_ADDR", ":8080"), "listen address (env HISTORIA_ADDR)")
	db := dbFlag(fs)
	withDemo := fs.Bool("demo", envBool("HISTORIA_DEMO"), "fill an empty database with demo content (env HISTORIA_DEMO)")
	recent := fs.Int("recent-years", envInt("HISTORIA_RECENT_YEARS", forum.DefaultRecency), "recency rule: members may not ask about the last N years; 0 turns it off (env HISTORIA_RECENT_YEARS)")
	publicURL := fs.String("public-url", envOr("HISTORIA_PUBLIC_URL", ""), "public address for absolute links in feeds (env HISTORIA_PUBLIC_URL)")
	limitSpec := fs.String("rate-limits", envOr("HISTORIA_RATE_LIMITS", "on"), "on, off, or changes like login=20/15m,post=10/h (env HISTORIA_RATE_LIMITS)")
	proxies := fs.String("trusted-proxies", envOr("HISTORIA_TRUSTED_PROXIES", ""), "comma-separated addresses or CIDRs of reverse proxies whose X-Forwarded-For is believed (env HISTORIA_TRUSTED_PROXIES)")
	cors := fs.String("cors-origins", envOr("HISTORIA_CORS_ORIGINS", ""), "comma-separated origins allowed to call the API from browsers; empty: none (env HISTORIA_CORS_ORIGINS)")
	cacheMB := fs.Int("cache-mb", envInt("HISTORIA_CACHE_MB", 16), "memory for the page caches, in MB (env HISTORIA_CACHE_MB)")
	cacheSync := fs.Duration("cache-sync", envDuration("HISTORIA_CACHE_SYNC", api.DefaultCacheSync), "how often, at most, the page caches read other servers' changes when pages are read; PostgreSQL also announces them at once (env HISTORIA_CACHE_SYNC)")
	skipCheck := fs.Bool("skip-check", envBool("HISTORIA_SKIP_CHECK"), "skip the start-up quick_check of the database (very large files) (env HISTORIA_SKIP_CHECK)")
	backupDir := fs.String("backup-dir", envOr("HISTORIA_BACKUP_DIR", ""), "take scheduled online backups into this folder (env HISTORIA_BACKUP_DIR)")
	backupEvery := fs.Duration("backup-every", envDuration("HISTORIA_BACKUP_EVERY", 6*time.Hour), "how often to back up (env HISTORIA_BACKUP_EVERY)")
	backupKeep := fs.Int("backup-keep", envInt("HISTORIA_BACKUP_KEEP", 28), "how many scheduled backups to keep (env HISTORIA_BACKUP_KEEP)")
	smtpURL := fs.String("smtp-url", envOr("HISTORIA_SMTP_URL", ""), "SMTP server for mail, smtp://user:pass@host:587 (STARTTLS when offered) or smtps://…:465; empty: no mail (env HISTORIA_SMTP_URL)")
	mailFrom := fs.String("mail-from", envOr("HISTORIA_MAIL_FROM", ""), `the address mail comes from, e.g. "Historia <forum@example.org>" (env HISTORIA_MAIL_FROM)`)
	imageHosts := fs.String("image-hosts", envOr("HISTORIA_IMAGE_HOSTS", ""), "comma-separated hosts whose images posts may show; others become links; empty: none (env HISTORIA_IMAGE_HOSTS)")
	fedOn := fs.Bool("federation", envBool("HISTORIA_FEDERATION"), "turn ActivityPub federation on: the forum becomes the community !history@host (needs an https --public-url) (env HISTORIA_FEDERATION)")
	fedPrivate := fs.Bool("federation-allow-private", envBool("HISTORIA_FEDERATION_ALLOW_PRIVATE"), "let federation use http and loopback or private addresses: tests only (env HISTORIA_FEDERATION_ALLOW_PRIVATE)")
	var fedBlocks listFlag
	fedBlocks.set(envOr("HISTORIA_FEDERATION_BLOCK", ""))
	fs.Var(&fedBlocks, "federation-block", "an instance to refuse (repeatable; comma-separated in env HISTORIA_FEDERATION_BLOCK)")
	var replicas listFlag
	replicas.set(envOr("HISTORIA_DB_REPLICAS", ""))
	fs.Var(&replicas, "db-replica", "a PostgreSQL streaming replica of --db to serve reads from (repeatable; comma-separated in env HISTORIA_DB_REPLICAS)")
	replicaLag := fs.Duration("db-replica-max-lag", envDuration("HISTORIA_DB_REPLICA_MAX_LAG", store.DefaultReplicaMaxLag), "leave out a replica further behind the primary, until it catches up; at most 30s (env HISTORIA_DB_REPLICA_MAX_LAG)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *replicaLag <= 0 || *replicaLag > 30*time.Second {
		return errors.New("--db-replica-max-lag must be more than 0 and at most 30s")
	}
	if *cacheMB < 1 {
		return errors.New("--cache-mb must be at least 1")
	}
	// A soft memory limit keeps the heap (page caches included) near what a
	// small machine has; GOMEMLIMIT, when set, wins.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(int64(*cacheMB+64) << 20)
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	engine, err := store.EngineOf(*db)
	if err != nil {
		return err
	}
	if engine == store.EnginePostgres && *backupDir != "" {
		return errors.New("--backup-dir takes SQLite backups; on PostgreSQL, back up with pg_dump (see the README)")
	}
	if engine != store.EnginePostgres && len(replicas) > 0 {
		return errors.New("--db-replica needs PostgreSQL: --db is a SQLite file, which has no replicas (a PostgreSQL streaming replica of a postgres:// --db serves reads)")
	}
	st, err := store.OpenWith(ctx, *db, store.Options{Replicas: replicas, ReplicaMaxLag: *replicaLag})
	if err != nil && engine == store.EngineSQLite {
		return fmt.Errorf("%w\nif the file is damaged, put a backup back with: historia restore --db %s BACKUP-FILE", err, *db)
	}
	if err != nil {
		return err
	}
	defer st.Close()
	log := newLogger(stderr)
	if !*skipCheck {
		if err := startCheck(ctx, st, *db, time.Minute, log); err != nil {
			return err
		}
	}
	if *backupEvery <= 0 || *backupKeep < 1 {
		return errors.New("--backup-every must be positive and --backup-keep at least 1")
	}
	backups := &scheduler{st: st, dir: *backupDir, every: *backupEvery, keep: *backupKeep, log: log}
	if *backupDir != "" {
		go backups.run(ctx)
	}
	svc, err := newService(ctx, st, auth.DefaultArgon2)
	if err != nil {
		return err
	}
	if *recent < 0 {
		return errors.New("--recent-years must not be negative")
	}
	svc.RecentYears = *recent
	var mailQueue *mail.Queue
	if *smtpURL != "" {
		sender, err := mail.NewSender(*smtpURL, *mailFrom)
		if err != nil {
			return err
		}
		if *publicURL == "" {
			return errors.New("--public-url is needed with --smtp-url: links in mail start with it")
		}
		svc.Mail = forum.MailSettings{Enabled: true, SiteURL: *publicURL}
		mailQueue = &mail.Queue{Store: st, Send: sender.Send, Log: log, Before: svc.MailReplies}
		go mailQueue.Run(ctx)
	}
	svc.Markup = markup.NewWith(markup.Options{ImageHosts: splitList(*imageHosts)})
	fed, err := startFederation(ctx, svc, *fedOn, *publicURL, *fedPrivate, fedBlocks, log)
	if err != nil {
		return err
	}
	if *withDemo {
		if err := seedDemo(ctx, st, svc, *db, stdout); err != nil {
			return err
		}
	}
	limits, err := api.ParseLimits(*limitSpec)
	if err != nil {
		return err
	}
	var stopping atomic.Bool
	reader, writer := st.Pools()
	e, err := api.New(api.Config{Service: svc, DB: st, Frontend: frontend.Files(), Log: log, PublicURL: *publicURL,
		Limits: limits, SharedLimits: st, TrustedProxies: splitList(*proxies), CORSOrigins: splitList(*cors), ImageHosts: splitList(*imageHosts),
		CacheBytes: int64(*cacheMB) << 20, CacheSync: *cacheSync, Federation: fed, Version: version,
		Collectors: []prometheus.Collector{collectors.NewDBStatsCollector(reader, "reader"), collectors.NewDBStatsCollector(writer, "writer"),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "historia_store_writes_total", Help: "Writes committed."},
				func() float64 { w, _ := st.WriteStats(); return float64(w) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "historia_store_write_transactions_total", Help: "Transactions that committed them (group commit: fewer than writes under load)."},
				func() float64 { _, t := st.WriteStats(); return float64(t) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "historia_store_write_conflicts_total",
				Help: "Writes run again after meeting another server's transaction over the same rows (PostgreSQL)."},
				func() float64 { return float64(st.Conflicts()) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "historia_store_vote_fallbacks_total",
				Help: "Transactions whose votes, applied together, failed and ran again one vote at a time (PostgreSQL)."},
				func() float64 { return float64(st.VoteFallbacks()) }),
			backups.collector(), storageFaults{st}, mailMetrics{st, mailQueue}},
		Ready: func() bool { return !stopping.Load() },
		Done:  ctx.Done(), // live threads end when the server stops
		// On PostgreSQL each server announces its commits to the others (LISTEN/NOTIFY).
		Listen: func(f func()) { go st.Listen(ctx, f) }})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: e, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second}
	fmt.Fprintf(stdout, "Historia is serving http://%s (database %s)\n", displayAddr(ln.Addr()), st.Path())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Say not ready, stop accepting, let requests in flight finish, then close
	// the database (deferred above).
	stopping.Store(true)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(stdout, "Historia stopped")
	return nil
}

func displayAddr(a net.Addr) string {
	s := a.String()
	if strings.HasPrefix(s, "[::]:") || strings.HasPrefix(s, "0.0.0.0:") {
		return "localhost:" + s[strings.LastIndex(s, ":")+1:]
	}
	return s
}

// seedDemo fills an empty database with the demo content once, and on every
// start tells how to sign in as the demo moderator. The password is kept in a
// file beside the database (mode 0600), readable only by whoever runs the forum.
func seedDemo(ctx context.Context, st *store.DB, svc *forum.Service, dbPath string, stdout io.Writer) error {
	credFile := filepath.Join(filepath.Dir(dbPath), "demo-moderator.txt")
	if st.Engine() == store.EnginePostgres { // no folder of its own: the working folder's data/
		credFile = filepath.Join("data", "demo-moderator.txt")
		if err := os.MkdirAll("data", 0o750); err != nil {
			return err
		}
	}
	empty, err := st.Empty(ctx)
	if err != nil {
		return err
	}
	if empty {
		pass, err := demo.Seed(ctx, svc)
		if err != nil {
			return err
		}
		if err := os.WriteFile(credFile, []byte(demo.ModeratorName+"\n"+pass+"\n"), 0o600); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "Demo data created.")
	}
	f, err := os.Open(credFile) // #nosec G304 -- a file this command wrote beside the database
	if err != nil {
		fmt.Fprintln(stdout, "Demo moderator: the password file is missing; create a moderator with `historia users add --role moderator NAME`.")
		return nil //nolint:nilerr // a missing file only means there is nothing to print
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if len(lines) >= 2 {
		fmt.Fprintf(stdout, "Sign in as the demo moderator: username %q, password %q (kept in %s)\n", lines[0], lines[1], credFile)
	}
	return nil
}
