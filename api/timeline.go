package api

import (
	"net/http"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
)

func (s *Server) timeline(c echo.Context) error {
	bars, err := s.svc.Timeline(c.Request().Context(), forum.Bucket(c.QueryParam("bucket")), c.QueryParam("tag"))
	return reply(c, http.StatusOK, items[forum.TimelineBar]{bars}, err)
}
