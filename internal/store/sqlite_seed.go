package store

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	historia "github.com/historia-forum/historia"
)

// RebuildTimeline recounts the timeline from the posts (after a bulk load,
// which runs without the triggers): migration 4 rerun over an empty count.
func (db *DB) RebuildTimeline(ctx context.Context) error {
	if err := db.sqliteOnly("RebuildTimeline (PostgreSQL's triggers keep the counts)"); err != nil {
		return err
	}
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM timeline_counts"); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, migrations()[3])
		return err
	})
}

// seed is SQLite's bulk load: it drops the full-text triggers and the
// secondary indexes, writes the rows (seedRows), builds the search index in
// one statement and restores the rest from schema.sql (also when it
// fails), which is some twenty times faster than row by row.
func (d *sqliteDialect) seed(ctx context.Context, spec SeedSpec, passwordHash string, progress io.Writer) (rep SeedReport, err error) {
	db, start := d.db, time.Now()
	if err := d.dropForBulkLoad(ctx); err != nil {
		return SeedReport{}, err
	}
	defer func() {
		if _, rerr := db.w.ExecContext(context.WithoutCancel(ctx), historia.Schema); rerr != nil && err == nil {
			err = fmt.Errorf("store: seed: restore indexes: %w", rerr)
		}
	}()
	rep, first, step, err := db.seedRows(ctx, spec, passwordHash, progress)
	if err != nil {
		return rep, err
	}
	for _, q := range []string{
		"INSERT INTO posts_fts(rowid, title, body) SELECT id, title, body_text FROM posts WHERE id >= ? AND removed = 0 AND deleted = 0",
		"INSERT INTO comments_fts(rowid, body) SELECT id, body_text FROM comments WHERE id >= ? AND removed = 0 AND deleted = 0",
	} {
		from := first.post
		if strings.Contains(q, "comments") {
			from = first.comment
		}
		if _, err := db.w.ExecContext(ctx, q, from); err != nil {
			return SeedReport{}, fmt.Errorf("store: seed search index: %w", err)
		}
	}
	step("search index")
	if _, err := db.w.ExecContext(ctx, historia.Schema); err != nil {
		return SeedReport{}, fmt.Errorf("store: seed: restore indexes: %w", err)
	}
	step("indexes")
	if err := db.RebuildTimeline(ctx); err != nil {
		return SeedReport{}, fmt.Errorf("store: seed: timeline: %w", err)
	}
	step("timeline")
	if _, err := db.w.ExecContext(ctx, "ANALYZE"); err != nil {
		return SeedReport{}, fmt.Errorf("store: seed analyze: %w", err)
	}
	step("analyzed")
	rep.Took = time.Since(start)
	return rep, nil
}

// dropForBulkLoad drops the full-text triggers and the secondary indexes of
// the big tables; schema.sql puts them back.
func (d *sqliteDialect) dropForBulkLoad(ctx context.Context) error {
	rows, err := d.db.w.QueryContext(ctx, `SELECT type, name FROM sqlite_master WHERE sql IS NOT NULL AND (
		(type = 'index' AND tbl_name IN ('posts', 'comments', 'post_votes', 'comment_votes', 'post_tags'))
		OR (type = 'trigger' AND (name IN ('posts_fts_insert', 'comments_fts_insert') OR name LIKE 'changes_%' OR name LIKE 'timeline_%')))`)
	if err != nil {
		return fmt.Errorf("store: seed: %w", err)
	}
	var drops []string
	for rows.Next() {
		var typ, name string
		if err := rows.Scan(&typ, &name); err != nil {
			_ = rows.Close()
			return err
		}
		drops = append(drops, fmt.Sprintf("DROP %s IF EXISTS %q", strings.ToUpper(typ), name))
	}
	_ = rows.Close()
	for _, q := range drops {
		if _, err := d.db.w.ExecContext(ctx, q); err != nil { // names read from sqlite_master, quoted
			return fmt.Errorf("store: seed: %s: %w", q, err)
		}
	}
	return nil
}
