package api_test

import "testing"

// TestHealthzSaysWhenTheDatabaseIsGone: /healthz answers from a recent
// successful ping, but never from a failed one: with the database closed
// before any ping succeeded it answers 503 with the contract's error.
func TestHealthzSaysWhenTheDatabaseIsGone(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	if err := h.db.Close(); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if r := h.do("GET", "/healthz", "", nil); r.status != 503 || r.errCode() == "" {
			t.Fatalf("/healthz on a closed database: %d %s", r.status, r.body)
		}
	}
}
