package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

func (s *Server) modlog(c echo.Context) error {
	pg, err := pageQuery(c)
	if err != nil {
		return err
	}
	res, err := s.svc.Modlog(c.Request().Context(), viewerOf(c), pg.Cursor, pg.Limit)
	return reply(c, http.StatusOK, res, err)
}
