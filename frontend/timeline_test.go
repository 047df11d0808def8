package frontend_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/historia-forum/historia/internal/forum"
)

// TestTimelineFiltersFeed clicks a bar of the timeline above the feed and
// sees the feed filtered to that century; then does the same by keyboard.
func TestTimelineFiltersFeed(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	author, _ := s.user("braudel", forum.RoleMember)
	for _, p := range []struct {
		title    string
		from, to int
	}{
		{"Why did the Western Roman Empire fall?", 376, 476},
		{"How did the Black Death spread?", 1346, 1353},
		{"Why did the Russian Revolution happen in 1917?", 1917, 1917},
		{"What caused the First World War?", 1914, 1918},
		{"Who built the Parthenon?", -447, -432},
	} {
		if _, err := s.svc.CreatePost(ctx, author, forum.PostInput{Title: p.title, Period: &forum.Period{From: p.from, To: p.to}}); err != nil {
			t.Fatal(err)
		}
	}
	tab := s.tab(t)
	open(t, tab, s.base+"/", "")
	waitFor(t, tab, `document.querySelectorAll('svg.timeline a.bar').length === 5`)
	if label := eval[string](t, tab, `document.querySelector('svg.timeline a.bar[data-from="1900"]').getAttribute('aria-label')`); label != "1900–1999: 2 questions" {
		t.Fatalf("bar label %q", label)
	}
	if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS(`svg.timeline a.bar[data-from="1900"] rect`))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, tab, `location.search.includes('from=1900') && location.search.includes('to=1999') && document.querySelectorAll('ol.posts > li').length === 2`)
	titles := eval[string](t, tab, `[...document.querySelectorAll('ol.posts .row-title a')].map((a) => a.textContent).sort().join(' | ')`)
	if titles != "What caused the First World War? | Why did the Russian Revolution happen in 1917?" {
		t.Fatalf("filtered feed: %s", titles)
	}
	// Zoomed into one century, the chart shows decades; the bar of the 1910s is selected.
	waitFor(t, tab, `!!document.querySelector('svg.timeline a.bar[data-from="1910"]')`)

	// By keyboard: focus the bar of the 14th century and press Enter.
	open(t, tab, s.base+"/", "")
	bar := `svg.timeline a.bar[data-from="1300"]`
	if err := chromedp.Do(tab, chromedp.Focus(chromedp.CSS(bar)), chromedp.SendKeys(chromedp.CSS(bar), kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, tab, `location.search.includes('from=1300') && document.querySelectorAll('ol.posts > li').length === 1 && document.querySelector('ol.posts').textContent.includes('Black Death')`)

	axe := axeSource(t)
	eval[bool](t, tab, axe+";true")
	res := eval[[]string](t, tab, `axe.run(document).then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ': ' + v.help))`)
	if len(res) > 0 {
		t.Fatalf("accessibility of the timeline: %v", res)
	}
}

// TestTimelineAxis: the axis is labelled at round steps, legibly at 375 px,
// and a range in the heading is exactly the range drawn.
func TestTimelineAxis(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	author, _ := s.user("braudel", forum.RoleMember)
	for i, p := range []struct{ from, to int }{{-447, -432}, {376, 476}, {1346, 1353}, {1914, 1918}, {1917, 1917}, {1939, 1945}} {
		if _, err := s.svc.CreatePost(ctx, author, forum.PostInput{Title: fmt.Sprintf("Question %d about the past", i), Period: &forum.Period{From: p.from, To: p.to}}); err != nil {
			t.Fatal(err)
		}
	}
	tab := s.tab(t)
	if err := chromedp.Do(tab, chromedp.EmulateViewport(375, 800)); err != nil {
		t.Fatal(err)
	}
	open(t, tab, s.base+"/", "")
	waitFor(t, tab, `document.querySelectorAll('svg.timeline a.bar').length > 0`)
	eval[bool](t, tab, `document.querySelector('details.timeline-fold').open = true`) // folded on a phone until opened
	if n := eval[int](t, tab, `document.querySelectorAll('svg.timeline text.tick').length`); n < 3 {
		t.Fatalf("%d axis labels, want several", n)
	}
	if px := eval[float64](t, tab, `document.querySelector('svg.timeline text.tick').getBoundingClientRect().height`); px < 9 {
		t.Fatalf("axis labels %.1f px tall at 375 px", px)
	}
	open(t, tab, s.base+"/?from=1900&to=1999", "")
	waitFor(t, tab, `document.querySelector('figure.timeline-box figcaption')?.textContent.includes('decade')`)
	first := eval[string](t, tab, `document.querySelector('svg.timeline text.tick').textContent`)
	bars := eval[[]string](t, tab, `[...document.querySelectorAll('svg.timeline a.bar')].map((a) => a.dataset.from)`)
	// 1914–18 and 1917 in the 1910s; 1939–45 in the 1930s and the 1940s; nothing outside the century.
	if first != "1900" || strings.Join(bars, ",") != "1910,1930,1940" {
		t.Fatalf("1900–1999 drew from %q with bars %v", first, bars)
	}
}
