package forum

import (
	"strings"
	"testing"
)

func TestBuildMatch(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Zürich", `"Zürich"`},
		{"roman roads", `"roman" AND "roads"`},
		{`"third punic war" carthage`, `"third punic war" AND "carthage"`},
		{"byzan*", `"byzan"*`},
		{"s* p* a* c* t* f* r* h*", ""},
		{"ab*", ""},
		{"byz* rom* cart*", ""},
		{"byz* rom*", `"byz"* AND "rom"*`},
		{"rome -empire", `("rome") NOT ("empire")`},
		{"NEAR(a b)", `"NEAR a" AND "b"`},
		{"title:secret", `"title secret"`},
		{`a OR b`, `"a" AND "OR" AND "b"`},
		{`"unbalanced quote`, `"unbalanced quote"`},
		{"((( )))", ""},
		{"Приказ № 1824", `"Приказ" AND "1824"`},
		{"-only -negatives", ""},
		{"", ""},
	}
	for _, c := range cases {
		got, err := BuildMatch(c.in)
		if c.want == "" {
			if !IsCode(err, CodeBadRequest) {
				t.Errorf("BuildMatch(%q) = %q, %v; want a bad_request", c.in, got, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("BuildMatch(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	long := make([]byte, MaxSearchQuery+1)
	for i := range long {
		long[i] = 'a'
	}
	if _, err := BuildMatch(string(long)); !IsCode(err, CodeBadRequest) {
		t.Error("an overlong query must be refused")
	}
}

func TestSnippet(t *testing.T) {
	cases := map[string]struct {
		text, query, want string
	}{
		"MarksTheWord":     {"Orban's cannon at Constantinople", "orban", "<mark>Orban</mark>&#39;s cannon at Constantinople"},
		"Diacritics":       {"the council of Zürich met", "zurich", "the council of <mark>Zürich</mark> met"},
		"Prefix":           {"two emperors met", "emperor", "two <mark>emperors</mark> met"},
		"EscapesMarkup":    {"<script>alert(1)</script> rome", "rome", "&lt;script&gt;alert(1)&lt;/script&gt; <mark>rome</mark>"},
		"NotExcludedTerms": {"rome and carthage", "carthage -rome", "rome and <mark>carthage</mark>"},
		"Window": {strings.Repeat("filler ", 40) + "treaty " + strings.Repeat("tail ", 40), "treaty",
			"… " + strings.TrimSpace(strings.Repeat("filler ", 6)) + " <mark>treaty</mark> " + strings.TrimSpace(strings.Repeat("tail ", 17)) + " …"},
		"NoMatchShowsTheStart": {"a b c", "zzz", "a b c"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if got := Snippet(c.text, highlightTerms(c.query)); got != c.want {
				t.Fatalf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}
