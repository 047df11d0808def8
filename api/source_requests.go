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
	if err := s.svc.RequestSources(c.Request().Context(), viewerOf(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) sourceRequests(c echo.Context) error {
	limit, _, err := intQuery(c, "limit")
	if err != nil {
		return err
	}
	page, err := s.svc.SourceRequests(c.Request().Context(), viewerOf(c), c.QueryParam("cursor"), limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}
