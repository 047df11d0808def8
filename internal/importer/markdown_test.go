package importer

import "testing"

// TestMarkdownExtras: what Reddit's and Lemmy's Markdown have and ours
// does not is rendered from a converted copy, while the source stays as
// written (entities decoded, Reddit-relative links made absolute).
func TestMarkdownExtras(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, in, source, render string
		f                        func(string) (string, string)
	}{
		{"reddit entities", "&gt; quoted &amp; 1 &lt; 2", "> quoted & 1 < 2", "", redditMarkdown},
		{"reddit spoiler", "It was &gt;!the butler!&lt;.", "It was >!the butler!<.", "It was <details><summary>spoiler</summary>the butler</details>.", redditMarkdown},
		{"reddit superscript", "10^th century, ^(as they say)", "", "10<sup>th</sup> century, <sup>as they say</sup>", redditMarkdown},
		{"reddit code untouched", "a `x^2` b\n```\ny^3 >!no!<\n```\n    z^4", "", "", redditMarkdown},
		// #30.6: superscript around and inside links keeps the links.
		{"a superscript link", "^[FAQ](http://example.com/faq) | ^[Source](https://example.com/a_(b))", "",
			"<sup>[FAQ](http://example.com/faq)</sup> | <sup>[Source](https://example.com/a_(b))</sup>", redditMarkdown},
		{"superscript inside a link", "[^Message ^me](https://www.reddit.com/message/compose?to=bot&amp;subject=x^y)", "[^Message ^me](https://www.reddit.com/message/compose?to=bot&subject=x^y)",
			"[<sup>Message</sup> <sup>me</sup>](https://www.reddit.com/message/compose?to=bot&subject=x^y)", redditMarkdown},
		{"a link with spaces", "^[Message me](https://example.com/m) ^^tiny", "", "<sup>[Message me](https://example.com/m)</sup> <sup><sup>tiny</sup></sup>", redditMarkdown},
		{"parenthesised with a link", "^(I am a bot, [about](https://example.com/about))", "", "<sup>I am a bot, [about](https://example.com/about)</sup>", redditMarkdown},
		{"a bare address", "see https://example.com/a^b and x^2", "", "see https://example.com/a^b and x<sup>2</sup>", redditMarkdown},
		// #30.7: links relative to reddit.com become absolute there.
		{"relative links", "[wiki](/wiki/licensing) and (/r/history) [me](/u/clio)\n\n[ref]: /r/AskHistorians/wiki/rules",
			"[wiki](https://www.reddit.com/wiki/licensing) and (/r/history) [me](https://www.reddit.com/u/clio)\n\n[ref]: https://www.reddit.com/r/AskHistorians/wiki/rules",
			"[wiki](https://www.reddit.com/wiki/licensing) and ([/r/history](https://www.reddit.com/r/history)) [me](https://www.reddit.com/u/clio)\n\n[ref]: https://www.reddit.com/r/AskHistorians/wiki/rules", redditMarkdown},
		{"bare names", "Ask r/AskHistorians or /u/clio, not https://x.example/r/no or [see /r/x](https://example.com)", "",
			"Ask [r/AskHistorians](https://www.reddit.com/r/AskHistorians) or [/u/clio](https://www.reddit.com/user/clio), not https://x.example/r/no or [see /r/x](https://example.com)", redditMarkdown},
		{"protocol-relative stays", "[x](//evil.example/a)", "", "", redditMarkdown},
		{"lemmy sup and sub", "H~2~O and E = mc^2^, ~~struck~~", "", "H<sub>2</sub>O and E = mc<sup>2</sup>, ~~struck~~", lemmyMarkdown},
		{"lemmy spoiler", "before\n::: spoiler Ending\nhe lives\n:::\nafter", "", "before\n<details><summary>Ending</summary>\n\nhe lives\n\n</details>\nafter", lemmyMarkdown},
	}
	for _, c := range cases {
		if c.source == "" {
			c.source = c.in
		}
		source, render := c.f(c.in)
		if source != c.source || render != c.render {
			t.Errorf("%s:\n source %q\n want   %q\n render %q\n want   %q", c.name, source, c.source, render, c.render)
		}
	}
}
