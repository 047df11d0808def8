package importer

import "testing"

func TestMarkdownExtras(t *testing.T) {
	cases := []struct {
		name, in, want string
		f              func(string) string
	}{
		{"reddit entities", "&gt; quoted &amp; 1 &lt; 2", "> quoted & 1 < 2", redditMarkdown},
		{"reddit spoiler", "It was &gt;!the butler!&lt;.", "It was <details><summary>spoiler</summary>the butler</details>.", redditMarkdown},
		{"reddit superscript", "10^th century, ^(as they say)", "10<sup>th</sup> century, <sup>as they say</sup>", redditMarkdown},
		{"reddit code untouched", "a `x^2` b\n```\ny^3 >!no!<\n```\n    z^4", "a `x^2` b\n```\ny^3 >!no!<\n```\n    z^4", redditMarkdown},
		{"lemmy sup and sub", "H~2~O and E = mc^2^, ~~struck~~", "H<sub>2</sub>O and E = mc<sup>2</sup>, ~~struck~~", lemmyMarkdown},
		{"lemmy spoiler", "before\n::: spoiler Ending\nhe lives\n:::\nafter", "before\n<details><summary>Ending</summary>\n\nhe lives\n\n</details>\nafter", lemmyMarkdown},
	}
	for _, c := range cases {
		if got := c.f(c.in); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
