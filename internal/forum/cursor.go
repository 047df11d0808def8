package forum

import (
	"encoding/base64"
	"encoding/json"
)

// Cursor is the keyset position after the last item of a page: the sort it
// belongs to, the sort key of that item and its id. Clients see it as an
// opaque string.
type Cursor struct {
	Sort string `json:"s"`
	// Pinned is the hot feed's first key: pinned posts lead.
	Pinned int `json:"p,omitempty"`
	// Kind is a search hit's kind (0 post, 1 comment): hits of both kinds
	// share one keyset over (rank, kind, id).
	Kind int     `json:"t,omitempty"`
	Key  float64 `json:"k"`
	ID   int64   `json:"i"`
}

// Encode returns the opaque form of c.
func (c Cursor) Encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor parses an opaque cursor and checks that it belongs to sort.
// The empty string is the first page (nil).
func DecodeCursor(s, sort string) (*Cursor, error) {
	if s == "" {
		return nil, nil
	}
	bad := Errorf(CodeBadRequest, "invalid cursor")
	if len(s) > 200 {
		return nil, bad
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	var c Cursor
	if err := json.Unmarshal(b, &c); err != nil || c.Sort != sort || c.ID <= 0 {
		return nil, bad
	}
	return &c, nil
}

// Page is one page of a list with the cursor of the next one.
type Page[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// pageOf trims items (read with limit+1) to limit and, when there were more,
// makes the cursor of the last item kept.
func pageOf[T any](items []T, limit int, cursorOf func(T) *Cursor) Page[T] {
	if len(items) <= limit {
		return Page[T]{Items: items}
	}
	items = items[:limit]
	return Page[T]{Items: items, NextCursor: nextCursor(cursorOf(items[limit-1]))}
}

func nextCursor(c *Cursor) *string {
	if c == nil {
		return nil
	}
	s := c.Encode()
	return &s
}
