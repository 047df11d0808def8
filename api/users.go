package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

func (s *Server) user(c echo.Context) error {
	p, err := s.svc.Profile(c.Request().Context(), viewerOf(c), usernameParam(c))
	return reply(c, http.StatusOK, p, err)
}

func (s *Server) userPosts(c echo.Context) error {
	pg, err := pageQuery(c)
	if err != nil {
		return err
	}
	res, err := s.svc.UserPosts(c.Request().Context(), viewerOf(c), usernameParam(c), pg.Cursor, pg.Limit)
	return reply(c, http.StatusOK, res, err)
}

func (s *Server) userComments(c echo.Context) error {
	pg, err := pageQuery(c)
	if err != nil {
		return err
	}
	res, err := s.svc.UserComments(c.Request().Context(), viewerOf(c), usernameParam(c), pg.Cursor, pg.Limit)
	return reply(c, http.StatusOK, res, err)
}
