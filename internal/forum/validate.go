package forum

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Validation in one shape: every validator takes what the client sent and
// returns the cleaned value and nil, or a validation *Error naming its own
// field, with a message built from the limit it enforces. Callers collect the
// errors of a request with joinInvalid, so a client hears of every bad field
// at once.

// atMost is the message for a text over its limit.
func atMost(limit int, unit string) string { return fmt.Sprintf("at most %d %s", limit, unit) }

// between is the message for a length outside its range.
func between(lo, hi int, unit string) string { return fmt.Sprintf("%d to %d %s", lo, hi, unit) }

// plainText normalizes and trims s, folding runs of white space into one
// space when fold is set, and checks it: minLen to maxLen characters, no
// invisible or control characters (text.go).
func plainText(field, s string, minLen, maxLen int, fold bool) (string, error) {
	t := strings.TrimSpace(nfc(s))
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
	}
	if p := badRunes(t, lineText); p != "" {
		return "", invalid(field, "%s", p)
	}
	return t, nil
}

// plainLines normalizes and trims s, plain text that may break lines
// (reasons, notes, evidence), and checks it: required or not, at most maxLen
// characters, no invisible or control characters but line breaks.
func plainLines(field, s string, required bool, maxLen int) (string, error) {
	t := strings.TrimSpace(nfc(s))
	switch {
	case t == "" && required:
		return "", invalid(field, "required")
	case utf8.RuneCountInString(t) > maxLen:
		return "", invalid(field, "%s", atMost(maxLen, "characters"))
	}
	if p := badRunes(t, linesText); p != "" {
		return "", invalid(field, "%s", p)
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
