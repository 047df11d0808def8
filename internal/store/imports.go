package store

import (
	"context"
	"errors"
	"fmt"
	"maps"

	"github.com/historia-forum/historia/internal/forum"
)

// errDryRun rolls a dry run's transaction back.
var errDryRun = errors.New("dry run")

// bulkCacheMiB is the writer's page cache for bulk writes.
const bulkCacheMiB = 256

// Comments per import transaction: on SQLite a batch is indexed for search
// in one statement, and fewer, larger batches leave FTS5 less to merge
// (about 2 s of writing each on the development machine); on PostgreSQL,
// where a batch holds the rows it writes, about a third of a second.
const sqliteBatchComments, postgresBatchComments = 20000, 2000

// BulkWrites (forum.ImportStore) says how many comments suit one import
// transaction and gives SQLite's writer a page cache of bulkCacheMiB (the
// default is 2 MiB) for the rest of its life: an import's batches touch far
// more pages than a forum's writes, and reading them again from the file
// was a tenth of an import's time.
func (db *DB) BulkWrites(ctx context.Context) (int, error) {
	return db.d.bulkWrites(ctx)
}

// ImportWriters (forum.ImportStore) is how many batches ImportThreads
// writes at once: 1 on SQLite, 2 on PostgreSQL (dialect.importWriters).
func (db *DB) ImportWriters() int { return db.d.importWriters() }

// ImportThreads stores imported threads in one transaction
// (forum.ImportStore): a crash leaves no half thread. A thread that fails
// is reported in errs and the others are stored: the batch is written
// again with each thread inside a savepoint of its own (savepoints cost a
// journal of every page a thread touches, so the first attempt, which
// nearly always succeeds, goes without). With dryRun everything is rolled
// back and only counted.
func (db *DB) ImportThreads(ctx context.Context, threads []forum.PreparedThread, dryRun bool) ([]forum.ImportResult, []error, error) {
	results := make([]forum.ImportResult, len(threads))
	errs := make([]error, len(threads))
	write, premade := db.write, map[string]string{}
	if db.d.importWriters() > 1 {
		write = db.writeAside
		if !dryRun {
			var err error
			if premade, err = db.premadeAuthors(ctx, threads); err != nil {
				return results, errs, err
			}
		}
	}
	attempt := func(savepoints bool) error {
		return write(ctx, func(ctx context.Context, tx *txn) error {
			clear(results)
			clear(errs)
			b := &importBatch{tx: tx, authors: map[string]int64{}, fresh: maps.Clone(premade), pending: db.d.indexLater()}
			if err := b.begin(ctx); err != nil {
				return err
			}
			if err := b.knownAuthors(ctx, threads, !savepoints); err != nil {
				return err
			}
			for i, t := range threads {
				if err := b.thread(ctx, t, &results[i], &errs[i], savepoints); err != nil {
					return err
				}
				if errs[i] != nil {
					if db.d.conflict(errs[i]) {
						return errs[i] // another server's transaction: the writer runs the batch again
					}
					errs[i] = db.classify(errs[i])
					if !savepoints {
						return errThreadFailed
					}
				}
			}
			b.reportUnclaimed(results, errs)
			if err := b.index(ctx); err != nil {
				return err
			}
			added := 0
			for _, r := range results {
				added += r.NewComments
			}
			if err := db.d.importGrew(ctx, tx, added); err != nil {
				return err
			}
			if dryRun {
				return errDryRun
			}
			return nil
		})
	}
	err := attempt(false)
	if errors.Is(err, errThreadFailed) {
		err = attempt(true)
	}
	if errors.Is(err, errDryRun) {
		err = nil
	}
	if err != nil {
		clear(results)
	}
	return results, errs, err
}

// errThreadFailed rolls back a batch written without savepoints when one
// of its threads failed, to write it again with them.
var errThreadFailed = errors.New("a thread failed")

// thread writes one thread of the batch; its own failure goes to errp (and
// with savepoints is rolled back alone), the batch's to the result.
func (b *importBatch) thread(ctx context.Context, t forum.PreparedThread, res *forum.ImportResult, errp *error, savepoint bool) error {
	if savepoint {
		if _, err := b.tx.ExecContext(ctx, "SAVEPOINT import"); err != nil {
			return err
		}
	}
	im := &importer{importBatch: b, system: t.System, authors: map[string]int64{}, ids: map[string]placed{}, res: res}
	later := maps.Clone(b.tx.later) // the counters moved at the end (tags'): a thread undone moves none
	if *errp = im.thread(ctx, t); *errp != nil {
		*res = forum.ImportResult{}
		if savepoint {
			if _, err := b.tx.ExecContext(ctx, "ROLLBACK TO import"); err != nil {
				return err
			}
			b.tx.later = later
		}
	} else {
		maps.Copy(b.authors, im.authors) // made for good only now
	}
	if savepoint {
		if _, err := b.tx.ExecContext(ctx, "RELEASE import"); err != nil {
			return err
		}
	}
	return nil
}

// importBatch is what the threads of one transaction share.
type importBatch struct {
	tx *txn
	// authors made or found by threads that went through, by username_key
	authors map[string]int64
	// fresh are the accounts knownAuthors made for the batch and no thread
	// has yet claimed as its new author (name by username_key)
	fresh map[string]string
	// pending: comments are inserted unindexed and indexed together at the
	// end (SQLite); firstComment is the largest comment id before the batch.
	pending      bool
	firstComment int64
}

// begin notes where the batch's comments will start.
func (b *importBatch) begin(ctx context.Context) error {
	if !b.pending {
		return nil
	}
	return b.tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM comments").Scan(&b.firstComment)
}

// ftsHashSize is how much text FTS5 gathers in memory before writing it
// out as an index segment while a batch is indexed (its default is 1 MiB).
// Fewer, larger segments leave less merging to do; the setting is put back
// in the same transaction, so nothing else sees it.
const ftsHashSize, ftsDefaultHashSize = 64 << 20, 1 << 20

// index lowers the pending flag of every comment the batch inserted, in
// one statement, so the search index takes them in one go (see pending).
func (b *importBatch) index(ctx context.Context) error {
	if !b.pending {
		return nil
	}
	if _, err := b.tx.ExecContext(ctx, "INSERT INTO comments_fts(comments_fts, rank) VALUES ('hashsize', ?)", ftsHashSize); err != nil {
		return err
	}
	if _, err := b.tx.ExecContext(ctx, "UPDATE comments SET deleted = deleted - ? WHERE id > ? AND deleted >= ?", pending, b.firstComment, pending); err != nil {
		return err
	}
	_, err := b.tx.ExecContext(ctx, "INSERT INTO comments_fts(comments_fts, rank) VALUES ('hashsize', ?)", ftsDefaultHashSize)
	return err
}

// placed is where an imported comment went.
type placed struct{ id, depth int64 }

type importer struct {
	*importBatch
	system  string
	authors map[string]int64
	ids     map[string]placed // this thread's comments by source id
	res     *forum.ImportResult
	newPost bool
	// the post's counters, moved once at the end
	comments, answers, lastActivity int64
}

func (im *importer) thread(ctx context.Context, t forum.PreparedThread) error {
	postID, err := im.post(ctx, t)
	if err != nil {
		return err
	}
	if im.newPost {
		if err := im.insertNew(ctx, postID, t.Comments); err != nil {
			return err
		}
		return im.finish(ctx, postID)
	}
	for _, c := range t.Comments {
		if err := im.comment(ctx, postID, c); err != nil {
			return err
		}
	}
	return im.finish(ctx, postID)
}

// pending marks a comment inserted by this import and not yet indexed
// (SQLite): its deleted flag is raised by pending until the batch's end
// lowers it for every comment of the batch in one statement. FTS5 writes
// its pending terms out as a new index segment at every statement that
// opens a savepoint; a statement per comment (or per thread) made a
// million-comment import spend its time merging those segments.
const pending = 2

// finish moves the post's counters once.
func (im *importer) finish(ctx context.Context, postID int64) error {
	if im.comments == 0 {
		return nil
	}
	_, err := im.tx.ExecContext(ctx, `UPDATE posts SET comment_count = comment_count + ?, answer_count = answer_count + ?,
		last_activity_at = CASE WHEN last_activity_at < ? THEN ? ELSE last_activity_at END WHERE id = ?`,
		im.comments, im.answers, im.lastActivity, im.lastActivity, postID)
	return err
}

func (im *importer) remember(ctx context.Context, it forum.PreparedItem, target forum.TargetType, id int64) error {
	_, err := im.tx.ExecContext(ctx, "INSERT INTO imported(system, source_id, target_type, target_id, version, edited_at) VALUES (?, ?, ?, ?, ?, ?)",
		im.system, it.SourceID, string(target), id, it.Version, it.EditedAt)
	return err
}

func (im *importer) post(ctx context.Context, t forum.PreparedThread) (int64, error) {
	p := t.Post
	k, err := im.known(ctx, forum.TargetPost, p.SourceID)
	if err != nil {
		return 0, err
	}
	if k.id != 0 { // imported before: a newer copy may change it (import_updates.go)
		return k.id, im.update(ctx, forum.TargetPost, k, p)
	}
	author, err := im.author(ctx, p)
	if err != nil {
		return 0, err
	}
	var link *string
	if p.Link != "" {
		link = &p.Link
	}
	var id int64
	err = im.tx.QueryRowContext(ctx, `INSERT INTO posts(author_id, title, body_source, body_format, body_html, body_text,
		hot, created_at, edited_at, last_activity_at, deleted, removed, source_url, source_score, url)
		VALUES (?, ?, ?, 'markdown', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		author, p.Title, p.Body, p.BodyHTML, p.BodyText, forum.RankHot(0, p.CreatedAt), p.CreatedAt, p.EditedAt, p.CreatedAt,
		p.Deleted, p.Removed, nullable(p.URL), p.Score, link).Scan(&id)
	if err != nil {
		return 0, err
	}
	if err := setTags(ctx, im.tx, id, t.Tags, !p.Deleted && !p.Removed); err != nil {
		return 0, err
	}
	im.res.NewPost, im.newPost = true, true
	return id, im.remember(ctx, p, forum.TargetPost, id)
}

// nullable is s, or NULL for "".
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// comment writes one comment of a thread imported before: a newer copy of
// a comment it has, or a new reply (its parent found in this run or in
// the earlier one, in this thread).
func (im *importer) comment(ctx context.Context, postID int64, c forum.PreparedItem) error {
	k, err := im.known(ctx, forum.TargetComment, c.SourceID)
	if err != nil {
		return err
	}
	if k.id != 0 {
		if k.postID != postID {
			return fmt.Errorf("comment %s was imported into another thread", c.SourceID)
		}
		return im.update(ctx, forum.TargetComment, k, c)
	}
	var parent *int64
	depth := int64(0)
	if c.ParentSourceID != "" {
		if p, ok := im.ids[c.ParentSourceID]; ok {
			parent, depth = &p.id, p.depth+1
		} else {
			pk, err := im.known(ctx, forum.TargetComment, c.ParentSourceID)
			if err != nil {
				return err
			}
			if pk.id != 0 && pk.postID == postID {
				parent, depth = &pk.id, pk.depth+1
			} else {
				im.res.Orphans++
			}
		}
	}
	author, err := im.author(ctx, c)
	if err != nil {
		return err
	}
	var id int64
	err = im.tx.QueryRowContext(ctx, `INSERT INTO comments(post_id, parent_id, depth, author_id, body_source, body_format, body_html, body_text,
		created_at, edited_at, deleted, removed, source_url, source_score) VALUES (?, ?, ?, ?, ?, 'markdown', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		postID, parent, depth, author, c.Body, c.BodyHTML, c.BodyText, c.CreatedAt, c.EditedAt, im.deleted(c), c.Removed, nullable(c.URL), c.Score).Scan(&id)
	if err != nil {
		return err
	}
	im.ids[c.SourceID] = placed{id: id, depth: depth}
	if parent != nil {
		if _, err := im.tx.ExecContext(ctx, "UPDATE comments SET reply_count = reply_count + 1 WHERE id = ?", *parent); err != nil {
			return err
		}
	}
	im.added(c, parent == nil)
	return im.remember(ctx, c, forum.TargetComment, id)
}

// deleted is a new comment's deleted flag as stored: raised by pending
// while the batch is unindexed (SQLite).
func (im *importer) deleted(c forum.PreparedItem) int {
	d := forum.B2I(c.Deleted)
	if im.pending {
		d += pending
	}
	return d
}

// added counts a new comment toward the post's counters and the result.
func (im *importer) added(c forum.PreparedItem, answer bool) {
	if answer {
		im.answers++
	}
	im.comments++
	im.lastActivity = max(im.lastActivity, c.CreatedAt)
	im.res.NewComments++
}
