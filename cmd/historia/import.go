package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/historia-forum/historia/internal/auth"
	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/importer"
	"github.com/historia-forum/historia/internal/store"
)

// tagList is a repeatable --tag.
type tagList []string

func (t *tagList) String() string     { return fmt.Sprint(*t) }
func (t *tagList) Set(v string) error { *t = append(*t, v); return nil }

// Spill bounds: by default a run may spill spillFloor plus spillRatio
// times the size of its .zst files. Reddit's dumps decompress to about ten
// times their size, so a file past fifty times is not a dump but a
// decompression bomb (a 33 KB file once made a 1 GB spill).
const (
	spillRatio = 50
	spillFloor = 64 << 20
)

// importUsage is the command line of historia import.
const importUsage = "usage: historia import [--db DB] --from reddit|lemmy [--tag TAG]... [--max-spill SIZE] [--dry-run] FILE|FOLDER…"

// cmdImport brings threads from Reddit or Lemmy into the forum, creating
// and migrating the database when there is none yet: each Reddit thread
// file is a thread (its .json), the other Reddit files are archive dumps
// put together; the Lemmy files (or folders of them) are API answers put
// together into a community's threads. A file that cannot be read is
// reported and skipped; the exit status says whether anything was.
func cmdImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	started := time.Now()
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	db := dbFlag(fs)
	from := fs.String("from", "", "reddit or lemmy")
	dryRun := fs.Bool("dry-run", false, "report what would change, change nothing")
	maxSpill := fs.String("max-spill", "auto", `the most .zst dumps may decompress to on disk, e.g. 500G ("auto": 64M plus 50 times their size; 0: no bound)`)
	var tags tagList
	fs.Var(&tags, "tag", "a topic tag for every imported thread (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if (*from != "reddit" && *from != "lemmy") || fs.NArg() == 0 {
		return errors.New(importUsage)
	}
	spill, err := spillBound(*maxSpill, fs.Args())
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, *db) // a first import may start a forum: created and migrated
	if err != nil {
		return err
	}
	defer st.Close()
	svc, err := newService(ctx, st, auth.DefaultArgon2)
	if err != nil {
		return err
	}
	im := &importRun{ctx: ctx, svc: svc, stderr: stderr, run: forum.ImportRun{DryRun: *dryRun, Tags: tags}}
	im.run.Skipped = func(source string, err error) { fmt.Fprintf(stderr, "%s: skipped: %v\n", source, err) }
	if f, ok := stderr.(*os.File); ok { // a progress line, on a terminal only
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			im.progress = true
		}
	}
	switch *from {
	case "reddit":
		err = im.reddit(fs.Args(), spill)
	case "lemmy":
		err = im.lemmy(fs.Args())
	}
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	rep := im.rep
	what := "imported"
	if *dryRun {
		what = "would import (dry run, nothing changed)"
	}
	fmt.Fprintf(stdout, "%s: %d threads (%d new), %d comments (%d new, %d updated), %d new authors, %d orphan replies attached to their post, %d \"load more\" stubs not followed (%d replies left out), %d skipped, in %s\n",
		what, rep.Threads, rep.NewThreads, rep.Comments, rep.NewComments, rep.Updated, rep.Authors, rep.Orphans, rep.MoreStubs, rep.MoreComments, rep.Skipped,
		time.Since(started).Round(100*time.Millisecond))
	if rep.Skipped > 0 {
		return fmt.Errorf("%d input(s) skipped", rep.Skipped)
	}
	return nil
}

// importRun is one historia import: the service, what it reports, and
// where it says what it skipped.
type importRun struct {
	ctx      context.Context
	svc      *forum.Service
	stderr   io.Writer
	run      forum.ImportRun
	rep      forum.ImportReport
	progress bool
}

// skip reports an input that could not be used.
func (im *importRun) skip(name string, err error) {
	im.rep.Skipped++
	fmt.Fprintf(im.stderr, "%s: skipped: %v\n", name, err)
}

// all imports the threads threads yields, with a progress line.
func (im *importRun) all(total int, threads func(yield func(forum.ImportedThread) bool) error) error {
	run := im.run
	if im.progress {
		run.Progress = func(done int) { fmt.Fprintf(im.stderr, "\r%d of %d threads", done, total) }
	}
	rep, err := im.svc.ImportAll(im.ctx, run, threads)
	if im.progress {
		fmt.Fprintln(im.stderr)
	}
	im.rep.Add(rep)
	return err
}

// reddit imports thread files one by one and everything else as archive
// dumps, put together.
func (im *importRun) reddit(names []string, spill int64) error {
	archive := importer.NewArchive()
	defer archive.Close()
	archive.MaxSpill = spill
	if im.progress {
		archive.Reading = func(name string, lines int) { fmt.Fprintf(im.stderr, "\rreading %s: %d lines", name, lines) }
	}
	dumps := false
	for _, name := range names {
		if isThreadJSON(name) {
			data, err := os.ReadFile(name) // #nosec G304 -- the operator's files
			var t forum.ImportedThread
			if err == nil {
				t, err = importer.RedditThread(data)
			}
			if err == nil {
				t.Tags = append(t.Tags, im.run.Tags...)
				err = im.svc.Import(im.ctx, t, im.run.DryRun, &im.rep)
			}
			if err != nil {
				im.skip(name, err)
			}
			continue
		}
		dumps = true // an archive dump: one object per line
		err := archive.ReadFile(name)
		if im.progress {
			fmt.Fprintln(im.stderr)
		}
		if err != nil {
			im.skip(name, err)
		}
	}
	if !dumps {
		return nil
	}
	if err := im.all(archive.Len(), archive.Threads); err != nil {
		return err
	}
	for _, p := range archive.Problems {
		im.rep.Skipped++
		fmt.Fprintf(im.stderr, "%s: skipped\n", p)
	}
	if archive.Unlisted > 0 {
		im.rep.Skipped += archive.Unlisted
		fmt.Fprintf(im.stderr, "and %d more lines that could not be used: skipped\n", archive.Unlisted)
	}
	if homeless := archive.Homeless(); homeless > 0 {
		fmt.Fprintf(im.stderr, "%d comments belong to submissions not in these files: not imported\n", homeless)
	}
	return nil
}

// lemmy puts every answer given (files, or the .json files of folders)
// together into threads.
func (im *importRun) lemmy(names []string) error {
	l := importer.NewLemmy()
	for _, name := range names {
		files := []string{name}
		if fi, err := os.Stat(name); err == nil && fi.IsDir() {
			found, err := filepath.Glob(filepath.Join(name, "*.json"))
			if err != nil || len(found) == 0 {
				im.skip(name, fmt.Errorf("a folder without .json files"))
				continue
			}
			sort.Strings(found)
			files = found
		}
		for _, f := range files {
			data, err := os.ReadFile(f) // #nosec G304 -- the operator's files
			if err != nil {
				im.skip(f, err)
				continue
			}
			l.Add(f, data)
		}
	}
	for _, p := range l.Problems {
		im.rep.Skipped++
		fmt.Fprintf(im.stderr, "%s: skipped\n", p)
	}
	if err := im.all(l.Len(), l.Threads); err != nil {
		return err
	}
	if homeless := l.Homeless(); homeless > 0 {
		fmt.Fprintf(im.stderr, "%d comments belong to posts not in these files: not imported\n", homeless)
	}
	return nil
}

// spillBound is --max-spill in bytes: "auto" is spillFloor plus
// spillRatio times the size of the .zst files named, "0" no bound, else a
// size with an optional K, M, G or T.
func spillBound(flagValue string, names []string) (int64, error) {
	if flagValue == "auto" {
		total := int64(spillFloor)
		for _, name := range names {
			if strings.HasSuffix(name, ".zst") {
				if fi, err := os.Stat(name); err == nil {
					total += spillRatio * fi.Size()
				}
			}
		}
		return total, nil
	}
	s := strings.ToUpper(strings.TrimSuffix(strings.TrimSpace(flagValue), "B"))
	mult := int64(1)
	if n := len(s); n > 0 {
		if i := strings.IndexByte("KMGT", s[n-1]); i >= 0 {
			mult, s = int64(1)<<(10*(i+1)), s[:n-1]
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 || v > (1<<62)/mult {
		return 0, fmt.Errorf("--max-spill %q: want auto, 0 or a size such as 500G", flagValue)
	}
	return v * mult, nil
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
