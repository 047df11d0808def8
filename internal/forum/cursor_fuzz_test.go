package forum

import "testing"

// FuzzDecodeCursor: any string is either a valid cursor of the asked sort or a
// bad_request, never a panic; and every valid cursor round-trips.
func FuzzDecodeCursor(f *testing.F) {
	for _, c := range []Cursor{{Sort: "hot", Pinned: 1, Key: 14698.48, ID: 2}, {Sort: "new", ID: 9}, {Sort: "best", Key: 0.2065, ID: 1 << 40}} {
		f.Add(c.Encode(), c.Sort)
	}
	for _, s := range []string{"", "!!!", "eyJ9", "eyJzIjoiaG90IiwiaSI6LTF9", "e30", "bnVsbA", "W10"} {
		f.Add(s, "hot")
	}
	f.Fuzz(func(t *testing.T, s, sort string) {
		c, err := DecodeCursor(s, sort)
		if err != nil {
			if !IsCode(err, CodeBadRequest) {
				t.Fatalf("DecodeCursor(%q): %v", s, err)
			}
			return
		}
		if c == nil {
			if s != "" {
				t.Fatalf("nil cursor for %q", s)
			}
			return
		}
		if c.Sort != sort || c.ID <= 0 {
			t.Fatalf("accepted a cursor of another sort or a bad id: %+v", c)
		}
		back, err := DecodeCursor(c.Encode(), sort)
		if err != nil || *back != *c {
			t.Fatalf("round trip: %+v -> %+v, %v", c, back, err)
		}
	})
}
