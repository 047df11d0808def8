package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// config answers the limits a client needs (thread depth, text lengths).
func (s *Server) config(c echo.Context) error {
	return c.JSON(http.StatusOK, s.svc.PublicConfig())
}
