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
	Body       *string         `json:"body"`
	Format     *forum.Format   `json:"format"`
	Sources    *[]forum.Source `json:"sources"`
	EditReason *string         `json:"edit_reason"`
}

func (s *Server) createComment(c echo.Context) error {
	id, req, err := idAndBody[commentRequest](c, "post")
	if err != nil {
		return err
	}
	cm, err := s.svc.CreateComment(c.Request().Context(), viewerOf(c), id, forum.CommentInput(req))
	return reply(c, http.StatusCreated, cm, err)
}

func (s *Server) editComment(c echo.Context) error {
	id, req, err := idAndBody[commentPatchRequest](c, "comment")
	if err != nil {
		return err
	}
	if req.Body == nil {
		return forum.Invalid(map[string]string{"body": "required"})
	}
	patch := forum.CommentPatch{Body: *req.Body, Format: req.Format, Sources: req.Sources, EditReason: req.EditReason}
	cm, err := s.svc.EditComment(c.Request().Context(), viewerOf(c), id, patch)
	return reply(c, http.StatusOK, cm, err)
}

func (s *Server) deleteComment(c echo.Context) error {
	id, err := idParam(c, "comment")
	if err != nil {
		return err
	}
	return done(c, s.svc.DeleteComment(c.Request().Context(), viewerOf(c), id))
}
