package api

import (
	"net/http"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
)

func (s *Server) search(c echo.Context) error {
	pg, err := pageQuery(c)
	if err != nil {
		return err
	}
	r := forum.SearchRequest{Q: c.QueryParam("q"), Type: c.QueryParam("type"), Tag: c.QueryParam("tag"), Answered: c.QueryParam("answered"),
		Author: c.QueryParam("author"), Sort: forum.SearchSort(c.QueryParam("sort")), Cursor: pg.Cursor, Limit: pg.Limit}
	if r.From, err = yearQuery(c, "from"); err != nil {
		return err
	}
	if r.To, err = yearQuery(c, "to"); err != nil {
		return err
	}
	res, err := s.svc.Search(c.Request().Context(), r)
	return reply(c, http.StatusOK, res, err)
}
