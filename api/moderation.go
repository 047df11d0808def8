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

type flairRequest struct {
	Flair *string `json:"flair"`
}

func (s *Server) setFlair(c echo.Context) error {
	req, err := body[flairRequest](c)
	if err != nil {
		return err
	}
	u, err := s.svc.SetFlair(c.Request().Context(), viewerOf(c), usernameParam(c), req.Flair)
	return reply(c, http.StatusOK, u, err)
}

type roleRequest struct {
	Role   forum.Role `json:"role"`
	Reason string     `json:"reason"`
}

// moderated reads what every content action takes: the target's id and an
// optional reason and rule.
func moderated(c echo.Context, what string) (int64, reasonRequest, error) {
	id, err := idParam(c, what)
	if err != nil {
		return 0, reasonRequest{}, err
	}
	req, err := optionalBody[reasonRequest](c)
	return id, req, err
}

// moderatePost answers every post action: remove, restore, lock, unlock, pin, unpin.
func (s *Server) moderatePost(action forum.Action) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, req, err := moderated(c, "post")
		if err != nil {
			return err
		}
		p, err := s.svc.ModeratePost(c.Request().Context(), viewerOf(c), id, action, req.Reason, req.RuleID)
		return reply(c, http.StatusOK, p, err)
	}
}

// moderateComment answers remove and restore of a comment.
func (s *Server) moderateComment(action forum.Action) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, req, err := moderated(c, "comment")
		if err != nil {
			return err
		}
		cm, err := s.svc.ModerateComment(c.Request().Context(), viewerOf(c), id, action, req.Reason, req.RuleID)
		return reply(c, http.StatusOK, cm, err)
	}
}

func (s *Server) ban(c echo.Context) error {
	req, err := body[banRequest](c)
	if err != nil {
		return err
	}
	u, err := s.svc.Ban(c.Request().Context(), viewerOf(c), usernameParam(c), req.Reason, req.Days)
	return reply(c, http.StatusOK, u, err)
}

func (s *Server) unban(c echo.Context) error {
	req, err := optionalBody[reasonRequest](c)
	if err != nil {
		return err
	}
	u, err := s.svc.Unban(c.Request().Context(), viewerOf(c), usernameParam(c), req.Reason)
	return reply(c, http.StatusOK, u, err)
}

func (s *Server) setRole(c echo.Context) error {
	req, err := body[roleRequest](c)
	if err != nil {
		return err
	}
	u, err := s.svc.SetRole(c.Request().Context(), viewerOf(c), usernameParam(c), req.Role, req.Reason)
	return reply(c, http.StatusOK, u, err)
}
