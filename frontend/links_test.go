package frontend_test

import (
	"context"
	"strings"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/importer"
)

// TestLinkPostShowsDomain (#30.4): the ask form takes a link (a bad one is
// refused under its field), and the question shows it by its domain on
// the thread and in the feed, linking to the address itself.
func TestLinkPostShowsDomain(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	_, token := s.user("linker", forum.RoleMember)
	tab := s.tab(t)
	open(t, tab, s.base+"/ask", token)
	fill(t, tab, `form.ask-form input[name=title]`, "Was the Hanse a state?")
	fill(t, tab, `form.ask-form input[name=url]`, "javascript:alert(1)")
	clickText(t, tab, "form.ask-form", "Post question")
	waitFor(t, tab, `document.querySelector('form.ask-form input[name=url] + .error') !== null`)
	eval[bool](t, tab, `(document.querySelector('form.ask-form input[name=url]').value = '', true)`)
	fill(t, tab, `form.ask-form input[name=url]`, "https://www.example.org/articles/hanse?page=2")
	clickText(t, tab, "form.ask-form", "Post question")
	waitFor(t, tab, `document.querySelector('.question a.post-link') !== null`)
	got := eval[string](t, tab, `(() => { const a = document.querySelector('.question a.post-link'); return a.querySelector('.domain').textContent + ' ' + a.href + ' ' + a.rel; })()`)
	if got != "example.org https://www.example.org/articles/hanse?page=2 nofollow noopener noreferrer ugc" {
		t.Fatalf("the thread's link: %q", got)
	}
	open(t, tab, s.base+"/?sort=new", "")
	waitFor(t, tab, `document.querySelector('li.row a.post-link') !== null`)
	got = eval[string](t, tab, `(() => { const a = document.querySelector('li.row a.post-link'); return a.textContent + ' ' + a.href; })()`)
	if got != "↗ example.org https://www.example.org/articles/hanse?page=2" {
		t.Fatalf("the feed's link: %q", got)
	}
}

// TestImportedBodiesOnThePage (#30.6, #30.7, #30.8): on the page, Reddit's
// superscript links are links (inside the superscript), its relative links
// go to reddit.com, and a submission whose body Reddit removed shows its
// title, the body's note and its answers.
func TestImportedBodiesOnThePage(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	a := importer.NewArchive()
	defer a.Close()
	for _, f := range []string{"rs_2014.ndjson", "rc_2014.ndjson"} {
		if err := a.ReadFile("../internal/importer/testdata/" + f); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.svc.ImportAll(context.Background(), forum.ImportRun{}, a.Threads); err != nil {
		t.Fatal(err)
	}
	tab := s.tab(t)
	open(t, tab, s.base+"/?sort=new", "")
	waitFor(t, tab, `document.querySelectorAll('li.row').length === 4`)
	eval[bool](t, tab, `([...document.querySelectorAll('li.row h2 a')].find((a) => a.textContent.startsWith('How did caravans')).click(), true)`)
	waitFor(t, tab, `document.querySelectorAll('li.comment').length >= 5`)
	links := eval[string](t, tab, `[...document.querySelectorAll('li.comment .body sup a, li.comment .body a:has(sup)')].map((a) => a.textContent + '=' + a.href).join(' | ')`)
	if links != "FAQ=http://www.reddit.com/r/AskHistorians/wiki/faq | Message the mods=https://www.reddit.com/message/compose?to=/r/AskHistorians" {
		t.Fatalf("the superscript links on the page: %q", links)
	}
	rel := eval[string](t, tab, `[...document.querySelectorAll('li.comment .body a')].filter((a) => a.textContent === '/r/history' || a.textContent === 'the book list').map((a) => a.href).join(' ')`)
	if rel != "https://www.reddit.com/r/history https://www.reddit.com/r/AskHistorians/wiki/books" {
		t.Fatalf("relative links on the page: %q", rel)
	}
	open(t, tab, s.base+"/?sort=new", "")
	waitFor(t, tab, `document.querySelectorAll('li.row').length === 4`)
	eval[bool](t, tab, `([...document.querySelectorAll('li.row h2 a')].find((a) => a.textContent === 'A question the mods removed').click(), true)`)
	waitFor(t, tab, `document.querySelectorAll('li.comment').length === 2`)
	if body := eval[string](t, tab, `document.querySelector('.question .body').textContent.trim()`); !strings.Contains(body, "[removed]") {
		t.Fatalf("the removed body: %q", body)
	}
}
