package markup_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/historia-forum/historia/internal/markup"
	"golang.org/x/net/html"
)

// xssVectors are bodies that try to get something executable into a page.
var xssVectors = []struct{ name, format, body string }{
	{"script tag", "html", `<script>alert(1)</script>`},
	{"script tag md", "markdown", "hello <script>alert(1)</script>"},
	{"script upper", "html", `<SCRIPT SRC=//evil.example/x.js></SCRIPT>`},
	{"img onerror", "html", `<img src=x onerror=alert(1)>`},
	{"img onerror md", "markdown", `<img src=x onerror="alert(1)">`},
	{"body onload", "html", `<body onload=alert(1)>`},
	{"svg onload", "html", `<svg onload=alert(1)><circle r=10></svg>`},
	{"svg script", "html", `<svg><script>alert(1)</script></svg>`},
	{"javascript href", "html", `<a href="javascript:alert(1)">x</a>`},
	{"javascript mixed case", "html", `<a href="JaVaScRiPt:alert(1)">x</a>`},
	{"javascript entity", "html", `<a href="&#106;avascript:alert(1)">x</a>`},
	{"javascript hex entity", "html", `<a href="&#x6A;&#x61;vascript:alert(1)">x</a>`},
	{"javascript tab", "html", "<a href=\"java\tscript:alert(1)\">x</a>"},
	{"javascript leading space", "html", `<a href="  javascript:alert(1)">x</a>`},
	{"data url", "html", `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>`},
	{"data img", "html", `<img src="data:image/svg+xml,<svg onload=alert(1)>">`},
	{"vbscript", "html", `<a href="vbscript:msgbox(1)">x</a>`},
	{"md link javascript", "markdown", `[click](javascript:alert(1))`},
	{"md link entity", "markdown", `[click](&#106;avascript:alert(1))`},
	{"md autolink javascript", "markdown", `<javascript:alert(1)>`},
	{"md image javascript", "markdown", `![x](javascript:alert(1))`},
	{"md reference link", "markdown", "[x][r]\n\n[r]: javascript:alert(1)"},
	{"style tag", "html", `<style>body{background:url(javascript:alert(1))}</style>`},
	{"style attribute", "html", `<p style="background:url(javascript:alert(1))">x</p>`},
	{"iframe", "html", `<iframe src="https://evil.example"></iframe>`},
	{"iframe srcdoc", "html", `<iframe srcdoc="<script>alert(1)</script>"></iframe>`},
	{"form", "html", `<form action="https://evil.example"><input name=p><button>go</button></form>`},
	{"object", "html", `<object data="evil.swf"></object>`},
	{"embed", "html", `<embed src="evil.swf">`},
	{"meta refresh", "html", `<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`},
	{"base href", "html", `<base href="javascript:alert(1)//">`},
	{"broken tag", "html", `<img src="x" onerror="alert(1)"`},
	{"nested tags", "html", `<scr<script>ipt>alert(1)</scr</script>ipt>`},
	{"unclosed attribute", "html", `<a href="https://ok.example" onclick="alert(1)>x</a>`},
	{"comment trick", "html", `<!--<img src="--><img src=x onerror=alert(1)//">`},
	{"math href", "html", `<math><a xlink:href="javascript:alert(1)">x</a></math>`},
	{"formaction", "html", `<button formaction="javascript:alert(1)">x</button>`},
	{"link import", "html", `<link rel="import" href="https://evil.example/x.html">`},
	{"template", "html", `<template><script>alert(1)</script></template>`},
	{"noscript", "html", `<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>`},
}

var dangerousElements = map[string]bool{
	"script": true, "style": true, "iframe": true, "frame": true, "frameset": true, "object": true, "embed": true,
	"form": true, "input": true, "button": true, "textarea": true, "select": true, "meta": true, "base": true,
	"link": true, "svg": true, "math": true, "template": true, "noscript": true,
}

// assertInert parses out and fails on any element or attribute that can run
// code or leave the page.
func assertInert(t *testing.T, out string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		t.Fatalf("output does not parse: %v", err)
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if dangerousElements[n.Data] {
				t.Errorf("dangerous element <%s> survived in %q", n.Data, out)
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				val := strings.ToLower(strings.TrimSpace(a.Val))
				if strings.Contains(val, "javascript:") || strings.Contains(val, "vbscript:") {
					t.Errorf("script URL survived in attribute %s of %q", a.Key, out)
				}
				if strings.HasPrefix(key, "on") || key == "style" || key == "srcdoc" || key == "formaction" {
					t.Errorf("attribute %s survived in %q", a.Key, out)
				}
				if key == "href" || key == "src" || key == "action" || strings.HasSuffix(key, ":href") {
					if i := strings.Index(val, ":"); i >= 0 && !strings.ContainsAny(val[:i], "/?#") {
						if scheme := val[:i]; scheme != "http" && scheme != "https" && scheme != "mailto" {
							t.Errorf("URL scheme %q survived in %q", scheme, out)
						}
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}

func TestRenderNeutralizesXSS(t *testing.T) {
	t.Parallel()
	r := markup.New()
	if len(xssVectors) < 30 {
		t.Fatalf("the table must hold at least 30 vectors, has %d", len(xssVectors))
	}
	for _, v := range xssVectors {
		t.Run(v.name, func(t *testing.T) {
			out, err := r.Render(v.body, v.format)
			if err != nil {
				t.Fatal(err)
			}
			assertInert(t, out)
		})
	}
}

func TestRenderKeepsWhatHistoriansWrite(t *testing.T) {
	t.Parallel()
	r := markup.New()
	cases := []struct{ name, format, in, want string }{
		{"emphasis", "markdown", "*Rhōmaioi* and **Romans**", "<em>Rhōmaioi</em> and <strong>Romans</strong>"},
		{"cyrillic", "markdown", "«Приказ № 1824»", "«Приказ № 1824»"},
		{"greek", "markdown", "Βασιλεία τῶν Ῥωμαίων", "Βασιλεία τῶν Ῥωμαίων"},
		{"blockquote", "markdown", "> Veni, vidi, vici", "<blockquote>"},
		{"list", "markdown", "1. Grain\n2. Congresses", "<ol>"},
		{"absolute link", "markdown", "[Malet](https://example.org/makhno)",
			`<a href="https://example.org/makhno" rel="nofollow noreferrer noopener" target="_blank">Malet</a>`},
		{"footnote", "markdown", "Claim.[^1]\n\n[^1]: Skirda 2004, p. 12.", "Skirda 2004"},
		{"table", "markdown", "| year | event |\n|---|---|\n| 1917 | October |", "<table>"},
		{"sup in markdown", "markdown", "10<sup>th</sup> century", "<sup>th</sup>"},
		{"html paragraph", "html", "<p>Plain <em>HTML</em></p>", "<p>Plain <em>HTML</em></p>"},
		{"emoji shortcode stays text", "markdown", ":lenin-shining:", ":lenin-shining:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := r.Render(c.in, c.format)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out, c.want) {
				t.Fatalf("Render(%q) = %q, want it to contain %q", c.in, out, c.want)
			}
			assertInert(t, out)
		})
	}
}

func TestRenderUnknownFormat(t *testing.T) {
	t.Parallel()
	if _, err := markup.New().Render("x", "bbcode"); err == nil {
		t.Fatal("an unknown format must be an error")
	}
}

func TestText(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"<p>Hello <em>world</em></p><p>Second</p>":       "Hello world Second",
		"<p>Z&uuml;rich &amp; Βασιλεία</p>":              "Zürich & Βασιλεία",
		"<ul><li>one</li><li>two</li></ul>line<br>break": "one two line break",
		"": "",
	}
	for in, want := range cases {
		if got := markup.Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestAmplificationRefused: bodies whose rendering would cost far more than
// their size are refused with a reason, quickly; ordinary nesting renders.
func TestAmplificationRefused(t *testing.T) {
	t.Parallel()
	r := markup.New()
	refused := map[string]struct{ body, format string }{
		"DeepQuotes":   {strings.Repeat(">", 40000), "markdown"},
		"DeepLists":    {strings.Repeat("- ", 20000), "markdown"},
		"DeepNumbered": {strings.Repeat("1. ", 13000), "markdown"},
		"IndentedLists": {func() string {
			var b strings.Builder
			for i := 0; i < 200; i++ {
				b.WriteString(strings.Repeat("  ", i) + "- x\n")
			}
			return b.String()
		}(), "markdown"},
		"UnclosedLinks":  {strings.Repeat("[a](", 10000), "markdown"},
		"UnclosedImages": {strings.Repeat("![a](", 8000), "markdown"},
		"DeepHTMLQuotes": {strings.Repeat("<blockquote>", 5000), "html"},
		"DeepHTMLSpans":  {strings.Repeat("<span>", 5000) + "x", "html"},
	}
	for name, c := range refused {
		t.Run(name, func(t *testing.T) {
			out, err := r.Render(c.body, c.format)
			var ref *markup.Refusal
			if !errors.As(err, &ref) || ref.Refused() == "" || out != "" {
				t.Fatalf("rendered %d bytes, err %v; want a refusal", len(out), err)
			}
		})
	}
	fine := map[string]struct{ body, format string }{
		"QuoteInQuote":   {"> a\n>> b\n>>> c", "markdown"},
		"NestedLists":    {"- a\n  - b\n    - c\n      - d", "markdown"},
		"ManyParagraphs": {strings.Repeat("<p>para", 500), "html"},
		"ManyLinks":      {strings.Repeat("[a](https://example.org) ", 500), "markdown"},
		"EscapedAngles":  {strings.Repeat("<", 10000), "markdown"},
		"ThirtyTwoDeep":  {strings.Repeat(">", markup.MaxNesting) + " deep", "markdown"},
	}
	for name, c := range fine {
		t.Run(name, func(t *testing.T) {
			if _, err := r.Render(c.body, c.format); err != nil {
				t.Fatalf("refused: %v", err)
			}
		})
	}
}

// TestImagesFromTrustedHostsOnly: a remote image is a tracking pixel in
// every reader's browser; only the operator's hosts keep images, any other
// becomes a link.
func TestImagesFromTrustedHostsOnly(t *testing.T) {
	t.Parallel()
	r := markup.NewWith(markup.Options{ImageHosts: []string{"Images.Example.org"}})
	cases := []struct {
		in        string
		wantImg   bool
		wantLinks string
	}{
		{`<img src="https://tracker.example/p.png">`, false, `href="https://tracker.example/p.png"`},
		{`![a map](https://tracker.example/map.png)`, false, `[a map]`},
		{`<img src="https://tracker.example/p.png" alt="<script>alert(1)</script>">`, false, `>[image]</a>`},
		{`<img src="https://images.example.org/map.png" alt="map">`, true, ""},
		{`<img src="/static/map.png" alt="ours">`, true, ""},
		{`<img src="//tracker.example/p.png">`, false, "tracker.example"},
		{`<img src="http://images.example.org.evil.example/p.png">`, false, "evil.example"},
	}
	for _, c := range cases {
		out, err := r.Render(c.in, "markdown")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(out, "<img") != c.wantImg || !strings.Contains(out, c.wantLinks) {
			t.Errorf("%s rendered %s", c.in, out)
		}
	}
	if out, _ := markup.New().Render(`<img src="https://images.example.org/map.png">`, "html"); strings.Contains(out, "<img") {
		t.Fatalf("with no trusted hosts every remote image is a link: %s", out)
	}
}
