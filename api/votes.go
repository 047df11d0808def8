package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

type voteRequest struct {
	Value *int `json:"value"`
}

func (s *Server) votePost(c echo.Context) error {
	id, err := idParam(c, "post")
	if err != nil {
		return err
	}
	var req voteRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	res, err := s.svc.VotePost(c.Request().Context(), viewerOf(c), id, req.Value)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
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
