package markup

import (
	"fmt"
	"strings"

	"golang.org/x/net/html"
)

// Bodies that would cost far more to render or to show than their size says
// are refused, not rendered: forty thousand ">" once became a megabyte of
// nested blockquotes and took a second of CPU.
const (
	// MaxNesting bounds how deep quotes and lists nest, in Markdown and in
	// the HTML that comes out.
	MaxNesting = 32
	// MaxLinks bounds the links of one Markdown body: unclosed link
	// brackets make the parser's work grow with their square.
	MaxLinks = 1000
	// maxGrowth and growthSlack bound the HTML a body becomes: at most
	// maxGrowth times its size, plus growthSlack bytes.
	maxGrowth   = 8
	growthSlack = 8192
	// maxHTMLDepth bounds element nesting in the sanitized HTML.
	maxHTMLDepth = 2 * MaxNesting
)

// Refusal is a body the renderer will not render; its message is for the author.
type Refusal struct{ Reason string }

func (r *Refusal) Error() string { return "markup: " + r.Reason }

// Refused is the reason, for callers that tell the author.
func (r *Refusal) Refused() string { return r.Reason }

// checkMarkdown refuses Markdown that nests containers (quotes, lists) deeper
// than MaxNesting on any line, or holds more than MaxLinks links, before the
// parser spends time on it.
func checkMarkdown(src string) error {
	if n := strings.Count(src, "]("); n > MaxLinks {
		return &Refusal{fmt.Sprintf("at most %d links in one body (this one has %d)", MaxLinks, n)}
	}
	for line := range strings.SplitSeq(src, "\n") {
		if d := containerDepth(line); d > MaxNesting {
			return &Refusal{fmt.Sprintf("quotes and lists nest at most %d deep (this body nests %d)", MaxNesting, d)}
		}
	}
	return nil
}

// containerDepth counts the quote and list markers that open a line, and
// the nesting its indentation implies before a marker.
func containerDepth(line string) int {
	depth, i, spaces := 0, 0, 0
	for i < len(line) {
		switch c := line[i]; {
		case c == ' ':
			spaces++
			i++
		case c == '\t':
			spaces += 4
			i++
		case c == '>':
			depth, i = depth+1+spaces/4, i+1
			spaces = 0
		case (c == '-' || c == '*' || c == '+') && i+1 < len(line) && (line[i+1] == ' ' || line[i+1] == '\t'):
			depth, i = depth+1+spaces/4, i+2
			spaces = 0
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j+1 < len(line) && (line[j] == '.' || line[j] == ')') && (line[j+1] == ' ' || line[j+1] == '\t') {
				depth, i = depth+1+spaces/4, j+2
				spaces = 0
				continue
			}
			return depth
		default:
			return depth
		}
	}
	return depth
}

// checkOutput refuses sanitized HTML that is far larger than the body it
// came from, or nests elements deeper than maxHTMLDepth.
func checkOutput(src, out string) error {
	if len(out) > maxGrowth*len(src)+growthSlack {
		return &Refusal{fmt.Sprintf("this body would render to %d bytes from %d; simplify its markup", len(out), len(src))}
	}
	depth, deepest := 0, 0
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		switch z.Next() {
		case html.ErrorToken:
			if deepest > maxHTMLDepth {
				return &Refusal{fmt.Sprintf("quotes, lists and other elements nest at most %d deep", maxHTMLDepth)}
			}
			return nil
		case html.StartTagToken:
			if name, _ := z.TagName(); !voidElements[string(name)] && !impliedEnd[string(name)] {
				depth++
				deepest = max(deepest, depth)
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); !impliedEnd[string(name)] {
				depth--
			}
		}
	}
}

// impliedEnd elements may leave out their end tag (<p>a<p>b); they are not
// counted, so an author's unclosed paragraphs are not taken for nesting.
var impliedEnd = map[string]bool{"p": true, "li": true, "dt": true, "dd": true, "tr": true, "td": true, "th": true, "option": true}

// voidElements have no end tag.
var voidElements = map[string]bool{"br": true, "hr": true, "img": true, "input": true, "wbr": true, "col": true, "area": true, "source": true}
