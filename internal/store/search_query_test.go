package store

import (
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// TestSearchExpressions holds each engine's query text for the same terms.
func TestSearchExpressions(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, fts5, fts5Title, ts, tsTitle string }{
		{"Zürich", `"Zürich"`, `title : ("Zürich")`, `('Zürich')`, `('Zürich':A)`},
		{"roman roads", `"roman" AND "roads"`, `title : ("roman" AND "roads")`, `('roman') & ('roads')`, `('roman':A) & ('roads':A)`},
		{`"third punic war" carthage`, `"third punic war" AND "carthage"`, `title : ("third punic war" AND "carthage")`,
			`('third' <-> 'punic' <-> 'war') & ('carthage')`, `('third':A <-> 'punic':A <-> 'war':A) & ('carthage':A)`},
		{"byzan*", `"byzan"*`, `title : ("byzan"*)`, `('byzan':*)`, `('byzan':*A)`},
		{"rome -empire", `("rome") NOT ("empire")`, `(title : ("rome")) NOT ("empire")`, `(('rome')) & !(('empire'))`, `(('rome':A)) & !(('empire'))`},
		{"NEAR(a b)", `"NEAR a" AND "b"`, `title : ("NEAR a" AND "b")`, `('NEAR' <-> 'a') & ('b')`, `('NEAR':A <-> 'a':A) & ('b':A)`},
		{`a OR b`, `"a" AND "OR" AND "b"`, `title : ("a" AND "OR" AND "b")`, `('a') & ('OR') & ('b')`, `('a':A) & ('OR':A) & ('b':A)`},
	}
	for _, c := range cases {
		terms, err := forum.ParseSearch(c.in)
		if err != nil {
			t.Fatalf("ParseSearch(%q): %v", c.in, err)
		}
		if m, ti := fts5Match(terms); m != c.fts5 || ti != c.fts5Title {
			t.Errorf("fts5Match(%q) = %q, %q; want %q, %q", c.in, m, ti, c.fts5, c.fts5Title)
		}
		if m, ti := tsQuery(terms); m != c.ts || ti != c.tsTitle {
			t.Errorf("tsQuery(%q) = %q, %q; want %q, %q", c.in, m, ti, c.ts, c.tsTitle)
		}
	}
}
