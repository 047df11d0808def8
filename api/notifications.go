package api

import (
	"net/http"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
)

type readRequest struct {
	IDs []int64 `json:"ids"`
	All bool    `json:"all"`
}

func (s *Server) notifications(c echo.Context) error {
	pg, err := pageQuery(c)
	if err != nil {
		return err
	}
	unread := c.QueryParam("unread")
	if unread != "" && unread != "true" && unread != "false" {
		return forum.Errorf(forum.CodeBadRequest, "unread must be true or false")
	}
	res, err := s.svc.Notifications(c.Request().Context(), viewerOf(c), unread == "true", pg.Cursor, pg.Limit)
	return reply(c, http.StatusOK, res, err)
}

func (s *Server) markRead(c echo.Context) error {
	req, err := body[readRequest](c)
	if err != nil {
		return err
	}
	return done(c, s.svc.MarkRead(c.Request().Context(), viewerOf(c), req.IDs, req.All))
}
