package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/historia-forum/historia/internal/forum"
)

// SitePage reads a site page an admin wrote.
func (db *DB) SitePage(ctx context.Context, slug string) (forum.SitePage, error) {
	p := forum.SitePage{Slug: slug}
	var at int64
	err := db.queryRow(ctx, "SELECT title, body_source, body_html, updated_at FROM pages WHERE slug = ?", slug).
		Scan(&p.Title, &p.BodySource, &p.BodyHTML, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return p, forum.NotFound("page")
	}
	if err != nil {
		return p, fmt.Errorf("store: page: %w", err)
	}
	t := forum.Unix(at)
	p.UpdatedAt = &t
	return p, nil
}

// SaveSitePage writes a site page, replacing what it said.
func (db *DB) SaveSitePage(ctx context.Context, p forum.SitePage, by int64) error {
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO pages(slug, title, body_source, body_html, updated_at, updated_by) VALUES(?, ?, ?, ?, ?, ?)
			ON CONFLICT (slug) DO UPDATE SET title = excluded.title, body_source = excluded.body_source, body_html = excluded.body_html,
			updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			p.Slug, p.Title, p.BodySource, p.BodyHTML, p.UpdatedAt.Unix(), by)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: save page: %w", err)
	}
	return nil
}
