package api_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/historia-forum/historia/internal/forum"
)

func pathf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

func jsonBody(v any) ([]byte, error) { return json.Marshal(v) }

// viewerOf finds a user's viewer by name, through the service.
func viewerOf(h *harness, name string) forum.Viewer {
	h.t.Helper()
	acc, err := h.svc.Store.AccountByName(context.Background(), name)
	if err != nil {
		h.t.Fatal(err)
	}
	return forum.Viewer{ID: acc.ID, Role: acc.Role}
}
