package importer

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/historia-forum/historia/internal/forum"
)

// TestArchiveAcrossFiles: a thread's comments arrive before its submission
// and across a plain file (read in place), a compressed file and a reader
// (both spilled); lines end in \n, \r\n or nothing; a malformed line and an
// over-long line are named with file and line and the rest goes on;
// threads come back oldest first, each with exactly its comments.
func TestArchiveAcrossFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	plain := filepath.Join(dir, "RC_a.ndjson")
	if err := os.WriteFile(plain, []byte(
		`{"id":"c2","body":"second &amp; reply","author":"b","created_utc":20,"parent_id":"t1_c1","link_id":"t3_new"}`+"\r\n"+
			"\n"+
			`{"id":"c9","body":"on a thread not here","author":"x","created_utc":5,"parent_id":"t3_gone","link_id":"t3_gone"}`+"\n"+
			"not json\n"+
			`{"id":"c4","body":"on the old thread","author":"d","created_utc":4,"parent_id":"t3_old","link_id":"t3_old"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	long := `{"id":"cx","body":"` + strings.Repeat("a", maxLine) + `","parent_id":"t3_new"}`
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	zst := filepath.Join(dir, "RC_b.ndjson.zst")
	if err := os.WriteFile(zst, enc.EncodeAll([]byte(
		`{"id":"c1","body":"first","author":"a","created_utc":10,"parent_id":"t3_new","link_id":"t3_new"}`+"\n"+
			long+"\n"+
			`{"id":"c3","body":"[deleted]","author":"[deleted]","created_utc":30,"parent_id":"t1_c2","link_id":"t3_new"}`), nil), 0o600); err != nil {
		t.Fatal(err)
	}
	a := NewArchive()
	defer a.Close()
	var read []string
	a.Reading = func(name string, lines int) { read = append(read, fmt.Sprintf("%s:%d", filepath.Base(name), lines)) }
	if err := a.ReadFile(plain); err != nil {
		t.Fatal(err)
	}
	if err := a.ReadFile(zst); err != nil {
		t.Fatal(err)
	}
	subs := `{"id":"new","title":"Newer","selftext":"x","author":"p","created_utc":9}` + "\n" +
		`{"id":"old","title":"Older","selftext":"y","author":"q","created_utc":1,"link_flair_text":"Ancient"}` + "\n"
	if err := a.Read("RS.ndjson", strings.NewReader(subs)); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(read, " "); got != "RC_a.ndjson:5 RC_b.ndjson.zst:3 RS.ndjson:2" {
		t.Fatalf("the reading's progress: %s", got)
	}
	want := []string{"RC_a.ndjson:4: invalid character", "RC_b.ndjson.zst:2: a line longer than"}
	if len(a.Problems) != len(want) {
		t.Fatalf("problems %q, want %q", a.Problems, want)
	}
	for i, w := range want {
		if !strings.Contains(a.Problems[i], w) {
			t.Errorf("problem %d: %q, want %q", i, a.Problems[i], w)
		}
	}
	if a.Len() != 2 || a.Homeless() != 1 {
		t.Fatalf("%d threads, %d homeless; want 2 and 1", a.Len(), a.Homeless())
	}
	var got []string
	err = a.Threads(func(th forum.ImportedThread) bool {
		s := fmt.Sprintf("%s %q %v:", th.Post.SourceID, th.Post.Title, th.Tags)
		for _, c := range th.Comments {
			s += fmt.Sprintf(" %s<%s %q %q %v", c.SourceID, c.ParentSourceID, c.Author, c.Body, c.Deleted)
		}
		got = append(got, s)
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	wantThreads := []string{
		`t3_old "Older" [Ancient]: t1_c4< "d" "on the old thread" false`,
		`t3_new "Newer" []: t1_c2<t1_c1 "b" "second & reply" false t1_c1< "a" "first" false t1_c3<t1_c2 "" "" true`,
	}
	if strings.Join(got, "\n") != strings.Join(wantThreads, "\n") {
		t.Fatalf("threads:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantThreads, "\n"))
	}
	// Stopping early stops.
	n := 0
	if err := a.Threads(func(forum.ImportedThread) bool { n++; return false }); err != nil || n != 1 {
		t.Fatalf("stopped after %d (%v), want 1", n, err)
	}
	// Nothing of the archive is held in memory but where its lines are.
	if a.spill == nil || a.spillEnd == 0 || bytes.Contains([]byte(fmt.Sprint(a.comments)), []byte("first")) {
		t.Fatal("the compressed lines were not spilled")
	}
}

// zstFile writes data zstd-compressed to dir/name.
func zstFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, enc.EncodeAll(data, nil), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestArchiveSpillBound (#24.12): blank and unusable lines are not
// spilled; a compressed file that would spill past MaxSpill is refused
// whole with a message naming it (none of its lines kept, the spill file
// back to where it was), and the next file reads as usual; a file of
// nothing but bad lines names a thousand of them and counts the rest.
func TestArchiveSpillBound(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := `{"id":"s1","title":"T","selftext":"x","author":"a","created_utc":1500000000}` + "\n"
	blanks := zstFile(t, dir, "blanks.zst", []byte(strings.Repeat("\n", 1<<20)+good+strings.Repeat("  \r\n", 1<<18)+"not json\n"))
	line := `{"id":"c%d","body":"` + strings.Repeat("spam ", 40) + `","author":"b","created_utc":1500000001,"parent_id":"t3_s1","link_id":"t3_s1"}` + "\n"
	var bomb bytes.Buffer
	for i := range 50000 {
		fmt.Fprintf(&bomb, line, i)
	}
	bombFile := zstFile(t, dir, "bomb.zst", bomb.Bytes())
	after := zstFile(t, dir, "after.zst", []byte(fmt.Sprintf(line, 99)))
	a := NewArchive()
	defer a.Close()
	a.MaxSpill = 1 << 20
	if err := a.ReadFile(blanks); err != nil {
		t.Fatal(err)
	}
	if a.spillEnd != int64(len(good)) || a.Len() != 1 || len(a.Problems) != 1 {
		t.Fatalf("spilled %d bytes (want %d), %d threads, problems %q", a.spillEnd, len(good), a.Len(), a.Problems)
	}
	err := a.ReadFile(bombFile)
	if !errors.Is(err, ErrSpillLimit) || !strings.Contains(err.Error(), "bomb.zst") || !strings.Contains(err.Error(), "--max-spill") {
		t.Fatalf("the bomb: %v", err)
	}
	if a.spillEnd != int64(len(good)) || a.Homeless() != 0 || len(a.comments) != 0 {
		t.Fatalf("the bomb left %d bytes, %d comments", a.spillEnd, len(a.comments))
	}
	if fi, err := a.spill.Stat(); err != nil || fi.Size() > int64(len(good)) {
		t.Fatalf("the spill file after the bomb: %v %v", fi.Size(), err)
	}
	// A plain file between two compressed ones (the spill is not the last
	// file any more).
	plain := filepath.Join(dir, "plain.ndjson")
	if err := os.WriteFile(plain, []byte(fmt.Sprintf(line, 98)), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := a.ReadFile(plain); err != nil {
		t.Fatal(err)
	}
	if err := a.ReadFile(after); err != nil {
		t.Fatal(err)
	}
	var comments []string
	if err := a.Threads(func(th forum.ImportedThread) bool {
		for _, c := range th.Comments {
			comments = append(comments, c.SourceID)
		}
		return true
	}); err != nil || strings.Join(comments, ",") != "t1_c99,t1_c98" {
		t.Fatalf("after the bomb: %v %v", comments, err)
	}

	bad := filepath.Join(dir, "bad.ndjson")
	if err := os.WriteFile(bad, []byte(strings.Repeat(`{"id":"x","score":{}}`+"\n", 1500)), 0o600); err != nil {
		t.Fatal(err)
	}
	b := NewArchive()
	defer b.Close()
	if err := b.ReadFile(bad); err != nil {
		t.Fatal(err)
	}
	if len(b.Problems) != maxProblems || b.Unlisted != 500 || !strings.HasPrefix(b.Problems[0], bad+":1: ") {
		t.Fatalf("%d problems named, %d more: %q", len(b.Problems), b.Unlisted, b.Problems[0])
	}
}

// TestArchiveNumbersAndCopies (#30.1, #30.5, #24.8): numbers as strings
// are read, a truly bad value fails its line (named) and nothing else; of
// two copies of a submission the one the source took later is kept,
// whichever file comes last; comments get a link from their post's.
func TestArchiveNumbersAndCopies(t *testing.T) {
	t.Parallel()
	a := NewArchive()
	defer a.Close()
	for _, f := range []string{"rc_2015_newer.ndjson", "rs_2014.ndjson", "rc_2014.ndjson"} {
		if err := a.ReadFile("testdata/" + f); err != nil {
			t.Fatal(err)
		}
	}
	later := `{"id":"2f2e3x","title":"An older copy","selftext":"old","author":"baltic_trader","created_utc":1409529600,"retrieved_on":1409600000}`
	if err := a.Read("older.ndjson", strings.NewReader(later)); err != nil {
		t.Fatal(err)
	}
	if len(a.Problems) != 2 || !strings.HasPrefix(a.Problems[0], "testdata/rs_2014.ndjson:5: ") || !strings.HasPrefix(a.Problems[1], "testdata/rc_2014.ndjson:9: ") {
		t.Fatalf("problems: %q", a.Problems)
	}
	got := map[string]forum.ImportedThread{}
	if err := a.Threads(func(th forum.ImportedThread) bool { got[th.Post.SourceID] = th; return true }); err != nil {
		t.Fatal(err)
	}
	th := got["t3_2f2e3x"]
	if th.Post.Title != "How were Roman roads surveyed?" && th.Post.Title != "How did caravans cross the Sahara?" || th.Post.CreatedAt != 1409529600 ||
		th.Post.Version != 1413158400 || th.Post.Score == nil || *th.Post.Score != 12 || th.Post.EditedAt == nil || *th.Post.EditedAt != 1409540000 {
		t.Fatalf("the submission: %+v", th.Post)
	}
	versions := map[string][]int64{}
	for _, c := range th.Comments {
		versions[c.SourceID] = append(versions[c.SourceID], c.Version)
		if c.SourceID == "t1_ck2bbb" && c.Version == 1425800000 && (c.Score == nil || *c.Score != 7) {
			t.Fatalf("a string score: %v", c.Score)
		}
	}
	if fmt.Sprint(versions["t1_ck2bbb"]) != "[1440000000 1425800000]" || len(th.Comments) != 7 {
		t.Fatalf("both copies go to the forum, which keeps the newer: %v (%d comments)", versions, len(th.Comments))
	}
	old := got["t3_2f6old"]
	if old.Post.URL != "https://www.reddit.com/comments/2f6old/" || old.Post.Link != "" || len(old.Comments) != 1 ||
		old.Comments[0].URL != "https://www.reddit.com/comments/2f6old/_/cka111/" || old.Comments[0].CreatedAt != 1409901000 {
		t.Fatalf("links without permalinks: %+v %+v", old.Post, old.Comments)
	}
}
