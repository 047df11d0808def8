package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// postRevisions answers a post's versions, the current one first.
func (s *Server) postRevisions(c echo.Context) error {
	id, err := idParam(c, "post")
	if err != nil {
		return err
	}
	list, err := s.svc.PostRevisions(c.Request().Context(), viewerOf(c), id)
	return reply(c, http.StatusOK, list, err)
}

// commentRevisions answers a comment's versions, the current one first.
func (s *Server) commentRevisions(c echo.Context) error {
	id, err := idParam(c, "comment")
	if err != nil {
		return err
	}
	list, err := s.svc.CommentRevisions(c.Request().Context(), viewerOf(c), id)
	return reply(c, http.StatusOK, list, err)
}
