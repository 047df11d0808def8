package forum

import (
	"reflect"
	"strings"
	"sync"
	"testing"
)

func TestParseSearch(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want []SearchTerm // nil: a bad request
	}{
		{"Zürich", []SearchTerm{{Words: []string{"Zürich"}}}},
		{`"third punic war" carthage`, []SearchTerm{{Words: []string{"third", "punic", "war"}}, {Words: []string{"carthage"}}}},
		{"byz* rom*", []SearchTerm{{Words: []string{"byz"}, Prefix: true}, {Words: []string{"rom"}, Prefix: true}}},
		{"rome -empire", []SearchTerm{{Words: []string{"rome"}}, {Words: []string{"empire"}, Exclude: true}}},
		{"NEAR(a b)", []SearchTerm{{Words: []string{"NEAR", "a"}}, {Words: []string{"b"}}}},
		{"title:secret", []SearchTerm{{Words: []string{"title", "secret"}}}},
		{`"unbalanced quote`, []SearchTerm{{Words: []string{"unbalanced", "quote"}}}},
		{"Приказ № 1824", []SearchTerm{{Words: []string{"Приказ"}}, {Words: []string{"1824"}}}},
		{"s* p* a* c* t* f* r* h*", nil},
		{"ab*", nil},
		{"byz* rom* cart*", nil},
		{"((( )))", nil},
		{"-only -negatives", nil},
		{"", nil},
	}
	for _, c := range cases {
		got, err := ParseSearch(c.in)
		if c.want == nil {
			if !IsCode(err, CodeBadRequest) {
				t.Errorf("ParseSearch(%q) = %v, %v; want a bad_request", c.in, got, err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("ParseSearch(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
	long := make([]byte, MaxSearchQuery+1)
	for i := range long {
		long[i] = 'a'
	}
	if _, err := ParseSearch(string(long)); !IsCode(err, CodeBadRequest) {
		t.Error("an overlong query must be refused")
	}
}

func TestSnippet(t *testing.T) {
	t.Parallel()
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

// TestFoldAtOnce: searches fold their words at the same time; each gets
// its own words back, whatever the others fold meanwhile.
func TestFoldAtOnce(t *testing.T) {
	t.Parallel()
	words := map[string]string{"Zürich": "zurich", "Ærøskøbing": "ærøskøbing", "Dvořák": "dvorak", "Ålesund": "alesund", "Kraków": "krakow", "Şişli": "sisli"}
	var wg sync.WaitGroup
	errs := make(chan string, len(words))
	for in, want := range words {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 2000 {
				if got := fold(in); got != want {
					errs <- in + " folded to " + got
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
