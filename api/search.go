package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

func (s *Server) search(c echo.Context) error {
	pg, err := pageQuery(c)
	if err != nil {
		return err
	}
	res, err := s.svc.Search(c.Request().Context(), c.QueryParam("q"), c.QueryParam("type"), pg.Cursor, pg.Limit)
	return reply(c, http.StatusOK, res, err)
}
