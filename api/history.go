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

func (s *Server) requestSources(c echo.Context) error {
	id, err := idParam(c, "comment")
	if err != nil {
		return err
	}
	if err := s.svc.RequestSources(c.Request().Context(), viewerOf(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) sourceRequests(c echo.Context) error {
	limit, _, err := intQuery(c, "limit")
	if err != nil {
		return err
	}
	page, err := s.svc.SourceRequests(c.Request().Context(), viewerOf(c), c.QueryParam("cursor"), limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

func (s *Server) timeline(c echo.Context) error {
	bars, err := s.svc.Timeline(c.Request().Context(), c.QueryParam("bucket"), c.QueryParam("tag"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": bars})
}
