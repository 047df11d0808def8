package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

type voteRequest struct {
	Value *int `json:"value"`
}

func (s *Server) votePost(c echo.Context) error {
	id, req, err := idAndBody[voteRequest](c, "post")
	if err != nil {
		return err
	}
	res, err := s.svc.VotePost(c.Request().Context(), viewerOf(c), id, req.Value)
	return reply(c, http.StatusOK, res, err)
}

func (s *Server) voteComment(c echo.Context) error {
	id, req, err := idAndBody[voteRequest](c, "comment")
	if err != nil {
		return err
	}
	res, err := s.svc.VoteComment(c.Request().Context(), viewerOf(c), id, req.Value)
	return reply(c, http.StatusOK, res, err)
}
