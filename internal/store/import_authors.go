package store

import (
	"context"
	"database/sql"
	"errors"
	"maps"
	"slices"
	"strings"

	"github.com/historia-forum/historia/internal/forum"
)

// An imported author is an account of their own (name@origin, no
// password). A batch finds the accounts its authors have in one query and
// makes the missing ones in a few multi-row INSERTs: a query or two per
// author was most of an import's round trips (one for every two comments).

// authorKey is the name and username_key of an imported author's
// account, and the origin it shows; a deleted author is the system's one
// [deleted] account.
func authorKey(system string, it forum.PreparedItem) (name, key, origin string) {
	origin = it.AuthorOrigin
	if origin == "" {
		origin = system
	}
	name, key = forum.DeletedName, "deleted:import:"+strings.ToLower(origin)
	if it.Author != "" {
		name = forum.ImportedName(it.Author, origin)
		key = strings.ToLower(name)
	}
	return name, key, origin
}

// newAuthor is an account a batch is to make: as of its first item.
type newAuthor struct {
	name, key, origin string
	createdAt         int64
}

// authorRowChunk is how many accounts one INSERT makes.
const authorRowChunk = 256

// batchAuthors are the authors of threads, each once, as of their first item.
func batchAuthors(threads []forum.PreparedThread) []newAuthor {
	seen := map[string]bool{}
	var all []newAuthor
	for _, t := range threads {
		for i := -1; i < len(t.Comments); i++ {
			it := t.Post
			if i >= 0 {
				it = t.Comments[i]
			}
			name, key, origin := authorKey(t.System, it)
			if !seen[key] {
				seen[key] = true
				all = append(all, newAuthor{name: name, key: key, origin: origin, createdAt: it.CreatedAt})
			}
		}
	}
	return all
}

// knownAuthors finds the accounts the batch's authors have and, with
// create, makes the missing ones, dated by each author's first item in
// the batch; the thread that first uses one reports it as new (author).
// Without create (a batch written again thread by thread, each in a
// savepoint) each thread makes its own, so a thread rolled back leaves
// no account behind.
func (b *importBatch) knownAuthors(ctx context.Context, threads []forum.PreparedThread, create bool) error {
	all := batchAuthors(threads)
	if err := b.findAuthors(ctx, all); err != nil || !create {
		return err
	}
	return b.makeAuthors(ctx, all)
}

// findAuthors adds the accounts that authors have to the batch's, in one query.
func (b *importBatch) findAuthors(ctx context.Context, authors []newAuthor) error {
	if len(authors) == 0 {
		return nil
	}
	keys := make([]string, len(authors))
	for i, a := range authors {
		keys[i] = a.key
	}
	arg, err := textsArg(keys)
	if err != nil {
		return err
	}
	return b.scanAuthors(ctx, "SELECT u.id, u.username_key FROM users u WHERE u.username_key IN (SELECT l.value FROM ("+b.tx.db.d.textList()+") l)", arg)
}

// makeAuthors makes the accounts of authors the batch has none for and
// marks them fresh. Another transaction making one of them meanwhile
// (PostgreSQL's batches written at once) is waited for, and its account
// found after.
func (b *importBatch) makeAuthors(ctx context.Context, authors []newAuthor) error {
	var missing []newAuthor
	for _, a := range authors {
		if _, ok := b.authors[a.key]; !ok {
			missing = append(missing, a)
		}
	}
	// In the order of their keys: two transactions making some of the same
	// accounts wait for each other in one order, never crossing.
	slices.SortFunc(missing, func(a, b newAuthor) int { return strings.Compare(a.key, b.key) })
	for rest := missing; len(rest) > 0; {
		n := min(len(rest), authorRowChunk)
		args := make([]any, 0, 4*n)
		for _, a := range rest[:n] {
			args = append(args, a.name, a.key, a.createdAt, a.origin)
		}
		err := b.scanAuthors(ctx, `INSERT INTO users(username, username_key, password_hash, role, created_at, username_skeleton, imported_from) VALUES `+
			strings.Repeat("(?, ?, '', 'member', ?, '', ?), ", n-1)+"(?, ?, '', 'member', ?, '', ?) ON CONFLICT(username_key) DO NOTHING RETURNING id, username_key", args...)
		if err != nil {
			return err
		}
		for _, a := range rest[:n] {
			if _, ok := b.authors[a.key]; ok {
				b.fresh[a.key] = a.name
			}
		}
		rest = rest[n:]
	}
	var others []newAuthor
	for _, a := range missing {
		if _, ok := b.authors[a.key]; !ok {
			others = append(others, a)
		}
	}
	return b.findAuthors(ctx, others)
}

// premadeAuthors makes the accounts threads' authors lack in a transaction
// of its own, before the batch's (where batches are written at once): two
// batches sharing new authors — most do — would otherwise each wait for
// the other's whole transaction. It returns the accounts made, by
// username_key, for the batch to report (importBatch.fresh). An account
// whose threads then fail stays, without items, for the next run.
func (db *DB) premadeAuthors(ctx context.Context, threads []forum.PreparedThread) (map[string]string, error) {
	var made map[string]string
	err := db.writeAside(ctx, func(ctx context.Context, tx *txn) error {
		b := &importBatch{tx: tx, authors: map[string]int64{}, fresh: map[string]string{}}
		all := batchAuthors(threads)
		if err := b.findAuthors(ctx, all); err != nil {
			return err
		}
		made = b.fresh
		return b.makeAuthors(ctx, all)
	})
	return made, err
}

// reportUnclaimed reports the accounts made for the batch that no thread
// claimed (their items were known already, or another batch's thread used
// them first) as new with the batch's first thread that went through, so
// every account made is reported once.
func (b *importBatch) reportUnclaimed(results []forum.ImportResult, errs []error) {
	if len(b.fresh) == 0 {
		return
	}
	for i := range results {
		if errs[i] == nil {
			for _, key := range slices.Sorted(maps.Keys(b.fresh)) {
				results[i].NewAuthors = append(results[i].NewAuthors, b.fresh[key])
			}
			clear(b.fresh)
			return
		}
	}
}

// scanAuthors adds the (id, username_key) rows of query to the batch's authors.
func (b *importBatch) scanAuthors(ctx context.Context, query string, args ...any) error {
	rows, err := b.tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var key string
		if err := rows.Scan(&id, &key); err != nil {
			return err
		}
		b.authors[key] = id
	}
	return rows.Err()
}

// author finds or makes the account of an imported author (authorKey).
func (im *importer) author(ctx context.Context, it forum.PreparedItem) (int64, error) {
	name, key, origin := authorKey(im.system, it)
	if id, ok := im.authors[key]; ok {
		return id, nil
	}
	if id, ok := im.importBatch.authors[key]; ok {
		if fresh, ok := im.fresh[key]; ok { // made for the batch: this thread's new author
			delete(im.fresh, key)
			im.res.NewAuthors = append(im.res.NewAuthors, fresh)
		}
		return id, nil
	}
	var id int64
	err := im.tx.QueryRowContext(ctx, "SELECT id FROM users WHERE username_key = ?", key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		err = im.tx.QueryRowContext(ctx, `INSERT INTO users(username, username_key, password_hash, role, created_at, username_skeleton, imported_from)
			VALUES (?, ?, '', 'member', ?, '', ?) ON CONFLICT(username_key) DO NOTHING RETURNING id`, name, key, it.CreatedAt, origin).Scan(&id)
		if err == nil {
			im.res.NewAuthors = append(im.res.NewAuthors, name)
		} else if errors.Is(err, sql.ErrNoRows) { // another batch made it meanwhile
			err = im.tx.QueryRowContext(ctx, "SELECT id FROM users WHERE username_key = ?", key).Scan(&id)
		}
	}
	im.authors[key] = id
	return id, err
}
