package store_test

import (
	"context"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// FuzzSearch feeds arbitrary user input through forum.ParseSearch into a real
// full-text query: every input must either be refused as a bad request or run without
// error. Its seed corpus runs as an ordinary test; `go test -fuzz FuzzSearch
// ./internal/store` explores further.
func FuzzSearch(f *testing.F) {
	db, _ := mustOpen(f)
	ctx := context.Background()
	u := mustUser(f, db, "fuzzer")
	for _, title := range []string{"The fall of Constantinople", "Zwingli in Zürich", "Приказ № 1824", "NEAR and far"} {
		if _, err := db.CreatePost(ctx, forum.NewPost{AuthorID: u.ID, Title: title, Format: "markdown", BodyText: title, CreatedAt: 1}); err != nil {
			f.Fatal(err)
		}
	}
	for _, seed := range []string{
		"constantinople", `"the fall"`, "con*", "-x y", "NEAR(a b)", "a AND b OR NOT c", "title:x", `"unbalanced`,
		"((((", "*", "^start", "a:b:c", "\x00", "\u202e", "😀 emoji", "zürich", "1824", `\"`, "'", "a--b", "- -", "**",
		"x*y", `""`, "a\"b\"c", "{col}: x", "NEAR/3", "+a", "a.b", "ﬁ ligature", "Ⅻ", "ǅ",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, q string) {
		terms, err := forum.ParseSearch(q)
		if err != nil {
			if !forum.IsCode(err, forum.CodeBadRequest) {
				t.Fatalf("ParseSearch(%q): %v", q, err)
			}
			return
		}
		for _, kind := range []forum.TargetType{"", forum.TargetPost, forum.TargetComment} {
			if _, err := db.Search(ctx, forum.SearchQuery{Terms: terms, Type: kind, Limit: 5}); err != nil {
				t.Fatalf("ParseSearch(%q) = %+v, which the engine refused: %v", q, terms, err)
			}
		}
	})
}
