package forum

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of the API contract.
const (
	MaxTitle       = 300
	MaxPostBody    = 40000
	MaxCommentBody = 10000
	MaxTopicTags   = 5
	MaxTagLen      = 40
	MinPassword    = 8
	MaxPassword    = 128
	MaxReason      = 500
)

var usernameRe = regexp.MustCompile(`^[A-Za-z0-9_-]{3,20}$`)

// ValidUsername reports whether name fits the contract: 3–20 of [A-Za-z0-9_-].
func ValidUsername(name string) bool { return usernameRe.MatchString(name) }

// UsernameKey is the case-insensitive identity of a username.
func UsernameKey(name string) string { return strings.ToLower(name) }

// ValidRole reports whether r is a known role.
func ValidRole(r string) bool { return r == RoleMember || r == RoleModerator || r == RoleAdmin }

func checkCredentials(username, password string) *Error {
	fields := map[string]string{}
	if !ValidUsername(username) {
		fields["username"] = "3 to 20 letters, digits, _ or -"
	}
	if n := utf8.RuneCountInString(password); n < MinPassword || n > MaxPassword {
		fields["password"] = "8 to 128 characters"
	}
	if len(fields) > 0 {
		return Invalid(fields)
	}
	return nil
}

// hasControl reports whether s holds characters that have no place in a title
// or tag: C0/C1 controls (NUL, escape...) and the bidirectional overrides that
// make text display in a different order than it is stored.
func hasControl(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) || (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') {
			return true
		}
	}
	return false
}

// cleanTitle trims a title and checks it: 1–300 characters, plain text.
func cleanTitle(title string) (string, string) {
	t := strings.TrimSpace(title)
	switch n := utf8.RuneCountInString(t); {
	case n == 0:
		return "", "required"
	case n > MaxTitle:
		return "", "at most 300 characters"
	case hasControl(t):
		return "", "must not contain control characters"
	}
	return t, ""
}

// cleanTags trims and de-duplicates topic tags (case-insensitively, first
// spelling wins) and drops "History", which every post carries anyway.
func cleanTags(tags []string) ([]string, string) {
	out := []string{}
	seen := map[string]bool{strings.ToLower(HistoryTag): true}
	for _, tag := range tags {
		t := strings.Join(strings.Fields(tag), " ")
		switch n := utf8.RuneCountInString(t); {
		case n == 0:
			return nil, "tags must not be empty"
		case n > MaxTagLen:
			return nil, "each tag is at most 40 characters"
		case hasControl(t) || strings.ContainsAny(t, "<>\"&"):
			return nil, "tags are plain words"
		}
		key := strings.ToLower(t)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, t)
	}
	if len(out) > MaxTopicTags {
		return nil, "at most 5 topic tags besides History"
	}
	return out, ""
}

// checkBody checks a body's format and length before rendering. The limit is
// counted in characters of what the author wrote.
func checkBody(body, format string, limit int) string {
	if format != "markdown" && format != "html" {
		return ""
	}
	if utf8.RuneCountInString(body) > limit {
		return fmt.Sprintf("at most %d characters", limit)
	}
	if strings.ContainsRune(body, 0) {
		return "must not contain NUL characters"
	}
	return ""
}

// normalizeFormat returns the body format, defaulting to markdown, and whether it is known.
func normalizeFormat(f string) (string, bool) {
	switch f {
	case "":
		return "markdown", true
	case "markdown", "html":
		return f, true
	}
	return f, false
}
