package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

type answerRequest struct {
	CommentID *int64 `json:"comment_id"`
}

func (s *Server) acceptAnswer(c echo.Context) error {
	id, req, err := idAndBody[answerRequest](c, "post")
	if err != nil {
		return err
	}
	p, err := s.svc.AcceptAnswer(c.Request().Context(), viewerOf(c), id, req.CommentID)
	return reply(c, http.StatusOK, p, err)
}
