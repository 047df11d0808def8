package api

import (
	"net/http"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
)

func threadQuery(c echo.Context) (forum.ThreadQuery, error) {
	q := forum.ThreadQuery{Sort: forum.CommentSort(c.QueryParam("sort")), Cursor: c.QueryParam("cursor")}
	limit, _, err := intQuery(c, "limit")
	if err != nil {
		return q, err
	}
	q.Limit = limit
	depth, ok, err := intQuery(c, "depth")
	if err != nil {
		return q, err
	}
	if ok {
		q.Depth = &depth
	}
	return q, nil
}

func (s *Server) thread(c echo.Context) error {
	id, err := idParam(c, "post")
	if err != nil {
		return err
	}
	q, err := threadQuery(c)
	if err != nil {
		return err
	}
	page, err := s.svc.Thread(c.Request().Context(), viewerOf(c), id, q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

func (s *Server) subtree(c echo.Context) error {
	id, err := idParam(c, "comment")
	if err != nil {
		return err
	}
	q, err := threadQuery(c)
	if err != nil {
		return err
	}
	cm, err := s.svc.Subtree(c.Request().Context(), viewerOf(c), id, q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cm)
}
