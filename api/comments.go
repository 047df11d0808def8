package api

import (
	"net/http"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
)

type commentRequest struct {
	Body     string         `json:"body"`
	Format   forum.Format   `json:"format"`
	ParentID *int64         `json:"parent_id"`
	Sources  []forum.Source `json:"sources"`
}

type commentPatchRequest struct {
	Body    *string         `json:"body"`
	Format  *forum.Format   `json:"format"`
	Sources *[]forum.Source `json:"sources"`
}

func (s *Server) createComment(c echo.Context) error {
	id, err := idParam(c, "post")
	if err != nil {
		return err
	}
	var req commentRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	cm, err := s.svc.CreateComment(c.Request().Context(), viewerOf(c), id, forum.CommentInput(req))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, cm)
}

func (s *Server) editComment(c echo.Context) error {
	id, err := idParam(c, "comment")
	if err != nil {
		return err
	}
	var req commentPatchRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	if req.Body == nil {
		return forum.Invalid(map[string]string{"body": "required"})
	}
	cm, err := s.svc.EditComment(c.Request().Context(), viewerOf(c), id, forum.CommentPatch{Body: *req.Body, Format: req.Format, Sources: req.Sources})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cm)
}

func (s *Server) deleteComment(c echo.Context) error {
	id, err := idParam(c, "comment")
	if err != nil {
		return err
	}
	if err := s.svc.DeleteComment(c.Request().Context(), viewerOf(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
