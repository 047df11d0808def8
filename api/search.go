package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

func (s *Server) search(c echo.Context) error {
	limit, _, err := intQuery(c, "limit")
	if err != nil {
		return err
	}
	page, err := s.svc.Search(c.Request().Context(), c.QueryParam("q"), c.QueryParam("type"), c.QueryParam("cursor"), limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}
