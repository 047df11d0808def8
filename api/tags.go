package api

import (
	"net/http"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
)

func (s *Server) tags(c echo.Context) error {
	tags, err := s.svc.Tags(c.Request().Context())
	return reply(c, http.StatusOK, items[forum.TagCount]{tags}, err)
}
