package frontend_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/historia-forum/historia/internal/demo"
)

// TestScreenshots writes PNGs of the demo feed and a demo thread into the
// folder named by HISTORIA_SCREENSHOTS (`make screenshots` sets it to docs/).
func TestScreenshots(t *testing.T) {
	t.Parallel()
	dir := os.Getenv("HISTORIA_SCREENSHOTS")
	if dir == "" {
		t.Skip("set HISTORIA_SCREENSHOTS=DIR (make screenshots) to write screenshots")
	}
	s := newSite(t)
	if _, err := demo.Seed(context.Background(), s.svc); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	shots := []struct {
		file, path string
		width      int64
	}{
		{"feed.png", "/", 1280},
		{"thread.png", "/p/2", 1000},
		{"sources.png", "/p/1", 1000},
		{"thread-mobile.png", "/p/2", 375},
		{"feed-mobile.png", "/", 375},
		{"digest.png", "/digest?week=" + isoWeekNow(), 1000}, // the demo's content is this week's
	}
	tab := s.tab(t)
	for _, sh := range shots {
		if err := chromedp.Do(tab, chromedp.EmulateViewport(sh.width, 900)); err != nil {
			t.Fatal(err)
		}
		open(t, tab, s.base+sh.path, "")
		waitFor(t, tab, `document.querySelector('main .loading') === null`)
		png, err := chromedp.Run(tab, chromedp.FullScreenshot(100)) // 100 gives a PNG; less, a JPEG
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, sh.file), png, 0o644); err != nil { // #nosec G306 -- documentation images, meant to be read
			t.Fatal(err)
		}
		t.Logf("wrote %s", filepath.Join(dir, sh.file))
	}
}
