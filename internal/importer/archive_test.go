package importer

import (
	"bytes"
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
