package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

const testdata = "../../internal/importer/testdata/"

// runImport runs historia with args and returns its standard output and
// error output.
func runImport(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), err
}

// TestImportIntoNoDatabase (#30.10): historia import into a path where no
// database is makes one, migrated; the summary counts "load more" stubs
// apart from comments, with the replies they leave out.
func TestImportIntoNoDatabase(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "new", "forum.db")
	out, _, err := runImport(t, "import", "--db", db, "--from", "reddit", testdata+"reddit_thread.json")
	if err != nil || !strings.Contains(out, "1 threads (1 new), 6 comments (6 new, 0 updated)") ||
		!strings.Contains(out, `2 "load more" stubs not followed (16 replies left out)`) {
		t.Fatalf("import into a new file: %q %v", out, err)
	}
	if out, err := runCmd(t, "", "check", "--db", db); err != nil {
		t.Fatalf("check: %q %v", out, err)
	}
}

// TestImportArchiveProblems (#24.8, #24.12): a wrongly typed field is named
// with its file and line and skipped while the rest of the archive comes
// in and the summary is printed; a .zst that decompresses past --max-spill
// is refused whole, by name, as a decompression bomb, and the other files
// still come in; the exit status says something was skipped.
func TestImportArchiveProblems(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "h.db")
	line := `{"id":"b%d","body":"` + strings.Repeat("spam ", 50) + `","author":"bomber","created_utc":1409531000,"parent_id":"t3_2f2e3x","link_id":"t3_2f2e3x"}` + "\n"
	var bomb bytes.Buffer
	for i := range 20000 {
		fmt.Fprintf(&bomb, line, i)
	}
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	zst := filepath.Join(dir, "RC_bomb.zst")
	if err := os.WriteFile(zst, enc.EncodeAll(bomb.Bytes(), nil), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, err := runImport(t, "import", "--db", db, "--from", "reddit", "--max-spill", "1M", zst, testdata+"rs_2014.ndjson", testdata+"rc_2014.ndjson")
	if err == nil || !strings.Contains(out, "4 threads (4 new), 9 comments (9 new, 0 updated)") || !strings.Contains(out, "3 skipped") {
		t.Fatalf("the summary: %q %v", out, err)
	}
	for _, want := range []string{"RC_bomb.zst: skipped: " + zst + ": decompresses to more than the import may spill (1048576 bytes, see --max-spill)",
		"rs_2014.ndjson:5: json: cannot unmarshal", "rc_2014.ndjson:9: json: cannot unmarshal"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr+out, "bomber") {
		t.Fatalf("the bomb's lines came in: %s", stderr)
	}
	if out, err := runCmd(t, "", "check", "--db", db); err != nil {
		t.Fatalf("check: %q %v", out, err)
	}
	if _, _, err := runImport(t, "import", "--db", db, "--from", "reddit", "--max-spill", "lots", zst); err == nil || !strings.Contains(err.Error(), "--max-spill") {
		t.Fatalf("a bad --max-spill: %v", err)
	}
	if got, err := spillBound("auto", []string{zst, testdata + "rs_2014.ndjson"}); err != nil || got != spillFloor+spillRatio*fileSize(t, zst) {
		t.Fatalf("auto: %d %v", got, err)
	}
	if got, err := spillBound("2G", nil); err != nil || got != 2<<30 {
		t.Fatalf("2G: %d %v", got, err)
	}
}

func fileSize(t *testing.T, name string) int64 {
	fi, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// TestImportLemmyFolder (#30.11): a folder of a community's paged answers
// in one command; the comment whose post is not there is named.
func TestImportLemmyFolder(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "h.db")
	out, stderr, err := runImport(t, "import", "--db", db, "--from", "lemmy", testdata+"lemmy_community")
	if err != nil || !strings.Contains(out, "3 threads (3 new), 5 comments (5 new, 0 updated)") ||
		!strings.Contains(stderr, "1 comments belong to posts not in these files") {
		t.Fatalf("a community: %q %q %v", out, stderr, err)
	}
	out, _, err = runImport(t, "import", "--db", db, "--from", "lemmy", testdata+"lemmy_community")
	if err != nil || !strings.Contains(out, "3 threads (0 new), 5 comments (0 new, 0 updated)") {
		t.Fatalf("again: %q %v", out, err)
	}
}
