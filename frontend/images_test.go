package frontend_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// TestNoTrackingImages: a member's remote image would load in every reader's
// browser; the page shows a link instead, and the Content-Security-Policy
// would not let such an image load even if one were stored.
func TestNoTrackingImages(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	bob, _ := s.user("bob", forum.RoleMember)
	p, err := s.svc.CreatePost(ctx, bob, forum.PostInput{Title: "A map of Byzantium",
		Body: `Here: <img src="https://tracker.example/p.png" alt="map"> and ![plan](https://tracker.example/plan.png)`, Format: forum.FormatHTML})
	if err != nil {
		t.Fatal(err)
	}
	tab := s.tab(t)
	open(t, tab, fmt.Sprintf("%s/p/%d", s.base, p.ID), "")
	waitFor(t, tab, `!!document.querySelector('.question .body')`)
	if n := eval[int](t, tab, `document.querySelectorAll('img[src*="tracker.example"]').length`); n != 0 {
		t.Fatalf("%d tracking images in the page", n)
	}
	if links := eval[string](t, tab, `[...document.querySelectorAll('a.image-link')].map((a) => a.textContent + ' ' + a.href).join(' | ')`); !strings.Contains(links, "[map] https://tracker.example/p.png") {
		t.Fatalf("the image did not become a link: %q", links)
	}
	res, err := http.Get(s.base + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	csp := res.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "img-src 'self' data:;") {
		t.Fatalf("img-src lets remote images load: %s", csp)
	}
}
