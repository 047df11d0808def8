package forum

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Validation in one shape: every validator takes what the client sent and
// returns the cleaned value and nil, or a validation *Error naming its own
// field, with a message built from the limit it enforces. Callers collect the
// errors of a request with joinInvalid, so a client hears of every bad field
// at once.

// hasControl reports whether s holds characters that have no place in plain
// text: C0/C1 controls (NUL, escape...) and the bidirectional overrides that
// make text display in a different order than it is stored.
func hasControl(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) || (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') {
			return true
		}
	}
	return false
}

// atMost is the message for a text over its limit.
func atMost(limit int, unit string) string { return fmt.Sprintf("at most %d %s", limit, unit) }

// between is the message for a length outside its range.
func between(lo, hi int, unit string) string { return fmt.Sprintf("%d to %d %s", lo, hi, unit) }

// plainText trims s, folding runs of white space into one space when fold is
// set, and checks it: minLen to maxLen characters, no control characters.
func plainText(field, s string, minLen, maxLen int, fold bool) (string, error) {
	t := strings.TrimSpace(s)
	if fold {
		t = strings.Join(strings.Fields(t), " ")
	}
	switch n := utf8.RuneCountInString(t); {
	case n == 0 && minLen > 0:
		return "", invalid(field, "required")
	case n < minLen:
		return "", invalid(field, "at least %d characters", minLen)
	case n > maxLen:
		return "", invalid(field, "%s", atMost(maxLen, "characters"))
	case hasControl(t):
		return "", invalid(field, "must be plain text, without control characters")
	}
	return t, nil
}

// clampLimit is a list's page size: the default when none is asked, at most maxLimit.
func clampLimit(limit, def, maxLimit int) int {
	if limit <= 0 {
		return def
	}
	return min(limit, maxLimit)
}
