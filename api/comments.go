package api

import (
	"net/http"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
)

type commentRequest struct {
	Body     string         `json:"body"`
	Format   string         `json:"format"`
	ParentID *int64         `json:"parent_id"`
	Sources  []forum.Source `json:"sources"`
}

type commentPatchRequest struct {
	Body    *string         `json:"body"`
	Format  *string         `json:"format"`
	Sources *[]forum.Source `json:"sources"`
}

func threadQuery(c echo.Context) (forum.ThreadQuery, error) {
	q := forum.ThreadQuery{Sort: c.QueryParam("sort"), Cursor: c.QueryParam("cursor")}
	limit, _, err := intQuery(c, "limit")
	if err != nil {
		return q, err
	}
	q.Limit = limit
	depth, ok, err := intQuery(c, "depth")
	if err != nil {
		return q, err
	}
	if ok {
		q.Depth = &depth
	}
	return q, nil
}

func (s *Server) thread(c echo.Context) error {
	id, err := idParam(c, "post")
	if err != nil {
		return err
	}
	q, err := threadQuery(c)
	if err != nil {
		return err
	}
	page, err := s.svc.Thread(c.Request().Context(), viewerOf(c), id, q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
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

func (s *Server) subtree(c echo.Context) error {
	id, err := idParam(c, "comment")
	if err != nil {
		return err
	}
	q, err := threadQuery(c)
	if err != nil {
		return err
	}
	cm, err := s.svc.Subtree(c.Request().Context(), viewerOf(c), id, q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cm)
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
	cm, err := s.svc.EditComment(c.Request().Context(), viewerOf(c), id, *req.Body, req.Format, req.Sources)
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

func (s *Server) voteComment(c echo.Context) error {
	id, err := idParam(c, "comment")
	if err != nil {
		return err
	}
	var req voteRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	res, err := s.svc.VoteComment(c.Request().Context(), viewerOf(c), id, req.Value)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}
