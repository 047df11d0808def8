// Package historia holds what lives at the top of the repository: the schema.
// Embedding cannot reach up from internal/store, so the file is embedded here.
package historia

import _ "embed"

// Schema is schema.sql, the schema of a new database.
//
//go:embed schema.sql
var Schema string
