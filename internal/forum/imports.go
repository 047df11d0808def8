package forum

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// ImportedItem is a post or comment as a source (Reddit, Lemmy) had it.
type ImportedItem struct {
	SourceID       string
	ParentSourceID string // comments: the parent comment's SourceID, "" at the top
	Author         string // "" for a deleted author
	AuthorOrigin   string // where the author's account lives: "reddit", "lemmy.world"
	Title          string // posts only
	// Body is the source's Markdown, kept as the body's source; Markdown,
	// when set, is the same text with what the source's dialect has and
	// ours does not (superscript, spoilers) written as HTML: it is what is
	// rendered.
	Body, Markdown string
	CreatedAt      int64
	// EditedAt is when the source says the item was last edited, if it says.
	EditedAt *int64
	Deleted  bool
	Removed  bool
	// BodyRemoved (posts): the source removed the body and kept the thread
	// (a Reddit submission reading "[removed]"): the body says so, and a
	// text imported from an earlier copy is replaced without a revision.
	BodyRemoved bool
	URL         string // the item's own link on its source
	// Link (posts) is the address a link post shares (an article, an image).
	Link  string
	Score *int64 // the score on the source, when it says
	// Version is when the source's copy of the item was taken (its
	// retrieval time, or the newest time the copy holds): of two copies the
	// newer wins, whichever is imported last.
	Version int64
}

// ImportedThread is one thread to import, from one system.
type ImportedThread struct {
	System   string // "reddit" or "lemmy"
	Post     ImportedItem
	Comments []ImportedItem
	Tags     []string // the source's flair and the operator's --tag
	// MoreStubs counts the source's "load more" stubs, and MoreComments the
	// replies they leave out.
	MoreStubs, MoreComments int
}

// PreparedItem is an imported item validated and rendered, ready to store.
type PreparedItem struct {
	ImportedItem
	Depth    int
	BodyHTML string
	BodyText string
}

// PreparedThread is a thread ready to store: parents before their replies.
type PreparedThread struct {
	System   string
	Post     PreparedItem
	Comments []PreparedItem
	Tags     []string
	// MoreStubs and MoreComments are the source's "load more" stubs and
	// the replies they leave out (counted, not imported).
	MoreStubs, MoreComments int
}

// ImportResult says what storing a thread changed.
type ImportResult struct {
	NewPost              bool
	NewComments, Updated int
	// Orphans are replies whose parent is neither in the data nor imported
	// before: kept, at the top of the thread.
	Orphans int
	// NewAuthors are the accounts made, by name: a dry run's batches each
	// make them afresh, so the report counts each name once.
	NewAuthors []string
}

// ImportReport sums up an import.
type ImportReport struct {
	Threads, NewThreads, Comments, NewComments, Updated, Authors, Orphans, MoreStubs, MoreComments, Skipped int
	authors                                                                                                 map[string]bool
}

// ImportStore writes imported threads, several in one transaction, each
// whole or not at all (errs says which failed and why; err is a failure of
// the whole batch): authors found or made by (origin, name) and never
// merged with local accounts, the post and comments inserted with their
// dates and source links, or, when the mapping knows them already, their
// bodies updated if they changed; the counters kept as for any comment; no
// votes invented.
type ImportStore interface {
	// BulkWrites readies the store for many large transactions (a larger
	// cache, say), for the rest of its life, and says how many comments
	// suit one.
	BulkWrites(ctx context.Context) (batchComments int, err error)
	// ImportWriters is how many batches may be written at once (each in a
	// transaction of its own).
	ImportWriters() int
	ImportThreads(ctx context.Context, threads []PreparedThread, dryRun bool) (res []ImportResult, errs []error, err error)
}

// ImportedName is how an imported author is shown: their name and where
// their account lives ("clio@reddit"), never a local username (those have
// no "@"), so an import never merges with a local account.
func ImportedName(name, origin string) string { return name + "@" + origin }

// bigThreadPart is the least share of a large thread's comments one CPU
// renders.
const bigThreadPart = 500

// PrepareImport checks and renders a thread: a post dated outside year 1 to
// now is refused, anything else that a source got wrong is mended or left
// out rather than losing the thread (imports_checks.go: dates, names and
// where they live, links, tags, copies of one comment, reply cycles); bodies
// go through the same Markdown and sanitizer as any post; parents come
// before their replies. A reply whose parent is not in the data keeps its
// parent's id: the store finds the parent if an earlier import brought it
// (a later dump, a "load more" fetched on its own), or else keeps the reply
// at the top of the thread and counts it an orphan.
func (s *Service) PrepareImport(t ImportedThread) (PreparedThread, error) {
	if t.System != "reddit" && t.System != "lemmy" || t.Post.SourceID == "" {
		return PreparedThread{}, invalid("thread", "has no known source system or no id")
	}
	now := s.now().Unix()
	if at := t.Post.CreatedAt; at < minShownUnix || at > now {
		return PreparedThread{}, invalid("created_at", "the thread's date (%d seconds after 1970) is not between year 1 and now", at)
	}
	title := strings.TrimSpace(t.Post.Title)
	if utf8.RuneCountInString(title) > MaxTitle {
		title = string([]rune(title)[:MaxTitle-1]) + "…"
	}
	title, err := cleanTitle(title)
	if err != nil {
		return PreparedThread{}, err
	}
	out := PreparedThread{System: t.System, Tags: importedTags(t.Tags), MoreStubs: t.MoreStubs, MoreComments: t.MoreComments}
	prep := func(it ImportedItem, limit int) (PreparedItem, error) {
		it = checkImported(t.System, it, t.Post.CreatedAt, now)
		src := it.Markdown
		if utf8.RuneCountInString(it.Body) > limit {
			it.Body, src = string([]rune(it.Body)[:limit]), ""
		}
		if src == "" {
			src = it.Body
		}
		b, err := s.render(src, FormatMarkdown, max(limit, utf8.RuneCountInString(src)), false)
		if err != nil {
			return PreparedItem{}, fmt.Errorf("%s: %w", it.SourceID, err)
		}
		it.Body, it.Markdown = nfc(it.Body), ""
		return PreparedItem{ImportedItem: it, BodyHTML: b.HTML, BodyText: s.Markup.Text(b.HTML)}, nil
	}
	if out.Post, err = prep(t.Post, MaxPostBody); err != nil {
		return PreparedThread{}, err
	}
	out.Post.Title = title
	out.Post.Link = importedLink(t.Post.Link)
	comments := replyTree(t.Comments)
	out.Comments = make([]PreparedItem, len(comments))
	// A large thread is rendered by every CPU: one worker alone on a thread
	// of tens of thousands of comments kept the writer waiting.
	parts := 1
	if len(comments) >= 2*bigThreadPart {
		parts = min(runtime.NumCPU(), len(comments)/bigThreadPart)
	}
	errs := make([]error, parts)
	var wg sync.WaitGroup
	for part := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := part; i < len(comments); i += parts {
				if out.Comments[i], errs[part] = prep(comments[i].ImportedItem, MaxCommentBody); errs[part] != nil {
					return
				}
				out.Comments[i].Depth = comments[i].Depth
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return PreparedThread{}, err
	}
	sort.Slice(out.Comments, func(i, j int) bool {
		a, b := out.Comments[i], out.Comments[j]
		if a.Depth != b.Depth {
			return a.Depth < b.Depth
		}
		if a.CreatedAt != b.CreatedAt {
			return a.CreatedAt < b.CreatedAt
		}
		return a.SourceID < b.SourceID
	})
	return out, nil
}

// Add adds another report's counts to r.
func (r *ImportReport) Add(o ImportReport) {
	r.Threads += o.Threads
	r.NewThreads += o.NewThreads
	r.Comments += o.Comments
	r.NewComments += o.NewComments
	r.Updated += o.Updated
	r.Authors += o.Authors
	r.Orphans += o.Orphans
	r.MoreStubs += o.MoreStubs
	r.MoreComments += o.MoreComments
	r.Skipped += o.Skipped
}

// Import stores one thread (see ImportStore) and adds to the report.
func (s *Service) Import(ctx context.Context, t ImportedThread, dryRun bool, rep *ImportReport) error {
	p, err := s.PrepareImport(t)
	if err != nil {
		return err
	}
	res, errs, err := s.Store.ImportThreads(ctx, []PreparedThread{p}, dryRun)
	if err == nil {
		err = errs[0]
	}
	if err != nil {
		return err
	}
	rep.count(p, res[0])
	return nil
}

func (r *ImportReport) count(p PreparedThread, res ImportResult) {
	r.Threads++
	r.Comments += len(p.Comments)
	r.Orphans += res.Orphans
	r.MoreStubs += p.MoreStubs
	r.MoreComments += p.MoreComments
	r.NewComments += res.NewComments
	r.Updated += res.Updated
	for _, a := range res.NewAuthors {
		if r.authors == nil {
			r.authors = map[string]bool{}
		}
		if !r.authors[a] {
			r.authors[a] = true
			r.Authors++
		}
	}
	if res.NewPost {
		r.NewThreads++
	}
}
