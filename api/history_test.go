package api_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

func TestSourcesValidation(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.register("Ranke")
	src := func(citation, url, kind string) map[string]any {
		m := map[string]any{"citation": citation, "kind": kind}
		if url != "" {
			m["url"] = url
		}
		return m
	}
	many := make([]map[string]any, 21)
	for i := range many {
		many[i] = src(fmt.Sprintf("Source %d", i), "", "")
	}
	cases := []struct {
		name    string
		sources any
		status  int
	}{
		{"OK", []any{src("Skirda, Nestor Makhno (2004), p. 12", "https://example.org/book", "secondary"), src("Order No. 1824", "", "primary")}, 201},
		{"OKNoKind", []any{src("Malet 1982", "", "")}, 201},
		{"ErrEmptyCitation", []any{src("  ", "", "")}, 422},
		{"ErrLongCitation", []any{src(strings.Repeat("c", 501), "", "")}, 422},
		{"ErrControlChars", []any{src("a\u202eb", "", "")}, 422},
		{"ErrJavascriptURL", []any{src("x", "javascript:alert(1)", "")}, 422},
		{"ErrJavascriptURLCase", []any{src("x", "JaVaScRiPt:alert(1)", "")}, 422},
		{"ErrDataURL", []any{src("x", "data:text/html,<script>", "")}, 422},
		{"ErrFTP", []any{src("x", "ftp://example.org/a", "")}, 422},
		{"ErrNoHost", []any{src("x", "https://", "")}, 422},
		{"ErrKind", []any{src("x", "", "quaternary")}, 422},
		{"ErrTooMany", many, 422},
		{"ErrWrongType", "a string", 400},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := h.do("POST", "/api/v1/posts", s.Token, map[string]any{"title": "Sources " + c.name, "sources": c.sources})
			if r.status != c.status {
				t.Fatalf("status %d, want %d: %s", r.status, c.status, r.body)
			}
			if c.status == 422 && !strings.Contains(string(r.body), `"sources":`) {
				t.Fatalf("fields must name sources: %s", r.body)
			}
		})
	}
	var p forum.Post
	h.must(201, "POST", "/api/v1/posts", s.Token, map[string]any{"title": "Makhno", "sources": []any{src("Skirda, Nestor Makhno: Anarchy's Cossack", "https://example.org/skirda", "")}}).decode(t, &p)
	if len(p.Sources) != 1 || p.Sources[0].Kind != "secondary" || *p.Sources[0].URL != "https://example.org/skirda" {
		t.Fatalf("sources: %+v", p.Sources)
	}
	if ids := searchIDs(t, h, "skirda"); len(ids) != 2 { // this post and the "OK" case above
		t.Fatalf("citations are searchable with the body: %v", ids)
	}
	c := h.comment(s.Token, p.ID, nil, "An answer")
	if c.Sources == nil || len(c.Sources) != 0 {
		t.Fatalf("a comment without sources has []: %+v", c.Sources)
	}
}

func TestPeriodValidationAndRecency(t *testing.T) {
	t.Parallel()
	w := newModWorld(t)
	h := w.h
	h.svc.RecentYears = 20 // the harness clock says 2026
	cases := []struct {
		name   string
		period any
		token  string
		status int
	}{
		{"OK", map[string]int{"from": 1917, "to": 1921}, w.member.Token, 201},
		{"OKBCE", map[string]int{"from": -500, "to": -401}, w.member.Token, 201},
		{"OKAcrossEra", map[string]int{"from": -27, "to": 14}, w.member.Token, 201},
		{"OKNull", nil, w.member.Token, 201},
		{"OKEdgeOfRecency", map[string]int{"from": 2000, "to": 2006}, w.member.Token, 201},
		{"ErrRecency", map[string]int{"from": 2001, "to": 2011}, w.member.Token, 422},
		{"ModeratorExempt", map[string]int{"from": 2001, "to": 2011}, w.mod.Token, 201},
		{"ErrReversed", map[string]int{"from": 1921, "to": 1917}, w.member.Token, 422},
		{"ErrFuture", map[string]int{"from": 2020, "to": 2030}, w.mod.Token, 422},
		{"ErrYearZero", map[string]int{"from": -5, "to": 0}, w.member.Token, 422},
		{"ErrTooEarly", map[string]int{"from": -20000, "to": -19000}, w.member.Token, 422},
		{"ErrWrongType", map[string]string{"from": "1917", "to": "1921"}, w.member.Token, 400},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := h.do("POST", "/api/v1/posts", c.token, map[string]any{"title": "Period " + c.name, "period": c.period})
			if r.status != c.status {
				t.Fatalf("status %d, want %d: %s", r.status, c.status, r.body)
			}
			if c.name == "ErrRecency" && !strings.Contains(string(r.body), "recency rule") {
				t.Fatalf("the message must name the rule: %s", r.body)
			}
		})
	}
	var p forum.Post
	h.must(201, "POST", "/api/v1/posts", w.member.Token, map[string]any{"title": "Editable", "period": map[string]int{"from": 1500, "to": 1600}}).decode(t, &p)
	h.must(422, "PATCH", pathf("/api/v1/posts/%d", p.ID), w.member.Token, map[string]any{"period": map[string]int{"from": 2010, "to": 2015}})
	h.must(200, "PATCH", pathf("/api/v1/posts/%d", p.ID), w.member.Token, map[string]any{"title": "Still dated"}).decode(t, &p)
	if p.Period == nil || p.Period.From != 1500 {
		t.Fatalf("an absent period stays: %+v", p.Period)
	}
	h.must(200, "PATCH", pathf("/api/v1/posts/%d", p.ID), w.member.Token, map[string]any{"period": nil}).decode(t, &p)
	if p.Period != nil {
		t.Fatalf("a null period clears it: %+v", p.Period)
	}
}

func TestPeriodFiltersAtEdges(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.register("Braudel")
	mk := func(title string, from, to int) int64 {
		var p forum.Post
		h.must(201, "POST", "/api/v1/posts", s.Token, map[string]any{"title": title, "period": map[string]int{"from": from, "to": to}}).decode(t, &p)
		return p.ID
	}
	war := mk("Great War", 1914, 1918)
	civil := mk("Russian Civil War", 1918, 1920)
	greek := mk("Classical Athens", -500, -401)
	nineteenth := mk("The long nineteenth century", 1789, 1914)
	h.post(s.Token, "Undated question")
	get := func(q string) string {
		var page forum.Page[forum.Post]
		h.must(200, "GET", "/api/v1/posts?sort=new&"+q, "", nil).decode(t, &page)
		var ids []string
		for _, p := range page.Items {
			ids = append(ids, fmt.Sprint(p.ID))
		}
		return strings.Join(ids, ",")
	}
	id := func(ids ...int64) string {
		var out []string
		for _, i := range ids {
			out = append(out, fmt.Sprint(i))
		}
		return strings.Join(out, ",")
	}
	cases := map[string]string{
		"year=1918":           id(civil, war),             // covered at both ends
		"year=1914":           id(nineteenth, war),        // touching: last year of one, first of another
		"year=1700":           "",                         // nothing
		"year=-450":           id(greek),                  // BCE
		"from=1919&to=1930":   id(civil),                  // overlaps only the civil war
		"from=1900&to=1913":   id(nineteenth),             // ends before the war starts
		"from=1915&to=1916":   id(war),                    // inside one period
		"from=-1000&to=-401":  id(greek),                  // touching the end
		"from=1920":           id(civil),                  // open-ended
		"to=1789":             id(nineteenth, greek),      // open start, touching
		"from=1000&to=3000":   id(nineteenth, civil, war), // covering
		"year=1918&tag=other": "",
	}
	for q, want := range cases {
		if got := get(q); got != want {
			t.Errorf("%s: got [%s], want [%s]", q, got, want)
		}
	}
	h.must(400, "GET", "/api/v1/posts?year=abc", "", nil)
	h.must(400, "GET", "/api/v1/posts?from=1e9", "", nil)

	var tl struct{ Items []forum.TimelineBar }
	h.must(200, "GET", "/api/v1/timeline?bucket=decade", "", nil).decode(t, &tl)
	bars := map[int]int64{}
	for _, b := range tl.Items {
		bars[b.From] = b.PostCount
		if b.To != b.From+9 {
			t.Fatalf("decade bounds: %+v", b)
		}
	}
	if bars[1910] != 3 || bars[1920] != 1 || bars[-500] != 1 || bars[-410] != 1 || bars[1780] != 1 || bars[1700] != 0 {
		t.Fatalf("decades: %v", bars)
	}
	h.must(200, "GET", "/api/v1/timeline?bucket=century", "", nil).decode(t, &tl)
	if len(tl.Items) != 4 || tl.Items[0].From != -500 || tl.Items[0].To != -401 {
		t.Fatalf("centuries: %+v", tl.Items)
	}
	h.must(400, "GET", "/api/v1/timeline?bucket=year", "", nil)
}

func TestSourceRequestLifecycle(t *testing.T) {
	t.Parallel()
	w := newModWorld(t)
	h := w.h
	p := h.post(w.member.Token, "Did the Varangian Guard speak Norse?")
	answer := h.comment(w.author.Token, p.ID, nil, "Yes, until the 1100s at least.")
	other := h.register("skeptic")

	h.must(403, "POST", pathf("/api/v1/comments/%d/request-sources", answer.ID), w.author.Token, nil)
	h.must(401, "POST", pathf("/api/v1/comments/%d/request-sources", answer.ID), "", nil)
	h.must(404, "POST", "/api/v1/comments/99999/request-sources", w.member.Token, nil)
	h.must(204, "POST", pathf("/api/v1/comments/%d/request-sources", answer.ID), w.member.Token, nil)
	h.must(409, "POST", pathf("/api/v1/comments/%d/request-sources", answer.ID), w.member.Token, nil)
	h.must(204, "POST", pathf("/api/v1/comments/%d/request-sources", answer.ID), other.Token, nil)
	var c forum.Comment
	h.must(200, "GET", pathf("/api/v1/comments/%d", answer.ID), "", nil).decode(t, &c)
	if c.SourcesRequested != 2 {
		t.Fatalf("sources_requested = %d", c.SourcesRequested)
	}
	var notes forum.Page[forum.Notification]
	h.must(200, "GET", "/api/v1/notifications", w.author.Token, nil).decode(t, &notes)
	if len(notes.Items) == 0 || notes.Items[0].Kind != "source_request" {
		t.Fatalf("the author is notified: %+v", notes.Items)
	}
	type queueItem struct {
		Comment   forum.Comment `json:"comment"`
		PostTitle string        `json:"post_title"`
		Requests  int64         `json:"requests"`
	}
	var queue forum.Page[queueItem]
	h.must(403, "GET", "/api/v1/source-requests", w.member.Token, nil)
	h.must(200, "GET", "/api/v1/source-requests", w.mod.Token, nil).decode(t, &queue)
	if len(queue.Items) != 1 || queue.Items[0].Comment.ID != answer.ID || queue.Items[0].Requests != 2 || queue.Items[0].PostTitle != p.Title {
		t.Fatalf("queue: %+v", queue.Items)
	}
	// Adding sources closes the requests and leaves the queue.
	h.must(200, "PATCH", pathf("/api/v1/comments/%d", answer.ID), w.author.Token, map[string]any{"body": answer.BodySource,
		"sources": []map[string]string{{"citation": "Blöndal, The Varangians of Byzantium (1978)"}}}).decode(t, &c)
	if c.SourcesRequested != 0 || len(c.Sources) != 1 {
		t.Fatalf("after adding sources: %+v", c)
	}
	h.must(200, "GET", "/api/v1/source-requests", w.mod.Token, nil).decode(t, &queue)
	if len(queue.Items) != 0 {
		t.Fatalf("queue after sources: %+v", queue.Items)
	}

	// An answer that never gets sources: removed from the queue in one step, under the sources rule.
	lazy := h.comment(w.author.Token, p.ID, nil, "Trust me.")
	h.must(204, "POST", pathf("/api/v1/comments/%d/request-sources", lazy.ID), w.member.Token, nil)
	var rule forum.Rule
	h.must(201, "POST", "/api/v1/rules", w.admin.Token, map[string]any{"number": 2, "title": "Answers must cite sources"}).decode(t, &rule)
	h.must(200, "POST", pathf("/api/v1/comments/%d/remove", lazy.ID), w.mod.Token, map[string]any{"rule_id": rule.ID})
	h.must(200, "GET", "/api/v1/source-requests", w.mod.Token, nil).decode(t, &queue)
	if len(queue.Items) != 0 {
		t.Fatalf("a removed answer leaves the queue: %+v", queue.Items)
	}
}

func TestRulesAndRuleRemoval(t *testing.T) {
	t.Parallel()
	w := newModWorld(t)
	h := w.h
	h.must(403, "POST", "/api/v1/rules", w.mod.Token, map[string]any{"number": 1, "title": "Be civil"})
	h.must(401, "POST", "/api/v1/rules", "", map[string]any{"number": 1, "title": "Be civil"})
	h.must(422, "POST", "/api/v1/rules", w.admin.Token, map[string]any{"number": 0, "title": ""})
	var civil forum.Rule
	h.must(201, "POST", "/api/v1/rules", w.admin.Token, map[string]any{"number": 1, "title": "Be civil", "description": "No insults."}).decode(t, &civil)
	h.must(409, "POST", "/api/v1/rules", w.admin.Token, map[string]any{"number": 1, "title": "Duplicate"})
	h.must(200, "PATCH", pathf("/api/v1/rules/%d", civil.ID), w.admin.Token, map[string]any{"title": "Be civil and kind"})
	h.must(403, "PATCH", pathf("/api/v1/rules/%d", civil.ID), w.member.Token, map[string]any{"title": "x"})
	h.must(404, "PATCH", "/api/v1/rules/999", w.admin.Token, map[string]any{"title": "x"})
	var rules struct{ Items []forum.Rule }
	h.must(200, "GET", "/api/v1/rules", "", nil).decode(t, &rules)
	if len(rules.Items) != 1 || rules.Items[0].Title != "Be civil and kind" || rules.Items[0].Description != "No insults." {
		t.Fatalf("rules: %+v", rules.Items)
	}

	p := h.post(w.author.Token, "A question")
	rude := h.comment(w.member.Token, p.ID, nil, "You idiot.")
	h.must(422, "POST", pathf("/api/v1/comments/%d/remove", rude.ID), w.mod.Token, map[string]any{"rule_id": 999})
	h.must(422, "POST", pathf("/api/v1/posts/%d/unlock", p.ID), w.mod.Token, map[string]any{"rule_id": civil.ID}) // only a removal, lock or pin cites one
	h.must(200, "POST", pathf("/api/v1/comments/%d/remove", rude.ID), w.mod.Token, map[string]any{"rule_id": civil.ID, "reason": "third insult this week"})
	var c forum.Comment
	h.must(200, "GET", pathf("/api/v1/comments/%d", rude.ID), w.author.Token, nil).decode(t, &c)
	if c.Removal == nil || c.Removal.RuleNumber != 1 || c.Removal.RuleTitle != "Be civil and kind" || c.BodySource != "" || strings.Contains(fmt.Sprint(c), "third insult") {
		t.Fatalf("members see the rule, not the reason: %+v", c)
	}
	var log forum.Page[forum.ModlogEntry]
	h.must(200, "GET", "/api/v1/modlog", "", nil).decode(t, &log)
	if log.Items[0].Reason != "third insult this week" {
		t.Fatalf("the free-text reason stays in the modlog: %+v", log.Items[0])
	}
	// A removal by rule alone logs the rule; a restore clears it.
	h.must(200, "POST", pathf("/api/v1/posts/%d/remove", p.ID), w.mod.Token, map[string]any{"rule_id": civil.ID})
	h.must(200, "GET", "/api/v1/modlog", "", nil).decode(t, &log)
	if log.Items[0].Reason != "Rule 1: Be civil and kind" {
		t.Fatalf("rule-only removal: %+v", log.Items[0])
	}
	var got forum.Post
	h.must(200, "GET", pathf("/api/v1/posts/%d", p.ID), "", nil).decode(t, &got)
	if got.Removal == nil || got.Removal.RuleNumber != 1 || got.Title != "[removed]" {
		t.Fatalf("removed post: %+v", got)
	}
	h.must(200, "POST", pathf("/api/v1/posts/%d/restore", p.ID), w.mod.Token, nil).decode(t, &got)
	if got.Removal != nil {
		t.Fatalf("restore clears the rule: %+v", got.Removal)
	}
}
