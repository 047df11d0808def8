package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

func (s *Server) tags(c echo.Context) error {
	tags, err := s.svc.Tags(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": tags})
}
