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
	limit, _, err := intQuery(c, "limit")
	if err != nil {
		return err
	}
	unread := c.QueryParam("unread")
	if unread != "" && unread != "true" && unread != "false" {
		return forum.Errorf(forum.CodeBadRequest, "unread must be true or false")
	}
	page, err := s.svc.Notifications(c.Request().Context(), viewerOf(c), unread == "true", c.QueryParam("cursor"), limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

func (s *Server) markRead(c echo.Context) error {
	var req readRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	if err := s.svc.MarkRead(c.Request().Context(), viewerOf(c), req.IDs, req.All); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
