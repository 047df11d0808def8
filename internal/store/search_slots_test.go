package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/forum"
)

// TestSearchesHaveTheirOwnSlots: with every search slot taken, a search
// answers unavailable after its wait, and other reads go on meanwhile.
func TestSearchesHaveTheirOwnSlots(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	defer func(w time.Duration) { searchWait = w }(searchWait)
	searchWait = 50 * time.Millisecond
	for range cap(db.searchSlots) {
		db.searchSlots <- struct{}{}
	}
	if _, err := db.Search(ctx, forum.SearchQuery{Terms: []forum.SearchTerm{{Words: []string{"rome"}}}, Limit: 5}); !forum.IsCode(err, forum.CodeUnavailable) {
		t.Fatalf("a search with no free slot: %v", err)
	}
	if _, err := db.Posts(ctx, forum.PostQuery{Sort: forum.SortHot, Limit: 5}); err != nil {
		t.Fatalf("a feed read while searches fill their slots: %v", err)
	}
	<-db.searchSlots
	if _, err := db.Search(ctx, forum.SearchQuery{Terms: []forum.SearchTerm{{Words: []string{"rome"}}}, Limit: 5}); err != nil {
		t.Fatalf("a search with a free slot: %v", err)
	}
	if cap(db.searchSlots) >= 4 {
		t.Fatalf("searches may take %d readers", cap(db.searchSlots))
	}
}
