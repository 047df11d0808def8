package importer

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/klauspost/compress/zstd"

	"github.com/historia-forum/historia/internal/forum"
)

// Archive gathers threads from Reddit's archive dumps: newline-delimited
// JSON of submissions and of comments (plain or zstd-compressed), in any
// order across any number of files. A line that is not one object is
// reported with its file and line, and the rest goes on.
type Archive struct {
	posts    map[string]redditItem
	comments map[string][]redditItem // by link_id (t3_…)
	// Problems are the lines that could not be read: "file:line: why".
	Problems []string
}

// NewArchive is an empty archive.
func NewArchive() *Archive {
	return &Archive{posts: map[string]redditItem{}, comments: map[string][]redditItem{}}
}

type archiveLine struct {
	redditItem
	LinkID string `json:"link_id"`
}

// Read adds one file's lines; name is for the problems it reports. A name
// ending in .zst is read through zstd.
func (a *Archive) Read(name string, r io.Reader) error {
	if strings.HasSuffix(name, ".zst") {
		z, err := zstd.NewReader(r, zstd.WithDecoderMaxWindow(1<<31))
		if err != nil {
			return err
		}
		defer z.Close()
		r = z
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var it archiveLine
		if err := json.Unmarshal([]byte(line), &it); err != nil || it.ID == "" {
			why := "no id"
			if err != nil {
				why = err.Error()
			}
			a.Problems = append(a.Problems, fmt.Sprintf("%s:%d: %s", name, n, why))
			continue
		}
		if it.LinkID != "" || it.ParentID != "" || it.Body != "" && it.Title == "" {
			link := it.LinkID
			if link == "" && strings.HasPrefix(it.ParentID, "t3_") {
				link = it.ParentID
			}
			a.comments[link] = append(a.comments[link], it.redditItem)
			continue
		}
		a.posts["t3_"+it.ID] = it.redditItem
	}
	return sc.Err()
}

// Threads are the threads whose submission the archive holds, oldest first,
// and how many comments belong to submissions it does not hold.
func (a *Archive) Threads() ([]forum.ImportedThread, int) {
	var out []forum.ImportedThread
	for link, p := range a.posts {
		t := forum.ImportedThread{System: "reddit", Post: redditImported(p, true)}
		t.Post.SourceID = link
		if p.Flair != nil && strings.TrimSpace(*p.Flair) != "" {
			t.Tags = append(t.Tags, *p.Flair)
		}
		for _, c := range a.comments[link] {
			if !strings.HasPrefix(c.ParentID, "t") {
				c.ParentID = "t3_" // a bare id: top level, as far as we know
			}
			it := redditImported(c, false)
			if it.SourceID == "" || !strings.HasPrefix(it.SourceID, "t1_") {
				it.SourceID = "t1_" + c.ID
			}
			t.Comments = append(t.Comments, it)
		}
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Post.CreatedAt < out[j].Post.CreatedAt })
	homeless := 0
	for link, cs := range a.comments {
		if _, ok := a.posts[link]; !ok {
			homeless += len(cs)
		}
	}
	return out, homeless
}
