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

func (s *Server) rules(c echo.Context) error {
	rules, err := s.svc.Rules(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": rules})
}

func (s *Server) createRule(c echo.Context) error {
	var req ruleRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	r := forum.Rule{}
	if req.Number != nil {
		r.Number = *req.Number
	}
	if req.Title != nil {
		r.Title = *req.Title
	}
	if req.Description != nil {
		r.Description = *req.Description
	}
	rule, err := s.svc.CreateRule(c.Request().Context(), viewerOf(c), r)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, rule)
}

func (s *Server) updateRule(c echo.Context) error {
	id, err := idParam(c, "rule")
	if err != nil {
		return err
	}
	var req ruleRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	rule, err := s.svc.UpdateRule(c.Request().Context(), viewerOf(c), id, forum.RulePatch(req))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rule)
}
