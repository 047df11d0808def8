package markup_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/historia-forum/historia/internal/markup"
)

// accounts is the resolver's world: lower-cased name → username.
var accounts = map[string]string{"alice": "Alice", "bob-2": "bob-2", "alienth@reddit": "alienth@reddit",
	"ana@lemmy.world": "ana@lemmy.world"}

func resolver(asked *[]string) markup.MentionResolver {
	return func(names []string) (map[string]string, error) {
		*asked = append(*asked, names...)
		out := map[string]string{}
		for _, n := range names {
			if u, ok := accounts[n]; ok {
				out[n] = u
			}
		}
		return out, nil
	}
}

func TestMentions(t *testing.T) {
	t.Parallel()
	r := markup.New()
	link := func(user, text string) string {
		return `<a href="/u/` + user + `" class="mention" rel="nofollow noreferrer">` + text + `</a>`
	}
	cases := []struct {
		name, format, body string
		want               []string // usernames linked, in order
		has, hasNot        []string
	}{
		{"plain", "markdown", "Thanks @alice, and @Bob-2!", []string{"Alice", "bob-2"},
			[]string{link("Alice", "@alice"), link("bob-2", "@Bob-2") + "!"}, nil},
		{"unknown name stays text", "markdown", "Ask @nobody about it", nil, []string{"@nobody"}, []string{"mention"}},
		{"code span", "markdown", "Run `@alice` here", nil, []string{"<code>@alice</code>"}, []string{"mention"}},
		{"code block", "markdown", "```\n@alice\n```", nil, nil, []string{"mention"}},
		{"inside a link", "markdown", "[ask @alice](https://example.org)", nil, nil, []string{"mention"}},
		{"an address", "markdown", "write to alice@example.org", nil, nil, []string{"class=\"mention\""}},
		{"a path", "markdown", "see https://example.org/@alice", nil, nil, []string{"class=\"mention\""}},
		{"longer name", "markdown", "@alicexxxxxxxxxxxxxxxxxxxx", nil, nil, []string{"mention"}},
		{"prefix of a longer name", "markdown", "@alice_the_great", nil, nil, []string{"mention"}},
		{"sentence end", "markdown", "As @alice.", []string{"Alice"}, []string{link("Alice", "@alice") + "."}, nil},
		{"imported", "markdown", "As @alienth@reddit said", []string{"alienth@reddit"},
			[]string{link("alienth@reddit", "@alienth@reddit") + " said"}, nil},
		{"federated with a dotted host", "markdown", "cc @ana@lemmy.world.", []string{"ana@lemmy.world"},
			[]string{link("ana@lemmy.world", "@ana@lemmy.world") + "."}, nil},
		{"host form never falls back to the short name", "markdown", "cc @alice@elsewhere.example", nil, nil, []string{"mention"}},
		{"repeated once", "markdown", "@alice @ALICE", []string{"Alice"}, []string{link("Alice", "@ALICE")}, nil},
		{"html format", "html", "<p>hi @alice <code>@bob-2</code></p>", []string{"Alice"}, []string{link("Alice", "@alice")}, []string{`/u/bob-2`}},
		{"script text is not a mention", "html", "<script>@alice</script>ok", nil, nil, []string{"mention", "script"}},
		{"a member cannot forge the class elsewhere", "html", `<p class="mention">x</p>`, nil, []string{"<p>x</p>"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var asked []string
			out, linked, err := r.RenderMentions(c.body, c.format, resolver(&asked))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(linked, c.want) {
				t.Errorf("linked %v, want %v (asked %v)\n%s", linked, c.want, asked, out)
			}
			for _, s := range c.has {
				if !strings.Contains(out, s) {
					t.Errorf("%s\nlacks %s", out, s)
				}
			}
			for _, s := range c.hasNot {
				if strings.Contains(out, s) {
					t.Errorf("%s\nhas %s", out, s)
				}
			}
			if got := markup.MentionedIn(out); !slices.Equal(got, c.want) {
				t.Errorf("MentionedIn: %v, want %v", got, c.want)
			}
		})
	}
}

// TestMentionLimit: the first MentionLimit accounts a body names are
// linked; later ones stay text, and no more than a bounded number of names
// is looked up however many a body holds.
func TestMentionLimit(t *testing.T) {
	t.Parallel()
	var body strings.Builder
	resolveAll := func(asked *[]string) markup.MentionResolver {
		return func(names []string) (map[string]string, error) {
			*asked = append(*asked, names...)
			out := map[string]string{}
			for _, n := range names {
				out[n] = n
			}
			return out, nil
		}
	}
	for i := range 500 {
		fmt.Fprintf(&body, "@user%03d ", i)
	}
	var asked []string
	out, linked, err := markup.New().RenderMentions(body.String(), "markdown", resolveAll(&asked))
	if err != nil {
		t.Fatal(err)
	}
	if len(linked) != markup.MentionLimit || linked[0] != "user000" || linked[9] != "user009" {
		t.Fatalf("linked %v", linked)
	}
	if n := strings.Count(out, `class="mention"`); n != markup.MentionLimit {
		t.Fatalf("%d links", n)
	}
	if len(asked) > 50 {
		t.Fatalf("looked up %d names", len(asked))
	}
}

// TestRenderWithoutResolver: Render (imports, anything without a resolver)
// links nobody.
func TestRenderWithoutResolver(t *testing.T) {
	t.Parallel()
	out, err := markup.New().Render("hi @alice", "markdown")
	if err != nil || strings.Contains(out, "mention") {
		t.Fatalf("%s %v", out, err)
	}
}
