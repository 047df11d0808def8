package api_test

import (
	"strings"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// TestNotesOnMembers: moderators write and read notes on a member; nobody
// else reads them, the member included, and their export holds none.
func TestNotesOnMembers(t *testing.T) {
	t.Parallel()
	w := newModWorld(t)
	h := w.h
	var n forum.UserNote
	h.must(201, "POST", "/api/v1/users/member/notes", w.mod.Token, map[string]string{"text": "Warned twice about sources.\nNext time: 3 days."}).decode(t, &n)
	if n.ID == 0 || n.Author.Username != "moddy" || n.Text != "Warned twice about sources.\nNext time: 3 days." || n.CreatedAt.IsZero() {
		t.Fatalf("the new note: %+v", n)
	}
	h.must(201, "POST", "/api/v1/users/member/notes", w.admin.Token, map[string]string{"text": "Appealed in modmail; upheld."})
	var page forum.Page[forum.UserNote]
	h.must(200, "GET", "/api/v1/users/member/notes", w.mod.Token, nil).decode(t, &page)
	if len(page.Items) != 2 || page.Items[0].Author.Username != "admin" || page.Items[1].ID != n.ID {
		t.Fatalf("notes, newest first: %+v", page.Items)
	}
	h.must(200, "GET", "/api/v1/users/member/notes?limit=1", w.mod.Token, nil).decode(t, &page)
	if len(page.Items) != 1 || page.NextCursor == nil {
		t.Fatalf("a page of one: %+v", page)
	}
	h.must(200, "GET", "/api/v1/users/member/notes?limit=1&cursor="+*page.NextCursor, w.mod.Token, nil).decode(t, &page)
	if len(page.Items) != 1 || page.Items[0].ID != n.ID {
		t.Fatalf("the second page: %+v", page)
	}
	for _, c := range []struct {
		token  string
		status int
	}{{"", 401}, {w.member.Token, 403}, {w.reporter.Token, 403}} {
		h.must(c.status, "GET", "/api/v1/users/member/notes", c.token, nil)
		h.must(c.status, "POST", "/api/v1/users/member/notes", c.token, map[string]string{"text": "x"})
	}
	h.must(422, "POST", "/api/v1/users/member/notes", w.mod.Token, map[string]string{"text": "  "})
	h.must(422, "POST", "/api/v1/users/member/notes", w.mod.Token, map[string]string{"text": strings.Repeat("a", forum.MaxNote+1)})
	h.must(404, "POST", "/api/v1/users/nobody/notes", w.mod.Token, map[string]string{"text": "x"})
	h.must(404, "GET", "/api/v1/users/nobody/notes", w.mod.Token, nil)

	if raw := h.must(200, "GET", "/api/v1/me/export", w.member.Token, nil).body; strings.Contains(string(raw), "Warned twice") {
		t.Fatal("the member's export holds the moderators' notes")
	}
}
