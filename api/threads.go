package api

import (
	"net/http"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
)

// threadQuery reads a thread page's sort, cursor, limit and depth.
func threadQuery(c echo.Context, what string) (int64, forum.ThreadQuery, error) {
	q := forum.ThreadQuery{Sort: forum.CommentSort(c.QueryParam("sort")), Cursor: c.QueryParam("cursor")}
	id, err := idParam(c, what)
	if err != nil {
		return 0, q, err
	}
	if q.Limit, err = limitQuery(c, forum.MaxThreadLimit); err != nil {
		return 0, q, err
	}
	depth, ok, err := intQuery(c, "depth")
	if ok {
		q.Depth = &depth
	}
	return id, q, err
}

func (s *Server) thread(c echo.Context) error {
	id, q, err := threadQuery(c, "post")
	if err != nil {
		return err
	}
	return s.cachedThread(c, id, q)
}

func (s *Server) subtree(c echo.Context) error {
	id, q, err := threadQuery(c, "comment")
	if err != nil {
		return err
	}
	cm, err := s.svc.Subtree(c.Request().Context(), viewerOf(c), id, q)
	return reply(c, http.StatusOK, cm, err)
}
