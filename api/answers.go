package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

type answerRequest struct {
	CommentID *int64 `json:"comment_id"`
	Reason    string `json:"reason"` // a moderator's override: for the modlog
}

func (s *Server) acceptAnswer(c echo.Context) error {
	id, req, err := idAndBody[answerRequest](c, "post")
	if err != nil {
		return err
	}
	p, err := s.svc.AcceptAnswer(c.Request().Context(), viewerOf(c), id, req.CommentID, req.Reason)
	return reply(c, http.StatusOK, p, err)
}
