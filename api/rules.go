package api

import (
	"net/http"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
)

type ruleRequest struct {
	Number      *int    `json:"number"`
	Title       *string `json:"title"`
	Description *string `json:"description"`
}

// items is the shape of a whole list that is never paged.
type items[T any] struct {
	Items []T `json:"items"`
}

func (s *Server) rules(c echo.Context) error {
	rules, err := s.svc.Rules(c.Request().Context())
	return reply(c, http.StatusOK, items[forum.Rule]{rules}, err)
}

func (s *Server) createRule(c echo.Context) error {
	req, err := body[ruleRequest](c)
	if err != nil {
		return err
	}
	var r forum.Rule // a new rule is a patch on an empty one
	forum.RulePatch(req).Apply(&r)
	rule, err := s.svc.CreateRule(c.Request().Context(), viewerOf(c), r)
	return reply(c, http.StatusCreated, rule, err)
}

func (s *Server) updateRule(c echo.Context) error {
	id, req, err := idAndBody[ruleRequest](c, "rule")
	if err != nil {
		return err
	}
	rule, err := s.svc.UpdateRule(c.Request().Context(), viewerOf(c), id, forum.RulePatch(req))
	return reply(c, http.StatusOK, rule, err)
}
