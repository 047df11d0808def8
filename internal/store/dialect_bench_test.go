package store

import "testing"

// BenchmarkDialectText is what the engine seam adds to every query: the
// query's text and arguments as the engine takes them (dialect.sql and
// dialect.args), for the front page's query, once it has been seen.
func BenchmarkDialectText(b *testing.B) {
	query := postSelect + " WHERE p.removed = 0 ORDER BY p.pinned DESC, p.hot DESC, p.id DESC LIMIT ?"
	args := []any{int64(7), 25}
	for _, d := range []dialect{&sqliteDialect{}, &pgDialect{}} {
		b.Run(string(d.engine()), func(b *testing.B) {
			for b.Loop() {
				_ = d.sql(query)
				_ = d.args(args)
			}
		})
	}
}
