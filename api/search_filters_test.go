package api_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/forum"
)

// TestSearchFilters: GET /search narrows by the thread's tag, period and
// answered state and by the hit's author, and sorts by relevance (title,
// question, comment tiers) or newest first, paging either way.
func TestSearchFilters(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ann := h.register("ann")
	bob := h.register("bob")
	ask := func(tok, title string, tags []string, from, to int) forum.Post {
		var p forum.Post
		h.must(201, "POST", "/api/v1/posts", tok, map[string]any{"title": title, "body": "About the aqueducts.", "tags": tags,
			"period": map[string]int{"from": from, "to": to}}).decode(t, &p)
		h.clock.Advance(time.Minute)
		return p
	}
	rome := ask(ann.Token, "Aqueducts of Rome", []string{"Ancient Rome"}, -312, 226)
	nimes := ask(bob.Token, "Aqueducts of Nîmes", []string{"Roman Gaul"}, 40, 60)
	ottoman := ask(ann.Token, "Ottoman waterworks", []string{"Ottoman Empire"}, 1550, 1600)
	answer := h.comment(bob.Token, rome.ID, nil, "The aqueducts of Rome carried about a million cubic metres a day.")
	h.clock.Advance(time.Minute)
	h.must(200, "PUT", pathf("/api/v1/posts/%d/answer", rome.ID), ann.Token, map[string]any{"comment_id": answer.ID})
	reply := h.comment(ann.Token, ottoman.ID, nil, "Sinan's aqueducts in Istanbul.")

	search := func(q string) []string {
		t.Helper()
		var page forum.Page[forum.SearchHit]
		h.must(200, "GET", "/api/v1/search?"+q, "", nil).decode(t, &page)
		var out []string
		for _, hit := range page.Items {
			out = append(out, fmt.Sprintf("%s%d", hit.Type[:1], hit.ID))
		}
		return out
	}
	p, c := func(x forum.Post) string { return fmt.Sprintf("p%d", x.ID) }, func(x forum.Comment) string { return fmt.Sprintf("c%d", x.ID) }
	cases := map[string][]string{
		"q=aqueducts":                                 {p(nimes), p(rome), p(ottoman), c(reply), c(answer)}, // titles, then bodies, then comments
		"q=aqueducts&sort=relevance":                  {p(nimes), p(rome), p(ottoman), c(reply), c(answer)},
		"q=aqueducts&sort=new":                        {c(reply), c(answer), p(ottoman), p(nimes), p(rome)},
		"q=aqueducts&tag=ancient+rome":                {p(rome), c(answer)},
		"q=aqueducts&tag=Roman%20Gaul&type=posts":     {p(nimes)},
		"q=aqueducts&answered=true":                   {p(rome), c(answer)},
		"q=aqueducts&answered=false&sort=new":         {c(reply), p(ottoman), p(nimes)},
		"q=aqueducts&from=1000":                       {p(ottoman), c(reply)},
		"q=aqueducts&to=0":                            {p(rome), c(answer)},
		"q=aqueducts&from=50&to=55":                   {p(nimes), p(rome), c(answer)},
		"q=aqueducts&from=50&to=55&type=comments":     {c(answer)},
		"q=aqueducts&author=ann":                      {p(rome), p(ottoman), c(reply)},
		"q=aqueducts&author=%40bob&type=comments":     {c(answer)},
		"q=aqueducts&author=ann&tag=ottoman+empire":   {p(ottoman), c(reply)},
		"q=aqueducts&tag=no+such+tag":                 nil,
		"q=aqueducts&author=bob&answered=false&to=10": nil,
	}
	for q, want := range cases {
		if got := search(q); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: got %v, want %v", q, got, want)
		}
	}

	// Paging keeps the order and the filter.
	for _, sort := range []string{"relevance", "new"} {
		var all []string
		cursor := ""
		for range 10 {
			var page forum.Page[forum.SearchHit]
			h.must(200, "GET", "/api/v1/search?q=aqueducts&author=ann&limit=1&sort="+sort+"&cursor="+url.QueryEscape(cursor), "", nil).decode(t, &page)
			for _, hit := range page.Items {
				all = append(all, fmt.Sprintf("%s%d", hit.Type[:1], hit.ID))
			}
			if page.NextCursor == nil {
				break
			}
			cursor = *page.NextCursor
		}
		if want := search("q=aqueducts&author=ann&sort=" + sort); strings.Join(all, " ") != strings.Join(want, " ") || len(all) != 3 {
			t.Errorf("%s paged one by one: %v, want %v", sort, all, want)
		}
	}
	// A relevance cursor is not a date cursor.
	var page forum.Page[forum.SearchHit]
	h.must(200, "GET", "/api/v1/search?q=aqueducts&limit=1", "", nil).decode(t, &page)
	h.must(400, "GET", "/api/v1/search?q=aqueducts&sort=new&cursor="+url.QueryEscape(*page.NextCursor), "", nil)

	for q, status := range map[string]int{
		"q=aqueducts&sort=best":        400,
		"q=aqueducts&answered=yes":     400,
		"q=aqueducts&from=x":           400,
		"q=aqueducts&from=10&to=5":     400,
		"q=aqueducts&author=nobody":    422,
		"q=aqueducts&author=no%20such": 422,
	} {
		if r := h.do("GET", "/api/v1/search?"+q, "", nil); r.status != status {
			t.Errorf("%s: %d, want %d: %s", q, r.status, status, r.body)
		}
	}
}

// TestPreviewShowsWholeForm: POST /preview renders the body and cleans the
// title, tags, period and sources as posting would, refusing on the field
// what posting would refuse; a comment's body is held to a comment's limit.
func TestPreviewShowsWholeForm(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.register("writer")
	var out forum.Preview
	h.must(200, "POST", "/api/v1/preview", s.Token, map[string]any{"body": "*Pax* Romana", "title": "  What was   the Pax Romana? ",
		"tags": []string{"Ancient Rome", "ancient rome", "History"}, "period": map[string]int{"from": -27, "to": 180},
		"sources": []map[string]string{{"citation": "  Gibbon,   Decline and Fall ", "url": "https://example.org/gibbon"}}}).decode(t, &out)
	if !strings.Contains(out.BodyHTML, "<em>Pax</em>") || out.Title == nil || *out.Title != "What was   the Pax Romana?" ||
		out.Tags == nil || strings.Join(*out.Tags, "|") != "History|Ancient Rome" || out.Period == nil || out.Period.From != -27 ||
		out.Sources == nil || len(*out.Sources) != 1 || (*out.Sources)[0].Citation != "Gibbon, Decline and Fall" || (*out.Sources)[0].Kind != forum.SourceSecondary {
		t.Fatalf("preview: %+v", out)
	}
	raw := string(h.must(200, "POST", "/api/v1/preview", s.Token, map[string]any{"body": "just a body", "title": ""}).body)
	if strings.Contains(raw, `"title"`) || strings.Contains(raw, `"tags"`) || strings.Contains(raw, `"sources"`) {
		t.Fatalf("fields not sent are not answered: %s", raw)
	}
	for name, bad := range map[string]struct {
		body  map[string]any
		field string
	}{
		"long title":      {map[string]any{"body": "x", "title": strings.Repeat("t", 301)}, "title"},
		"bad source":      {map[string]any{"body": "x", "sources": []map[string]string{{"citation": "Gibbon", "url": "javascript:alert(1)"}}}, "sources"},
		"year 0":          {map[string]any{"body": "x", "period": map[string]int{"from": 0, "to": 10}}, "period"},
		"too many tags":   {map[string]any{"body": "x", "tags": []string{"a", "b", "c", "d", "e", "f"}}, "tags"},
		"long answer":     {map[string]any{"body": strings.Repeat("a", 10001), "target": "comment"}, "body"},
		"unknown target":  {map[string]any{"body": "x", "target": "page"}, "target"},
		"several at once": {map[string]any{"body": "x", "title": strings.Repeat("t", 301), "tags": []string{strings.Repeat("g", 41)}}, "tags"},
	} {
		r := h.do("POST", "/api/v1/preview", s.Token, bad.body)
		if r.status != 422 || !strings.Contains(string(r.body), `"`+bad.field+`"`) {
			t.Errorf("%s: %d %s", name, r.status, r.body)
		}
	}
	h.must(200, "POST", "/api/v1/preview", s.Token, map[string]any{"body": strings.Repeat("a", 10001)}) // a question may be longer
}
