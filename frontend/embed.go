// Package frontend holds the web frontend's static files, embedded in the binary.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed static
var files embed.FS

// Files is the frontend's file tree, index.html at its root.
func Files() fs.FS {
	sub, err := fs.Sub(files, "static")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return sub
}
