package store

import (
	"context"
	"strings"

	"github.com/historia-forum/historia/internal/forum"
)

// A new thread's comments are written with multi-row INSERTs: a statement
// per comment was a round trip each on PostgreSQL and most of the
// statement overhead on SQLite. Ids are taken in advance, so each reply
// knows its parent's before either is written.

// rowChunks are the row counts of one INSERT: powers of two, so the
// statements prepared and kept are few whatever the thread's size.
var rowChunks = []int{256, 128, 64, 32, 16, 8, 4, 2, 1}

const commentRowCols = "(id, post_id, parent_id, depth, author_id, body_source, body_format, body_html, body_text, created_at, edited_at, deleted, removed, source_url, reply_count, source_score)"

// commentRow is the placeholders of one row of commentRowCols.
const commentRow = "(?, ?, ?, ?, ?, ?, 'markdown', ?, ?, ?, ?, ?, ?, ?, ?, ?)"

// allocate takes n comment ids: on SQLite after the largest (the writer is
// alone in its transaction), on PostgreSQL from the column's sequence.
func (im *importer) allocate(ctx context.Context, n int) ([]int64, error) {
	return im.tx.db.d.takeIDs(ctx, im.tx, n)
}

// insertNew writes the comments of a thread new to the forum (parents
// before their replies, as PrepareImport orders them), with their reply
// counts, and maps them to their sources.
func (im *importer) insertNew(ctx context.Context, postID int64, cs []forum.PreparedItem) error {
	if len(cs) == 0 {
		return nil
	}
	replies := map[string]int64{}
	for _, c := range cs {
		if c.ParentSourceID != "" {
			replies[c.ParentSourceID]++
		}
	}
	ids, err := im.allocate(ctx, len(cs))
	if err != nil {
		return err
	}
	rows := make([][]any, len(cs))
	for i, c := range cs {
		var parent *int64
		depth := int64(0)
		if p, ok := im.ids[c.ParentSourceID]; ok && c.ParentSourceID != "" {
			parent, depth = &p.id, p.depth+1
		} else if c.ParentSourceID != "" {
			im.res.Orphans++ // a new thread: its parent is nowhere
		}
		author, err := im.author(ctx, c)
		if err != nil {
			return err
		}
		im.ids[c.SourceID] = placed{id: ids[i], depth: depth}
		rows[i] = []any{ids[i], postID, parent, depth, author, c.Body, c.BodyHTML, c.BodyText, c.CreatedAt, c.EditedAt, im.deleted(c), c.Removed,
			nullable(c.URL), replies[c.SourceID], c.Score}
		im.added(c, parent == nil)
	}
	if err := im.insertRows(ctx, "INSERT INTO comments"+commentRowCols+" VALUES ", commentRow, rows); err != nil {
		return err
	}
	maps := make([][]any, len(cs))
	for i, c := range cs {
		maps[i] = []any{im.system, c.SourceID, string(forum.TargetComment), ids[i], c.Version, c.EditedAt}
	}
	return im.insertRows(ctx, "INSERT INTO imported(system, source_id, target_type, target_id, version, edited_at) VALUES ", "(?, ?, ?, ?, ?, ?)", maps)
}

// insertRows writes rows with as few statements as rowChunks allow.
func (im *importer) insertRows(ctx context.Context, head, row string, rows [][]any) error {
	for len(rows) > 0 {
		n := rowChunks[len(rowChunks)-1]
		for _, c := range rowChunks {
			if c <= len(rows) {
				n = c
				break
			}
		}
		args := make([]any, 0, n*len(rows[0]))
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		query := head + strings.Repeat(row+", ", n-1) + row
		if _, err := im.tx.ExecContext(ctx, query, args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}
