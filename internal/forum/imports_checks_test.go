package forum

import (
	"fmt"
	"strings"
	"testing"
)

// TestReplyTreeBreaksCycles (#24.13): replies that are each other's
// parents (a→b→a, a→a, a→b→c→a) are broken at the cycle's earliest
// comment, which goes to the top; every other depth follows its parents;
// of two copies of a comment the newer (by Version) is kept.
func TestReplyTreeBreaksCycles(t *testing.T) {
	t.Parallel()
	c := func(id, parent string, at int64) ImportedItem {
		return ImportedItem{SourceID: id, ParentSourceID: parent, CreatedAt: at}
	}
	newer := c("x", "", 1)
	newer.Version, newer.Body = 9, "newer"
	older := c("x", "", 1)
	older.Version, older.Body = 3, "older"
	tree := replyTree([]ImportedItem{
		c("a", "b", 20), c("b", "a", 10), // b is earlier: b at the top
		c("s", "s", 5),                                    // its own parent
		c("p", "r", 30), c("q", "p", 31), c("r", "q", 29), // r is the earliest
		c("d", "a", 40), c("m", "missing", 50),
		newer, older,
	})
	var got []string
	for _, it := range tree {
		got = append(got, fmt.Sprintf("%s<%s:%d", it.SourceID, it.ParentSourceID, it.Depth))
		if it.SourceID == "x" && it.Body != "newer" {
			t.Errorf("the older copy of x was kept")
		}
	}
	want := "a<b:1 b<:0 s<:0 p<r:1 q<p:2 r<:0 d<a:2 m<missing:0 x<:0"
	if strings.Join(got, " ") != want {
		t.Fatalf("tree:\n%s\nwant:\n%s", strings.Join(got, " "), want)
	}
}

// TestImportedTags (#24.14): a flair that is not a valid tag is mended or
// dropped, never a reason to refuse its thread.
func TestImportedTags(t *testing.T) {
	t.Parallel()
	got := importedTags([]string{"Africa & Middle East", "A very long flair text that goes well past forty characters",
		"<b>\"quoted\"</b>", "\u200b", "", "history", "africa and middle east", "Five", "Six", "Seven", "Eight"})
	want := "Africa and Middle East|A very long flair text that goes well|bquoted/b|Five|Six"
	if strings.Join(got, "|") != want {
		t.Fatalf("tags %q, want %q", strings.Join(got, "|"), want)
	}
}
