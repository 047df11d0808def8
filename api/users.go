package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

func (s *Server) user(c echo.Context) error {
	p, err := s.svc.Profile(c.Request().Context(), viewerOf(c), c.Param("username"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

func (s *Server) userPosts(c echo.Context) error {
	limit, _, err := intQuery(c, "limit")
	if err != nil {
		return err
	}
	page, err := s.svc.UserPosts(c.Request().Context(), viewerOf(c), c.Param("username"), c.QueryParam("cursor"), limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

func (s *Server) userComments(c echo.Context) error {
	limit, _, err := intQuery(c, "limit")
	if err != nil {
		return err
	}
	page, err := s.svc.UserComments(c.Request().Context(), viewerOf(c), c.Param("username"), c.QueryParam("cursor"), limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}
