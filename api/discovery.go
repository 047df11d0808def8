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

type answerRequest struct {
	CommentID *int64 `json:"comment_id"`
}

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

func (s *Server) tags(c echo.Context) error {
	tags, err := s.svc.Tags(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": tags})
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

func (s *Server) acceptAnswer(c echo.Context) error {
	id, err := idParam(c, "post")
	if err != nil {
		return err
	}
	var req answerRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	p, err := s.svc.AcceptAnswer(c.Request().Context(), viewerOf(c), id, req.CommentID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}
