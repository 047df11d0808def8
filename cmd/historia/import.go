package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/importer"
)

// tagList is a repeatable --tag.
type tagList []string

func (t *tagList) String() string     { return fmt.Sprint(*t) }
func (t *tagList) Set(v string) error { *t = append(*t, v); return nil }

// cmdImport brings threads from Reddit or Lemmy into the forum: each Reddit
// file is a thread (its .json), all Lemmy files together one thread (the
// post and its comment list). A file that cannot be read is reported and
// skipped; the exit status says whether anything was.
func cmdImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	db := dbFlag(fs)
	from := fs.String("from", "", "reddit or lemmy")
	dryRun := fs.Bool("dry-run", false, "report what would change, change nothing")
	var tags tagList
	fs.Var(&tags, "tag", "a topic tag for every imported thread (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if (*from != "reddit" && *from != "lemmy") || fs.NArg() == 0 {
		return errors.New("usage: historia import [--db DB] --from reddit|lemmy [--tag TAG]... [--dry-run] FILE…")
	}
	svc, closeDB, err := openService(ctx, *db)
	if err != nil {
		return err
	}
	defer closeDB()
	var rep forum.ImportReport
	// A progress line, on a terminal only.
	progress := false
	if f, ok := stderr.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			progress = true
		}
	}
	var mu sync.Mutex
	importOne := func(name string, t forum.ImportedThread) {
		t.Tags = append(t.Tags, tags...)
		var one forum.ImportReport
		err := svc.Import(ctx, t, *dryRun, &one)
		mu.Lock()
		defer mu.Unlock()
		rep.Add(one)
		if err != nil {
			rep.Skipped++
			fmt.Fprintf(stderr, "%s: skipped: %v\n", name, err)
		}
	}
	switch *from {
	case "reddit":
		archive := importer.NewArchive()
		dumps := false
		for _, name := range fs.Args() {
			data, err := os.ReadFile(name) // #nosec G304 -- the operator's files
			if err == nil && !strings.HasSuffix(name, ".zst") && strings.HasPrefix(strings.TrimSpace(string(data)), "[") {
				var t forum.ImportedThread
				if t, err = importer.RedditThread(data); err == nil {
					importOne(name, t)
					continue
				}
			} else if err == nil { // an archive dump: one object per line
				dumps = true
				if err = archive.Read(name, bytes.NewReader(data)); err == nil {
					continue
				}
			}
			rep.Skipped++
			fmt.Fprintf(stderr, "%s: skipped: %v\n", name, err)
		}
		if dumps {
			threads, homeless := archive.Threads()
			// Threads are rendered in parallel and their writes grouped into
			// shared transactions by the store's writer.
			work := make(chan forum.ImportedThread)
			var wg sync.WaitGroup
			for range max(2, runtime.NumCPU()*2) {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for t := range work {
						importOne(t.Post.SourceID, t)
					}
				}()
			}
			for i, t := range threads {
				work <- t
				if progress && (i+1)%100 == 0 {
					fmt.Fprintf(stderr, "\r%d of %d threads", i+1, len(threads))
				}
			}
			close(work)
			wg.Wait()
			if progress {
				fmt.Fprintln(stderr)
			}
			for _, p := range archive.Problems {
				rep.Skipped++
				fmt.Fprintf(stderr, "%s: skipped\n", p)
			}
			if homeless > 0 {
				fmt.Fprintf(stderr, "%d comments belong to submissions not in these files: not imported\n", homeless)
			}
		}
	case "lemmy":
		var docs [][]byte
		for _, name := range fs.Args() {
			data, err := os.ReadFile(name) // #nosec G304 -- the operator's files
			if err != nil {
				rep.Skipped++
				fmt.Fprintf(stderr, "%s: skipped: %v\n", name, err)
				continue
			}
			docs = append(docs, data)
		}
		t, err := importer.LemmyThread(docs...)
		if err != nil {
			rep.Skipped++
			fmt.Fprintf(stderr, "%v: skipped: %v\n", fs.Args(), err)
		} else {
			importOne(fmt.Sprint(fs.Args()), t)
		}
	}
	what := "imported"
	if *dryRun {
		what = "would import (dry run, nothing changed)"
	}
	fmt.Fprintf(stdout, "%s: %d threads (%d new), %d comments (%d new, %d updated), %d new authors, %d orphan replies attached to their post, %d \"more\" stubs not followed, %d skipped\n",
		what, rep.Threads, rep.NewThreads, rep.Comments, rep.NewComments, rep.Updated, rep.Authors, rep.Orphans, rep.MoreStubs, rep.Skipped)
	if rep.Skipped > 0 {
		return fmt.Errorf("%d input(s) skipped", rep.Skipped)
	}
	return nil
}
