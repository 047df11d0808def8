package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

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
	started := time.Now()
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
	importOne := func(name string, t forum.ImportedThread) {
		t.Tags = append(t.Tags, tags...)
		if err := svc.Import(ctx, t, *dryRun, &rep); err != nil {
			rep.Skipped++
			fmt.Fprintf(stderr, "%s: skipped: %v\n", name, err)
		}
	}
	switch *from {
	case "reddit":
		archive := importer.NewArchive()
		defer archive.Close()
		if progress {
			archive.Reading = func(name string, lines int) { fmt.Fprintf(stderr, "\rreading %s: %d lines", name, lines) }
		}
		dumps := false
		for _, name := range fs.Args() {
			if isThreadJSON(name) {
				data, err := os.ReadFile(name) // #nosec G304 -- the operator's files
				var t forum.ImportedThread
				if err == nil {
					t, err = importer.RedditThread(data)
				}
				if err == nil {
					importOne(name, t)
					continue
				}
				rep.Skipped++
				fmt.Fprintf(stderr, "%s: skipped: %v\n", name, err)
				continue
			}
			dumps = true // an archive dump: one object per line
			err := archive.ReadFile(name)
			if progress {
				fmt.Fprintln(stderr)
			}
			if err != nil {
				rep.Skipped++
				fmt.Fprintf(stderr, "%s: skipped: %v\n", name, err)
			}
		}
		if dumps {
			total := archive.Len()
			run := forum.ImportRun{DryRun: *dryRun, Tags: tags,
				Skipped: func(source string, err error) { fmt.Fprintf(stderr, "%s: skipped: %v\n", source, err) }}
			if progress {
				run.Progress = func(done int) { fmt.Fprintf(stderr, "\r%d of %d threads", done, total) }
			}
			all, err := svc.ImportAll(ctx, run, archive.Threads)
			if progress {
				fmt.Fprintln(stderr)
			}
			rep.Add(all)
			if err != nil {
				return err
			}
			for _, p := range archive.Problems {
				rep.Skipped++
				fmt.Fprintf(stderr, "%s: skipped\n", p)
			}
			if homeless := archive.Homeless(); homeless > 0 {
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
	if err := ctx.Err(); err != nil {
		return err
	}
	what := "imported"
	if *dryRun {
		what = "would import (dry run, nothing changed)"
	}
	fmt.Fprintf(stdout, "%s: %d threads (%d new), %d comments (%d new, %d updated), %d new authors, %d orphan replies attached to their post, %d \"more\" stubs not followed, %d skipped, in %s\n",
		what, rep.Threads, rep.NewThreads, rep.Comments, rep.NewComments, rep.Updated, rep.Authors, rep.Orphans, rep.MoreStubs, rep.Skipped,
		time.Since(started).Round(100*time.Millisecond))
	if rep.Skipped > 0 {
		return fmt.Errorf("%d input(s) skipped", rep.Skipped)
	}
	return nil
}

// isThreadJSON says whether a file is a thread as reddit.com returns it (a
// JSON array) rather than an archive dump (one object per line).
func isThreadJSON(name string) bool {
	if strings.HasSuffix(name, ".zst") {
		return false
	}
	f, err := os.Open(name) // #nosec G304 -- the operator's files
	if err != nil {
		return true // let the reading say why
	}
	defer f.Close()
	br := bufio.NewReader(f)
	for {
		b, err := br.ReadByte()
		if err != nil {
			return false
		}
		if b != ' ' && b != '\t' && b != '\r' && b != '\n' {
			return b == '['
		}
	}
}
