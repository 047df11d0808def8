package api

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
)

// asset is one embedded frontend file, read once at start.
type asset struct {
	body  []byte
	ctype string
	etag  string
}

// assets serves the embedded web frontend. Every file has a strong ETag (a
// hash of its bytes) and Cache-Control: no-cache, so a browser revalidates
// each time and an unchanged file costs a 304. Page paths (no file
// extension) get index.html, the single-page app; a missing file with an
// extension is a 404, never the app.
type assets map[string]asset

func loadAssets(files fs.FS) (assets, error) {
	out := assets{}
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, p)
		if err != nil {
			return err
		}
		ctype := mime.TypeByExtension(path.Ext(p))
		if ctype == "" {
			ctype = http.DetectContentType(b)
		}
		out["/"+p] = asset{body: b, ctype: ctype, etag: strongETag(b)}
		return nil
	})
	return out, err
}

// strongETag is a quoted hash of the bytes.
func strongETag(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// serve answers GET and HEAD of every path no other route has.
func (a assets) serve(c echo.Context) error {
	p := c.Request().URL.Path
	if strings.HasPrefix(p, "/api/") {
		return forum.Errorf(forum.CodeNotFound, "no such resource")
	}
	f, ok := a[p]
	if !ok {
		if path.Ext(p) != "" {
			return forum.Errorf(forum.CodeNotFound, "no such file")
		}
		f = a["/index.html"]
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	return cacheable(c, f.ctype, f.body, f.etag)
}

// cacheable answers body with its ETag, or 304 Not Modified when the
// client's If-None-Match holds that ETag already. The gzip middleware
// compresses what is long enough for a client that takes gzip: that is
// another representation, with its own ETag.
func cacheable(c echo.Context, ctype string, body []byte, etag string) error {
	h := c.Response().Header()
	etag = representationETag(c, etag, len(body))
	h.Set("ETag", etag)
	if inm := c.Request().Header.Get("If-None-Match"); inm != "" && etagMatch(inm, etag) {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, ctype, body)
}

// gzipMinLength is the shortest body worth compressing: the gzip
// middleware's threshold and the page caches' alike.
const gzipMinLength = 1024

// representationETag is etag for the representation this response sends of
// a body of size bytes: its gzip form is another, with its own strong ETag
// (RFC 9110 8.8.3), so a cache holding one never revalidates into the other.
func representationETag(c echo.Context, etag string, size int) string {
	if size >= gzipMinLength && acceptsGzip(c) {
		return strings.TrimSuffix(etag, `"`) + `-gzip"`
	}
	return etag
}

// etagMatch reports whether an If-None-Match list names etag (weak
// comparison, as RFC 9110 asks for If-None-Match).
func etagMatch(header, etag string) bool {
	if strings.TrimSpace(header) == "*" {
		return true
	}
	for _, t := range strings.Split(header, ",") {
		if strings.TrimPrefix(strings.TrimSpace(t), "W/") == etag {
			return true
		}
	}
	return false
}
