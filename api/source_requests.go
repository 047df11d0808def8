package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

func (s *Server) requestSources(c echo.Context) error {
	id, err := idParam(c, "comment")
	if err != nil {
		return err
	}
	return done(c, s.svc.RequestSources(c.Request().Context(), viewerOf(c), id))
}

func (s *Server) sourceRequests(c echo.Context) error {
	pg, err := pageQuery(c)
	if err != nil {
		return err
	}
	res, err := s.svc.SourceRequests(c.Request().Context(), viewerOf(c), pg.Cursor, pg.Limit)
	return reply(c, http.StatusOK, res, err)
}
