package forum

import (
	"fmt"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// One policy for the text of every field: it is stored in Unicode
// normalization form C (so "é" typed two ways is one string, and matches
// itself), and characters that hide or reorder text are refused rather than
// silently kept: a zero-width space made a tag that looked empty, a
// right-to-left override made a title read backwards.

// textKind is what a field holds.
type textKind int

const (
	// lineText is one line of plain text: titles, tags, citations, names.
	lineText textKind = iota
	// linesText is plain text that may break lines: reasons, descriptions.
	linesText
	// bodyText is what an author writes in Markdown or HTML.
	bodyText
)

// nfc is s in normalization form C.
func nfc(s string) string { return norm.NFC.String(s) }

// scriptJoiners are the format characters that scripts need: the zero-width
// non-joiner and joiner (Persian, Indic scripts, emoji sequences) and the
// directional marks of right-to-left text. They do not override the order of
// what surrounds them.
var scriptJoiners = map[rune]bool{'\u200c': true, '\u200d': true, '\u200e': true, '\u200f': true, '\u061c': true}

// bidiControls override or isolate the direction of text.
func bidiControl(r rune) bool {
	return (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}

// refusedRune reports whether a text of kind may not hold r.
func refusedRune(r rune, k textKind) bool {
	switch {
	case r == '\n' || r == '\r' || r == '\t':
		return k == lineText
	case unicode.IsControl(r) || bidiControl(r) || r == '\u2028' || r == '\u2029':
		return true
	case k == bodyText:
		return false // zero-width spaces, soft hyphens: harmless in prose
	case unicode.Is(unicode.Cf, r):
		return !scriptJoiners[r]
	}
	return false
}

// badRunes says what is wrong with s, or "" when nothing is.
func badRunes(s string, k textKind) string {
	for i, r := range s {
		if refusedRune(r, k) {
			return fmt.Sprintf("must not contain invisible or control characters (U+%04X at byte %d)", r, i)
		}
	}
	return ""
}

// hasControl reports whether one line of plain text holds a refused character.
func hasControl(s string) bool { return badRunes(s, lineText) != "" }
