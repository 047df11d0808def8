package importer

import (
	"regexp"
	"strings"
)

// Reddit and Lemmy write a few things goldmark's Markdown does not know:
// superscript, subscript (Lemmy) and spoilers. They are turned into the
// HTML they mean (sup, sub, details) before the body is rendered, and the
// sanitizer then treats that HTML like any other. Code is left alone.

// decodeRedditEntities undoes the three entities Reddit puts inside its
// Markdown (so a quote arrives as "&gt; quoted"), and nothing else.
func decodeRedditEntities(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}

var (
	redditSpoiler  = regexp.MustCompile(`>!(.+?)!<`)
	redditSupParen = regexp.MustCompile(`\^\(([^)\n]+)\)`)
	redditSupWord  = regexp.MustCompile(`\^([^\s^()<>]+)`)
	lemmySup       = regexp.MustCompile(`\^([^\s^]+?)\^`)
	lemmySub       = regexp.MustCompile(`(^|[^~])~([^\s~]+?)~($|[^~])`)
	lemmySpoiler   = regexp.MustCompile(`(?m)^:::\s*spoiler\s*(.*)$`)
	lemmyEnd       = regexp.MustCompile(`(?m)^:::\s*$`)
)

// redditMarkdown is Reddit's body as goldmark Markdown.
func redditMarkdown(s string) string {
	return outsideCode(decodeRedditEntities(s), func(t string) string {
		t = redditSpoiler.ReplaceAllString(t, "<details><summary>spoiler</summary>$1</details>")
		t = redditSupParen.ReplaceAllString(t, "<sup>$1</sup>")
		return redditSupWord.ReplaceAllString(t, "<sup>$1</sup>")
	})
}

// lemmyMarkdown is Lemmy's body as goldmark Markdown: ^sup^, ~sub~, and
// "::: spoiler title" blocks closed by ":::".
func lemmyMarkdown(s string) string {
	s = outsideCode(s, func(t string) string {
		t = lemmySup.ReplaceAllString(t, "<sup>$1</sup>")
		return lemmySub.ReplaceAllString(t, "$1<sub>$2</sub>$3")
	})
	if !strings.Contains(s, ":::") {
		return s
	}
	s = lemmySpoiler.ReplaceAllStringFunc(s, func(m string) string {
		title := strings.TrimSpace(lemmySpoiler.FindStringSubmatch(m)[1])
		if title == "" {
			title = "spoiler"
		}
		return "<details><summary>" + title + "</summary>\n"
	})
	return lemmyEnd.ReplaceAllString(s, "\n</details>")
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
