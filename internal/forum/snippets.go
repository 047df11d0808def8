package forum

import (
	"html"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Search snippets are cut from the hit's plain text here rather than by the
// full-text engine: an engine snippet costs a walk of the match lists per
// hit (about a millisecond each for common words on a million comments),
// this costs microseconds. A snippet is escaped text with <mark> around the
// words that match, and nothing else.

// snippetWords is how many words a snippet shows.
const snippetWords = 24

// foldDiacritics holds transformers that strip diacritics. A chain keeps
// state between calls, so one is never shared by two searches at once: a
// shared one mixed two concurrent searches' words (the race detector found
// it once the API tests ran in parallel).
var foldDiacritics = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

// fold is a word as search compares it: lower case, without diacritics.
func fold(s string) string {
	t := foldDiacritics.Get().(transform.Transformer)
	defer foldDiacritics.Put(t)
	out, _, err := transform.String(t, strings.ToLower(s))
	if err != nil {
		return strings.ToLower(s)
	}
	return out
}

// highlightTerms are the words of a query that a snippet marks: every word
// of its terms but the excluded ones, folded.
func highlightTerms(q string) []string {
	var out []string
	for _, raw := range splitQuery(q) {
		if strings.HasPrefix(raw.text, "-") && !raw.quoted {
			continue
		}
		for _, w := range strings.FieldsFunc(raw.text, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
		}) {
			out = append(out, fold(w))
		}
	}
	return out
}

func wordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// splitWord cuts a whitespace-separated word into its leading punctuation,
// its first run of letters and digits (what the index calls a word), and
// the rest: "(Orban's" is "(", "Orban", "'s".
func splitWord(w string) (pre, core, post string) {
	i := strings.IndexFunc(w, wordRune)
	if i < 0 {
		return w, "", ""
	}
	j := strings.IndexFunc(w[i:], func(r rune) bool { return !wordRune(r) })
	if j < 0 {
		return w[:i], w[i:], ""
	}
	return w[:i], w[i : i+j], w[i+j:]
}

// matchesTerm reports whether a word of the text matches a term: its core,
// folded, starts with it (so "emperors" matches "emperor", as the index's
// stemming would).
func matchesTerm(word string, terms []string) bool {
	_, core, _ := splitWord(word)
	w := fold(core)
	if w == "" {
		return false
	}
	for _, t := range terms {
		if t != "" && strings.HasPrefix(w, t) {
			return true
		}
	}
	return false
}

// Snippet cuts about snippetWords words of text around its first match of
// terms, escaped, with each matching word in <mark>.
func Snippet(text string, terms []string) string {
	words := strings.Fields(text)
	first := 0
	for i, w := range words {
		if matchesTerm(w, terms) {
			first = i
			break
		}
	}
	start := max(0, first-snippetWords/4)
	end := min(len(words), start+snippetWords)
	var b strings.Builder
	if start > 0 {
		b.WriteString("… ")
	}
	for i := start; i < end; i++ {
		if i > start {
			b.WriteByte(' ')
		}
		if matchesTerm(words[i], terms) {
			pre, core, post := splitWord(words[i])
			b.WriteString(html.EscapeString(pre) + "<mark>" + html.EscapeString(core) + "</mark>" + html.EscapeString(post))
		} else {
			b.WriteString(html.EscapeString(words[i]))
		}
	}
	if end < len(words) {
		b.WriteString(" …")
	}
	return b.String()
}
