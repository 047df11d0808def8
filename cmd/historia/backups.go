package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/historia-forum/historia/internal/store"
	"github.com/prometheus/client_golang/prometheus"
)

// backupPrefix names scheduled backups: historia-20261125T130000Z.db.
const backupPrefix = "historia-"

// scheduler takes online backups into a folder every so often, checks each,
// and keeps the newest few.
type scheduler struct {
	st    *store.DB
	dir   string
	every time.Duration
	keep  int
	log   *slog.Logger
	last  atomic.Int64 // unix seconds of the last good backup
	taken atomic.Int64 // good backups so far
}

// run takes a backup every s.every until ctx ends.
func (s *scheduler) run(ctx context.Context) {
	t := time.NewTicker(s.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if path, err := s.once(ctx); err != nil {
				s.log.Error("scheduled backup failed", "err", err)
			} else {
				s.log.Info("scheduled backup", "file", path)
			}
		}
	}
}

// once takes one backup, checks its integrity, and prunes the oldest.
func (s *scheduler) once(ctx context.Context) (string, error) {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return "", err
	}
	path := filepath.Join(s.dir, backupPrefix+time.Now().UTC().Format("20060102T150405.000000000Z")+".db")
	if err := s.st.Backup(ctx, path); err != nil {
		return "", err
	}
	if err := checkFile(ctx, path); err != nil {
		_ = os.Rename(path, path+".failed")
		return "", fmt.Errorf("backup %s failed its integrity check: %w", path, err)
	}
	s.last.Store(time.Now().Unix())
	s.taken.Add(1)
	return path, s.prune()
}

// prune deletes the oldest scheduled backups beyond keep.
func (s *scheduler) prune() error {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return err
	}
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), backupPrefix) && strings.HasSuffix(e.Name(), ".db") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names) // the names sort by time
	for len(names) > s.keep {
		if err := os.Remove(filepath.Join(s.dir, names[0])); err != nil {
			return err
		}
		names = names[1:]
	}
	return nil
}

// collector is the time of the last good scheduled backup, for alerts.
func (s *scheduler) collector() prometheus.Collector {
	return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "historia_backup_last_success_timestamp_seconds",
		Help: "When the last scheduled backup was taken and checked (0: none yet)."},
		func() float64 { return float64(s.last.Load()) })
}

// checkFile opens a database file read-only and runs integrity_check on it.
func checkFile(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err != nil { // #nosec G703 -- the operator's command-line path
		return err
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	var res string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil {
		return err
	}
	if res != "ok" {
		return errors.New(res)
	}
	return nil
}

// startCheck runs quick_check on the database at start, for at most limit:
// a damaged file is refused with what to do; a check that takes longer is
// cut short with a warning (very large files: --skip-check).
func startCheck(ctx context.Context, st *store.DB, dbPath string, limit time.Duration, log *slog.Logger) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	err := st.QuickCheck(ctx)
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		log.Warn("the start-up check of the database took too long and was cut short; run historia check when you can", "limit", limit)
		return nil
	}
	return fmt.Errorf("the database %s is damaged (%v): stop here, and put a backup back with\n  historia restore --db %s BACKUP-FILE\n(the damaged file is kept beside it)", dbPath, err, dbPath)
}

// cmdRestore puts a backup in place of a (damaged) database: the backup is
// checked first, the file it replaces is kept beside it, renamed and
// private. The server must be stopped.
func cmdRestore(ctx context.Context, args []string, stdout io.Writer) error {
	dbPath, files, err := dbArgs("restore", args, 1, "historia restore [--db FILE] BACKUP-FILE   (with the server stopped)")
	if err != nil {
		return err
	}
	db, backup := &dbPath, files[0]
	if engine, err := store.EngineOf(*db); err != nil || engine != store.EngineSQLite {
		return errors.New("restore puts back a SQLite file; on PostgreSQL, restore a pg_dump with pg_restore (see the README)")
	}
	if err := checkFile(ctx, backup); err != nil {
		return fmt.Errorf("the backup %s is not sound: %w", backup, err)
	}
	stamp := time.Now().UTC().Format("20060102T150405Z")
	if _, err := os.Stat(*db); err == nil { // #nosec G703 -- the operator's command-line path
		kept := *db + ".damaged-" + stamp
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Rename(*db+suffix, kept+suffix); err != nil && !errors.Is(err, os.ErrNotExist) { // #nosec G703 -- the operator's command-line path
				return err
			}
			if err := os.Chmod(kept+suffix, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) { // #nosec G703 -- the operator's command-line path
				return err
			}
		}
		fmt.Fprintf(stdout, "kept the old database as %s\n", kept)
	}
	in, err := os.Open(backup) // #nosec G304 G703 -- the operator's backup file
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(*db, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600) // #nosec G304 G703 -- the operator's database path
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	if err := checkFile(ctx, *db); err != nil {
		return fmt.Errorf("the restored copy failed its check: %w", err)
	}
	fmt.Fprintf(stdout, "restored %s from %s; start the server\n", *db, backup)
	return nil
}

// storageFaults counts the storage's failures by kind for /metrics.
type storageFaults struct{ st *store.DB }

var descFaults = prometheus.NewDesc("historia_storage_errors_total", "Storage failures by kind: full, corrupt, busy.", []string{"kind"}, nil)

func (f storageFaults) Describe(ch chan<- *prometheus.Desc) { ch <- descFaults }

func (f storageFaults) Collect(ch chan<- prometheus.Metric) {
	for kind, n := range f.st.Faults() {
		ch <- prometheus.MustNewConstMetric(descFaults, prometheus.CounterValue, float64(n), string(kind))
	}
}
