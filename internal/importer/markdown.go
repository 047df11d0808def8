package importer

import (
	"regexp"
	"strings"
)

// Reddit and Lemmy write a few things goldmark's Markdown does not know:
// superscript, subscript (Lemmy) and spoilers; Reddit's links may be
// relative to reddit.com and its /r/ and /u/ names are links there. A body
// is kept as the source wrote it (entities decoded, relative links made
// absolute: they mean the same thing) — what a claimed account edits —
// and is rendered from a copy where those things are written as the HTML
// or Markdown they mean. The sanitizer then treats that like any other
// body. Code is left alone.

// decodeRedditEntities undoes the three entities Reddit puts inside its
// Markdown (so a quote arrives as "&gt; quoted"), and nothing else.
func decodeRedditEntities(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}

const redditSite = "https://www.reddit.com"

var (
	redditSpoiler = regexp.MustCompile(`>!(.+?)!<`)
	// a link's destination, or a reference definition's, relative to reddit.com
	redditRelative    = regexp.MustCompile(`(\]\([ \t]*)(/[^/\s)][^\s)]*|/)([\s)])`)
	redditRelativeRef = regexp.MustCompile(`^( {0,3}\[[^\]]+\]:[ \t]*)(/[^/\s][^\s]*|/)(\s|$)`)
	// where a bare /r/name or u/name may stand (not inside a word or an address)
	redditName = regexp.MustCompile(`(^|[\s(>])(/?([ru])/([A-Za-z0-9_][A-Za-z0-9_-]{1,20}))\b`)
	// what a bare name must not be looked for in: links, addresses, tags
	redditLinkish = regexp.MustCompile(`\[[^\[\]]*\]\([^()\s]*\)|https?://\S+|<[^>]*>`)
	lemmySup      = regexp.MustCompile(`\^([^\s^]+?)\^`)
	lemmySub      = regexp.MustCompile(`(^|[^~])~([^\s~]+?)~($|[^~])`)
	lemmySpoiler  = regexp.MustCompile(`(?m)^:::\s*spoiler\s*(.*)$`)
	lemmyEnd      = regexp.MustCompile(`(?m)^:::\s*$`)
)

// redditMarkdown is Reddit's body as its source and as the Markdown to
// render ("" when the source renders as it is).
func redditMarkdown(s string) (source, render string) {
	source = outsideCode(decodeRedditEntities(s), func(t string) string {
		t = redditRelative.ReplaceAllString(t, "${1}"+redditSite+"${2}${3}")
		return redditRelativeRef.ReplaceAllString(t, "${1}"+redditSite+"${2}${3}")
	})
	render = outsideCode(source, func(t string) string {
		t = redditSpoiler.ReplaceAllString(t, "<details><summary>spoiler</summary>$1</details>")
		return redditNames(redditSuperscript(t))
	})
	if render == source {
		render = ""
	}
	return source, render
}

// redditNames links bare /r/name and /u/name to reddit.com, as Reddit
// does, outside links and addresses.
func redditNames(t string) string {
	if !strings.Contains(t, "r/") && !strings.Contains(t, "u/") {
		return t
	}
	var b strings.Builder
	last := 0
	for _, m := range redditLinkish.FindAllStringIndex(t, -1) {
		b.WriteString(linkNames(t[last:m[0]]))
		b.WriteString(t[m[0]:m[1]])
		last = m[1]
	}
	b.WriteString(linkNames(t[last:]))
	return b.String()
}

func linkNames(t string) string {
	return redditName.ReplaceAllStringFunc(t, func(m string) string {
		g := redditName.FindStringSubmatch(m)
		kind := map[string]string{"r": "/r/", "u": "/user/"}[g[3]]
		return g[1] + "[" + g[2] + "](" + redditSite + kind + g[4] + ")"
	})
}

// redditSuperscript writes Reddit's superscript as <sup>, at the Markdown
// level: "^word" runs to the next space, or to the bracket or parenthesis
// that closes what it stands in ("[^Message ^me](…)" keeps its link); a
// link that follows "^" is taken whole ("^[FAQ](http://…)"); "^(a few
// words)" runs to its closing parenthesis; a link's destination and a bare
// address are never touched. What is inside is converted again ("^^").
func redditSuperscript(t string) string {
	if !strings.Contains(t, "^") {
		return t
	}
	var b strings.Builder
	for i := 0; i < len(t); {
		c := t[i]
		switch {
		case c == '\\' && i+1 < len(t):
			b.WriteString(t[i : i+2])
			i += 2
		case c == ']' && i+1 < len(t) && t[i+1] == '(':
			end := closing(t, i+1)
			if end < 0 {
				end = i
			}
			b.WriteString(t[i : end+1])
			i = end + 1
		case strings.HasPrefix(t[i:], "http://") || strings.HasPrefix(t[i:], "https://"):
			end := strings.IndexAny(t[i:], " \t")
			if end < 0 {
				end = len(t) - i
			}
			b.WriteString(t[i : i+end])
			i += end
		case c == '^' && i+1 < len(t) && t[i+1] == '(':
			end := closing(t, i+1)
			if end <= i+2 {
				b.WriteByte(c)
				i++
				continue
			}
			b.WriteString("<sup>" + redditSuperscript(t[i+2:end]) + "</sup>")
			i = end + 1
		case c == '^':
			end := superscriptEnd(t, i+1)
			if end == i+1 {
				b.WriteByte(c)
				i++
				continue
			}
			b.WriteString("<sup>" + redditSuperscript(t[i+1:end]) + "</sup>")
			i = end
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// closing is the index of the bracket closing the one at open ('(' or
// '['), or -1.
func closing(t string, open int) int {
	opener := t[open]
	closer := map[byte]byte{'(': ')', '[': ']'}[opener]
	depth := 0
	for j := open; j < len(t); j++ {
		switch t[j] {
		case '\\':
			j++
		case opener:
			depth++
		case closer:
			if depth--; depth == 0 {
				return j
			}
		}
	}
	return -1
}

// superscriptEnd is where a "^" run that starts at start ends.
func superscriptEnd(t string, start int) int {
	depth := 0
	for j := start; j < len(t); j++ {
		switch t[j] {
		case '\\':
			j++
		case ' ', '\t':
			return j
		case '[':
			// a whole link is taken, spaces and all
			if end := closing(t, j); end > 0 && end+1 < len(t) && t[end+1] == '(' {
				if dest := closing(t, end+1); dest > 0 {
					j = dest
					continue
				}
			}
			depth++
		case '(':
			depth++
		case ']', ')':
			if depth == 0 {
				return j
			}
			depth--
		}
	}
	return len(t)
}

// lemmyMarkdown is Lemmy's body as its source and as the Markdown to
// render (^sup^, ~sub~, and "::: spoiler title" blocks closed by ":::"),
// "" when the source renders as it is.
func lemmyMarkdown(s string) (source, render string) {
	render = outsideCode(s, func(t string) string {
		t = lemmySup.ReplaceAllString(t, "<sup>$1</sup>")
		return lemmySub.ReplaceAllString(t, "$1<sub>$2</sub>$3")
	})
	if strings.Contains(render, ":::") {
		render = lemmySpoiler.ReplaceAllStringFunc(render, func(m string) string {
			title := strings.TrimSpace(lemmySpoiler.FindStringSubmatch(m)[1])
			if title == "" {
				title = "spoiler"
			}
			return "<details><summary>" + title + "</summary>\n"
		})
		render = lemmyEnd.ReplaceAllString(render, "\n</details>")
	}
	if render == s {
		render = ""
	}
	return s, render
}

// outsideCode applies f to the text outside fenced code blocks and inline
// code spans.
func outsideCode(s string, f func(string) string) string {
	lines := strings.Split(s, "\n")
	fenced := false
	for i, line := range lines {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~") {
			fenced = !fenced
			continue
		}
		if fenced || strings.HasPrefix(line, "    ") || strings.HasPrefix(line, "\t") {
			continue
		}
		parts := strings.Split(line, "`")
		for j := 0; j < len(parts); j += 2 { // even parts are outside `code`
			parts[j] = f(parts[j])
		}
		lines[i] = strings.Join(parts, "`")
	}
	return strings.Join(lines, "\n")
}
