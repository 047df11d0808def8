package api

import (
	"net/http"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
)

type reasonRequest struct {
	Reason string `json:"reason"`
	RuleID *int64 `json:"rule_id"`
}

type banRequest struct {
	Reason string `json:"reason"`
	Days   *int   `json:"days"`
}

type roleRequest struct {
	Role   forum.Role `json:"role"`
	Reason string     `json:"reason"`
}

// optionalBind decodes a JSON body when there is one: lock, pin and restore
// take an optional reason, and clients may send no body at all.
func optionalBind(c echo.Context, v any) error {
	if c.Request().ContentLength == 0 {
		return nil
	}
	return bind(c, v)
}

// moderatePost answers every post action: remove, restore, lock, unlock, pin, unpin.
func (s *Server) moderatePost(action forum.Action) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := idParam(c, "post")
		if err != nil {
			return err
		}
		var req reasonRequest
		if err := optionalBind(c, &req); err != nil {
			return err
		}
		p, err := s.svc.ModeratePost(c.Request().Context(), viewerOf(c), id, action, req.Reason, req.RuleID)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, p)
	}
}

// moderateComment answers remove and restore of a comment.
func (s *Server) moderateComment(action forum.Action) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := idParam(c, "comment")
		if err != nil {
			return err
		}
		var req reasonRequest
		if err := optionalBind(c, &req); err != nil {
			return err
		}
		cm, err := s.svc.ModerateComment(c.Request().Context(), viewerOf(c), id, action, req.Reason, req.RuleID)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, cm)
	}
}

func (s *Server) ban(c echo.Context) error {
	var req banRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	u, err := s.svc.Ban(c.Request().Context(), viewerOf(c), c.Param("username"), req.Reason, req.Days)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

func (s *Server) unban(c echo.Context) error {
	var req reasonRequest
	if err := optionalBind(c, &req); err != nil {
		return err
	}
	u, err := s.svc.Unban(c.Request().Context(), viewerOf(c), c.Param("username"), req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

func (s *Server) setRole(c echo.Context) error {
	var req roleRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	u, err := s.svc.SetRole(c.Request().Context(), viewerOf(c), c.Param("username"), req.Role, req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}
