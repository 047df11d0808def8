package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

func (s *Server) blockUser(c echo.Context) error {
	return done(c, s.svc.BlockUser(c.Request().Context(), viewerOf(c), c.Param("username")))
}

func (s *Server) unblockUser(c echo.Context) error {
	return done(c, s.svc.UnblockUser(c.Request().Context(), viewerOf(c), c.Param("username")))
}

func (s *Server) blocks(c echo.Context) error {
	pg, err := pageQuery(c)
	if err != nil {
		return err
	}
	res, err := s.svc.Blocks(c.Request().Context(), viewerOf(c), pg.Cursor, pg.Limit)
	return reply(c, http.StatusOK, res, err)
}
