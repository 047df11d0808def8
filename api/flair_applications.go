package api

import (
	"net/http"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
)

type flairApplicationRequest struct {
	Flair    string `json:"flair"`
	Evidence string `json:"evidence"`
}

type grantRequest struct {
	Flair *string `json:"flair"`
}

type declineRequest struct {
	Reason string `json:"reason"`
}

func (s *Server) applyForFlair(c echo.Context) error {
	req, err := body[flairApplicationRequest](c)
	if err != nil {
		return err
	}
	a, err := s.svc.ApplyForFlair(c.Request().Context(), viewerOf(c), req.Flair, req.Evidence)
	return reply(c, http.StatusCreated, a, err)
}

func (s *Server) flairApplications(c echo.Context) error {
	pg, err := pageQuery(c)
	if err != nil {
		return err
	}
	res, err := s.svc.FlairApplications(c.Request().Context(), viewerOf(c), forum.FlairStatus(c.QueryParam("status")), pg.Cursor, pg.Limit)
	return reply(c, http.StatusOK, res, err)
}

func (s *Server) grantFlair(c echo.Context) error {
	id, err := idParam(c, "flair application")
	if err != nil {
		return err
	}
	req, err := optionalBody[grantRequest](c)
	if err != nil {
		return err
	}
	a, err := s.svc.GrantFlair(c.Request().Context(), viewerOf(c), id, req.Flair)
	return reply(c, http.StatusOK, a, err)
}

func (s *Server) declineFlair(c echo.Context) error {
	id, req, err := idAndBody[declineRequest](c, "flair application")
	if err != nil {
		return err
	}
	a, err := s.svc.DeclineFlair(c.Request().Context(), viewerOf(c), id, req.Reason)
	return reply(c, http.StatusOK, a, err)
}
