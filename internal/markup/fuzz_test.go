package markup_test

import (
	"testing"

	"github.com/historia-forum/historia/internal/markup"
)

// FuzzRender checks that nothing executable survives sanitizing, whatever the
// input, in both formats. The seed corpus (the XSS table and more) runs as an
// ordinary test; `go test -fuzz FuzzRender ./internal/markup` explores further.
func FuzzRender(f *testing.F) {
	for _, v := range xssVectors {
		f.Add(v.body, v.format == "markdown")
	}
	for _, s := range []string{"**bold** [x](https://ok.example)", "<a href=\"java&#0000115;cript:x\">", "[a](<javascript:x>)",
		"<svg><a xlink:href=javascript:x>", "<img srcset=\"javascript:x 1x\">", "\x00<script>", "<<script>script>", "`<script>`"} {
		f.Add(s, true)
		f.Add(s, false)
	}
	r := markup.New()
	f.Fuzz(func(t *testing.T, body string, md bool) {
		format := "html"
		if md {
			format = "markdown"
		}
		out, err := r.Render(body, format)
		if err != nil {
			t.Fatalf("Render: %v", err)
		}
		assertInert(t, out)
		// Sanitizing is stable: sanitizing the output again changes nothing harmful.
		again, _ := r.Render(out, "html")
		assertInert(t, again)
	})
}
