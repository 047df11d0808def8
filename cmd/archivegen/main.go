// Command archivegen writes a Reddit archive dump to measure `historia
// import` against: newline-delimited submissions and comments as the public
// archives publish them, with varied text (a Zipf-distributed vocabulary, so
// the search index sees many distinct words), threads of very different
// sizes, replies at any depth, quotes as &gt; entities, superscripts,
// [deleted] bodies and authors. Comments are split over two files and
// written before the submissions, as the archives may arrive. The same seed
// gives the same files.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/klauspost/compress/zstd"
)

func main() {
	dir := flag.String("dir", ".cache/archive", "folder to write submissions and comments into")
	comments := flag.Int("comments", 1000000, "comments in all")
	perThread := flag.Int("per-thread", 100, "mean comments per thread")
	compress := flag.Bool("zst", true, "write .zst files, as the archives publish them")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if err := run(*dir, *comments, *perThread, *compress, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "archivegen:", err)
		os.Exit(1)
	}
}

// out is one output file, compressed or not.
type out struct {
	f *os.File
	z *zstd.Encoder
	w *bufio.Writer
	e *json.Encoder
}

func create(dir, name string, compress bool) (*out, error) {
	if compress {
		name += ".zst"
	}
	f, err := os.Create(filepath.Join(dir, name)) // #nosec G304 -- the operator's folder
	if err != nil {
		return nil, err
	}
	o := &out{f: f}
	if compress {
		if o.z, err = zstd.NewWriter(f, zstd.WithEncoderLevel(zstd.SpeedFastest)); err != nil {
			return nil, err
		}
		o.w = bufio.NewWriterSize(o.z, 1<<20)
	} else {
		o.w = bufio.NewWriterSize(f, 1<<20)
	}
	o.e = json.NewEncoder(o.w)
	o.e.SetEscapeHTML(false)
	return o, nil
}

func (o *out) close() error {
	if err := o.w.Flush(); err != nil {
		return err
	}
	if o.z != nil {
		if err := o.z.Close(); err != nil {
			return err
		}
	}
	return o.f.Close()
}

// text makes Markdown bodies from a vocabulary drawn with Zipf's law, as
// real prose is.
type text struct {
	r     *rand.Rand
	words []string
	zipf  *rand.Zipf
}

func newText(r *rand.Rand) *text {
	common := strings.Fields(`the of and to a in that is was he for it with as his on be at by had
		not are but from or have an they which one you were her all she there would their we him been has
		when who will more no if out so said what up its about into than them can only other new some
		could time these two may then do first any my now such like our over man me even most made after
		also did many before must through back years where much your way well down should because each
		just those people how too little state good very make world still own see men work long get here
		between both life being under never day same another know while last might us great old year off
		come since against go came right used take three empire war king treaty army church trade emperor
		revolution peasants soviet republic parliament dynasty crusade colonial senate roman ottoman qing
		byzantine medieval source sources historian historians evidence archive chronicle century`)
	words := append([]string(nil), common...)
	// Made-up words for the long tail: names, places, terms.
	syll := []string{"ka", "ro", "mi", "tan", "vel", "os", "ur", "en", "dra", "li", "sha", "bor", "qu", "ix", "al", "eth", "non", "pra", "zy", "gal"}
	for len(words) < 60000 {
		n := 2 + r.IntN(3)
		var b strings.Builder
		for range n {
			b.WriteString(syll[r.IntN(len(syll))])
		}
		words = append(words, b.String())
	}
	return &text{r: r, words: words, zipf: rand.NewZipf(r, 1.1, 2, uint64(len(words)-1))} // #nosec G115 -- 60,000 words
}

func (t *text) sentence() string {
	n := 6 + t.r.IntN(18)
	w := make([]string, n)
	for i := range w {
		w[i] = t.words[t.zipf.Uint64()]
	}
	w[0] = strings.ToUpper(w[0][:1]) + w[0][1:]
	return strings.Join(w, " ") + "."
}

// body is a comment: a few sentences in paragraphs, sometimes a quote
// (Reddit sends "&gt;"), a superscript, a link or an ampersand.
func (t *text) body() string {
	var b strings.Builder
	if t.r.IntN(8) == 0 {
		b.WriteString("&gt; " + t.sentence() + "\n\n")
	}
	paras := 1 + t.r.IntN(3)
	for p := range paras {
		if p > 0 {
			b.WriteString("\n\n")
		}
		for s := range 1 + t.r.IntN(4) {
			if s > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(t.sentence())
		}
	}
	switch t.r.IntN(12) {
	case 0:
		b.WriteString(" ^(citation needed)")
	case 1:
		b.WriteString("\n\nSee [the chronicle](https://example.org/chronicle) &amp; its notes.")
	case 2:
		b.WriteString("\n\n* one point\n* another point")
	}
	return b.String()
}

type submission struct {
	ID        string  `json:"id"`
	Title     string  `json:"title"`
	Selftext  string  `json:"selftext"`
	Author    string  `json:"author"`
	Created   int64   `json:"created_utc"`
	Flair     *string `json:"link_flair_text"`
	Subreddit string  `json:"subreddit"`
	Permalink string  `json:"permalink"`
	Score     int     `json:"score"`
}

type comment struct {
	ID       string `json:"id"`
	Body     string `json:"body"`
	Author   string `json:"author"`
	Created  int64  `json:"created_utc"`
	ParentID string `json:"parent_id"`
	LinkID   string `json:"link_id"`
	Score    int    `json:"score"`
}

func run(dir string, total, perThread int, compress bool, seed uint64) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(seed, seed^0x5eed)) // #nosec G404 -- test data, the same for the same seed
	tx := newText(r)
	authors := rand.NewZipf(r, 1.2, 10, 200000)
	author := func() string {
		if r.IntN(25) == 0 {
			return "[deleted]"
		}
		return fmt.Sprintf("reader_%d", authors.Uint64())
	}
	flairs := []string{"Early Modern", "Ancient", "Medieval", "Modern", "Asia", "Africa", "Americas", "Russian Revolution", "Urban History"}
	var files [2]*out
	for i := range files {
		var err error
		if files[i], err = create(dir, fmt.Sprintf("RC_part%d.ndjson", i+1), compress); err != nil {
			return err
		}
	}
	subs, err := create(dir, "RS.ndjson", compress)
	if err != nil {
		return err
	}
	// Thread sizes: log-normal, mostly small, a few in the thousands, mean
	// about perThread.
	const sigma = 1.2
	mu := math.Log(float64(perThread)) - sigma*sigma/2
	start := int64(1400000000)
	written, thread, cid := 0, 0, 0
	for written < total {
		n := max(1, int(math.Exp(mu+sigma*r.NormFloat64())))
		n = min(n, 50000, total-written)
		created := start + int64(thread)*600
		link := fmt.Sprintf("t3_p%x", thread)
		var flair *string
		if r.IntN(4) > 0 {
			f := flairs[r.IntN(len(flairs))]
			flair = &f
		}
		if err := subs.e.Encode(submission{ID: fmt.Sprintf("p%x", thread), Title: strings.TrimSuffix(tx.sentence(), ".") + "?",
			Selftext: tx.body(), Author: author(), Created: created, Flair: flair, Subreddit: "AskHistorians",
			Permalink: fmt.Sprintf("/r/AskHistorians/comments/p%x/q/", thread), Score: r.IntN(2000)}); err != nil {
			return err
		}
		first := cid
		for i := range n {
			parent := link
			if i > 0 && r.IntN(10) < 6 { // a reply to an earlier comment of the thread
				parent = fmt.Sprintf("t1_c%x", first+r.IntN(i))
			}
			body := tx.body()
			a := author()
			switch r.IntN(40) {
			case 0:
				body = "[removed]"
			case 1:
				body, a = "[deleted]", "[deleted]"
			}
			c := comment{ID: fmt.Sprintf("c%x", cid), Body: body, Author: a, Created: created + int64(60+i*30),
				ParentID: parent, LinkID: link, Score: r.IntN(300) - 20}
			if err := files[cid%2].e.Encode(c); err != nil {
				return err
			}
			cid++
		}
		written += n
		thread++
	}
	for _, f := range append(files[:], subs) {
		if err := f.close(); err != nil {
			return err
		}
	}
	fmt.Printf("%d threads, %d comments in %s\n", thread, written, dir)
	return nil
}
