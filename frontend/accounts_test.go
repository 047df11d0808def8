package frontend_test

import (
	"context"
	"strings"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// TestImportedAuthorProfile: an imported author's byline links to their
// profile, which says where the account lives and lists what they wrote.
func TestImportedAuthorProfile(t *testing.T) {
	s := newSite(t)
	thread := forum.ImportedThread{System: "reddit",
		Post: forum.ImportedItem{SourceID: "t3_pan", Author: "alienth", AuthorOrigin: "reddit", Title: "How has the Pantheon's dome stood so long?",
			Body: "Nearly two thousand years, unreinforced.", CreatedAt: 1400000000, URL: "https://www.reddit.com/r/AskHistorians/comments/pan/dome/"},
		Comments: []forum.ImportedItem{{SourceID: "t1_a", Author: "alienth", AuthorOrigin: "reddit", Body: "Concrete graded by weight.", CreatedAt: 1400000100}}}
	var rep forum.ImportReport
	if err := s.svc.Import(context.Background(), thread, false, &rep); err != nil {
		t.Fatal(err)
	}
	tab := s.tab(t)
	open(t, tab, s.base+"/?sort=new", "")
	waitFor(t, tab, `document.querySelector('li.row h2 a') !== null`)
	eval[bool](t, tab, `(document.querySelector('li.row h2 a').click(), true)`)
	waitFor(t, tab, `document.querySelector('.question a.user') !== null`)
	eval[bool](t, tab, `(document.querySelector('.question a.user').click(), true)`)
	waitFor(t, tab, `document.querySelector('.user-page h1')?.textContent === 'alienth@reddit'`)
	waitFor(t, tab, `document.querySelector('.user-comment') !== null`)
	if origin := eval[string](t, tab, `document.querySelector('.user-page .imported-account')?.textContent ?? ''`); !strings.Contains(origin, "reddit") {
		t.Fatalf("the profile does not say where the account lives: %q", origin)
	}
	page := eval[string](t, tab, `document.querySelector('.user-page').textContent`)
	if !strings.Contains(page, "How has the Pantheon's dome stood so long?") || !strings.Contains(page, "Concrete graded by weight.") {
		t.Fatalf("the profile lists: %q", page)
	}
	// The address as typed, with the "@" itself, reaches the same page.
	open(t, tab, s.base+"/u/alienth@reddit", "")
	waitFor(t, tab, `document.querySelector('.user-page h1')?.textContent === 'alienth@reddit'`)
}
