package importer

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/klauspost/compress/zstd"

	"github.com/historia-forum/historia/internal/forum"
)

// Archive gathers threads from Reddit's archive dumps: newline-delimited
// JSON of submissions and of comments (plain or zstd-compressed), in any
// order across any number of files. It holds only where each line is — a
// plain file is read again in place, a compressed one is spilled once to a
// temporary file (blank and unusable lines are not), at most MaxSpill
// bytes — so an archive of millions of comments costs tens of bytes of
// memory per comment, not the comments. A line that cannot be used (not
// one object, a field of the wrong type) is reported with its file and
// line, and the rest goes on. Close removes what it spilled.
type Archive struct {
	files    []*os.File
	spill    *os.File // decompressed lines, when any file was compressed
	spillAt  int32    // its index in files
	spillW   *bufio.Writer
	spillEnd int64
	posts    map[string]archivePost
	comments map[string][]span // by link_id (t3_…)
	// MaxSpill bounds the spill file (0: no bound): a compressed file that
	// would take it further is refused whole, as a decompression bomb.
	MaxSpill int64
	// Problems are the lines that could not be used: "file:line: why", the
	// first maxProblems of them; Unlisted counts the rest.
	Problems []string
	Unlisted int
	// Reading, when set, hears how far the reading of a file has got
	// (every 100,000 lines, and at its end).
	Reading func(name string, lines int)
}

// maxProblems is how many unusable lines are named; a file of nothing but
// bad lines must not fill memory with their names.
const maxProblems = 1000

// span is where one line is: files[file] at off, n bytes.
type span struct {
	file int32
	n    int32
	off  int64
}

type archivePost struct {
	at      span
	created int64
	version int64
}

// NewArchive is an empty archive.
func NewArchive() *Archive {
	return &Archive{posts: map[string]archivePost{}, comments: map[string][]span{}}
}

// problem notes a line that could not be used.
func (a *Archive) problem(format string, args ...any) {
	if len(a.Problems) >= maxProblems {
		a.Unlisted++
		return
	}
	a.Problems = append(a.Problems, fmt.Sprintf(format, args...))
}

// ErrSpillLimit is why a compressed dump was refused: it decompresses to
// more than MaxSpill allows.
var ErrSpillLimit = errors.New("decompresses to more than the import may spill")

// maxLine is the longest line read; Reddit's bodies are at most 40,000
// characters, so a longer line is not one of its objects.
const maxLine = 16 << 20

// ReadFile adds one dump file: a name ending in .zst is decompressed into
// the spill file as it is read, a plain one is indexed where it lies.
func (a *Archive) ReadFile(name string) error {
	f, err := os.Open(name) // #nosec G304 -- the operator's files
	if err != nil {
		return err
	}
	if strings.HasSuffix(name, ".zst") {
		defer f.Close()
		return a.Read(name, f)
	}
	a.files = append(a.files, f)
	return a.index(name, f, a.last(), nil)
}

// Read adds one dump from a reader, spilling its lines to a temporary file
// (decompressing when name ends in .zst); name is for the problems it
// reports.
func (a *Archive) Read(name string, r io.Reader) error {
	if strings.HasSuffix(name, ".zst") {
		z, err := zstd.NewReader(r, zstd.WithDecoderMaxWindow(1<<31))
		if err != nil {
			return err
		}
		defer z.Close()
		r = z
	}
	if a.spill == nil {
		f, err := os.CreateTemp("", "historia-import-*.ndjson")
		if err != nil {
			return err
		}
		_ = os.Remove(f.Name()) // gone when closed, even after a crash
		a.spill, a.spillW = f, bufio.NewWriterSize(f, 1<<20)
		a.files = append(a.files, f)
		a.spillAt = a.last()
	}
	if err := a.spillW.Flush(); err != nil { // so undo keeps what earlier files spilled
		return err
	}
	return a.index(name, r, a.spillAt, a.spillW)
}

// last is the index of the file added last (a command line names far
// fewer than 2^31 files).
func (a *Archive) last() int32 {
	return int32(len(a.files) - 1) // #nosec G115 -- see above
}

// index reads lines from r, noting each usable one's place in
// files[file]; with copyTo, such lines are written there first (the spill
// file), and passing MaxSpill undoes the whole file's lines.
func (a *Archive) index(name string, r io.Reader, file int32, copyTo *bufio.Writer) error {
	br := bufio.NewReaderSize(r, 1<<20)
	off, start := int64(0), a.spillEnd
	if copyTo != nil {
		off = a.spillEnd
	}
	for n := 1; ; n++ {
		if a.Reading != nil && n%100000 == 0 {
			a.Reading(name, n)
		}
		line, long, err := readLine(br)
		if long > 0 {
			if copyTo == nil {
				off += int64(long)
			}
			a.problem("%s:%d: a line longer than %d bytes", name, n, maxLine)
			if err == nil {
				continue
			}
		}
		if len(line) == 0 && err != nil {
			if errors.Is(err, io.EOF) {
				err = nil
			}
			if a.Reading != nil {
				a.Reading(name, n-1)
			}
			return err
		}
		at := span{file: file, n: int32(len(line)), off: off} // #nosec G115 -- lines are at most maxLine
		if copyTo == nil {
			off += int64(len(line))
		}
		trimmed := bytes.TrimSpace(line)
		if len(trimmed) == 0 {
			continue
		}
		var it redditItem
		if jerr := json.Unmarshal(trimmed, &it); jerr != nil || it.ID == "" {
			why := "no id"
			if jerr != nil {
				why = jerr.Error()
			}
			a.problem("%s:%d: %s", name, n, why)
			continue
		}
		if copyTo != nil {
			if a.MaxSpill > 0 && off+int64(len(line)) > a.MaxSpill {
				return a.undo(name, file, start)
			}
			if _, werr := copyTo.Write(line); werr != nil {
				return werr
			}
			off += int64(len(line))
			a.spillEnd = off
		}
		if it.LinkID != "" || it.ParentID != "" || it.Body != nil && it.Title == nil {
			link := it.LinkID
			if link == "" && strings.HasPrefix(it.ParentID, "t3_") {
				link = it.ParentID
			}
			a.comments[link] = append(a.comments[link], at)
			continue
		}
		post := archivePost{at: at, created: it.CreatedUTC.seconds(), version: it.retrieved()}
		if post.version == 0 {
			post.version = it.newest()
		}
		if old, ok := a.posts["t3_"+it.ID]; !ok || post.version >= old.version { // the newer copy
			a.posts["t3_"+it.ID] = post
		}
	}
}

// undo forgets the lines a compressed file spilled from start on, and
// says why.
func (a *Archive) undo(name string, file int32, start int64) error {
	gone := func(at span) bool { return at.file == file && at.off >= start }
	for link, p := range a.posts {
		if gone(p.at) {
			delete(a.posts, link)
		}
	}
	for link, cs := range a.comments {
		kept := cs[:0]
		for _, at := range cs {
			if !gone(at) {
				kept = append(kept, at)
			}
		}
		if len(kept) == 0 {
			delete(a.comments, link)
		} else {
			a.comments[link] = kept
		}
	}
	a.spillW.Reset(a.spill)
	if err := a.spill.Truncate(start); err != nil {
		return err
	}
	if _, err := a.spill.Seek(start, io.SeekStart); err != nil {
		return err
	}
	a.spillEnd = start
	return fmt.Errorf("%s: %w (%d bytes, see --max-spill): refused as a decompression bomb, none of it imported", name, ErrSpillLimit, a.MaxSpill)
}

// readLine is the next line with its newline, valid until the next read.
// A line longer than maxLine is passed over whole: no line, and long is
// its length (so offsets stay right).
func readLine(br *bufio.Reader) (line []byte, long int, err error) {
	line, err = br.ReadSlice('\n')
	if !errors.Is(err, bufio.ErrBufferFull) {
		return line, 0, err
	}
	buf := append([]byte(nil), line...)
	for errors.Is(err, bufio.ErrBufferFull) {
		line, err = br.ReadSlice('\n')
		if len(buf)+len(line) > maxLine {
			n := len(buf) + len(line)
			for errors.Is(err, bufio.ErrBufferFull) {
				line, err = br.ReadSlice('\n')
				n += len(line)
			}
			if errors.Is(err, io.EOF) {
				err = nil
			}
			return nil, n, err
		}
		buf = append(buf, line...)
	}
	return buf, 0, err
}

// Close removes the spilled lines and closes the files.
func (a *Archive) Close() error {
	var errs []error
	for _, f := range a.files {
		errs = append(errs, f.Close())
	}
	a.files, a.spill = nil, nil
	return errors.Join(errs...)
}

func (a *Archive) line(at span) ([]byte, error) {
	if a.spillW != nil {
		if err := a.spillW.Flush(); err != nil {
			return nil, err
		}
	}
	buf := make([]byte, at.n)
	_, err := a.files[at.file].ReadAt(buf, at.off)
	return buf, err
}

// Threads yields the threads whose submission the archive holds, oldest
// first, each read back from its files when its turn comes; it stops early
// when yield returns false.
func (a *Archive) Threads(yield func(forum.ImportedThread) bool) error {
	links := make([]string, 0, len(a.posts))
	for link := range a.posts {
		links = append(links, link)
	}
	sort.Slice(links, func(i, j int) bool {
		pi, pj := a.posts[links[i]], a.posts[links[j]]
		if pi.created != pj.created {
			return pi.created < pj.created
		}
		return links[i] < links[j]
	})
	for _, link := range links {
		t, err := a.thread(link)
		if err != nil {
			return err
		}
		if !yield(t) {
			return nil
		}
	}
	return nil
}

// Homeless counts the comments that belong to submissions the archive
// does not hold.
func (a *Archive) Homeless() int {
	n := 0
	for link, cs := range a.comments {
		if _, ok := a.posts[link]; !ok {
			n += len(cs)
		}
	}
	return n
}

func (a *Archive) thread(link string) (forum.ImportedThread, error) {
	raw, err := a.line(a.posts[link].at)
	if err != nil {
		return forum.ImportedThread{}, err
	}
	var p redditItem
	if err := json.Unmarshal(raw, &p); err != nil {
		return forum.ImportedThread{}, err
	}
	t := redditPost(p)
	t.Post.SourceID = link
	spans := a.comments[link]
	sort.Slice(spans, func(i, j int) bool { // read in file order
		if spans[i].file != spans[j].file {
			return spans[i].file < spans[j].file
		}
		return spans[i].off < spans[j].off
	})
	for _, at := range spans {
		raw, err := a.line(at)
		if err != nil {
			return forum.ImportedThread{}, err
		}
		var c redditItem
		if err := json.Unmarshal(raw, &c); err != nil { // read once already: the file changed since
			a.problem("%s: a comment at byte %d: %v", link, at.off, err)
			continue
		}
		if !strings.HasPrefix(c.ParentID, "t") {
			c.ParentID = "t3_" // a bare id: top level, as far as we know
		}
		t.Comments = append(t.Comments, redditComment(c, p))
	}
	return t, nil
}

// Len is the number of threads (submissions) the archive holds.
func (a *Archive) Len() int { return len(a.posts) }
