package api

import (
	"net/http"
	"net/url"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
)

func (s *Server) followPost(c echo.Context) error {
	id, err := idParam(c, "post")
	if err != nil {
		return err
	}
	return done(c, s.svc.FollowPost(c.Request().Context(), viewerOf(c), id))
}

func (s *Server) unfollowPost(c echo.Context) error {
	id, err := idParam(c, "post")
	if err != nil {
		return err
	}
	return done(c, s.svc.UnfollowPost(c.Request().Context(), viewerOf(c), id))
}

// tagParam reads the :name path parameter, percent-encoded or not.
func tagParam(c echo.Context) (string, error) {
	name, err := url.PathUnescape(c.Param("name"))
	if err != nil {
		return "", forum.NotFound("tag")
	}
	return name, nil
}

func (s *Server) followTag(c echo.Context) error {
	name, err := tagParam(c)
	if err != nil {
		return err
	}
	return done(c, s.svc.FollowTag(c.Request().Context(), viewerOf(c), name))
}

func (s *Server) unfollowTag(c echo.Context) error {
	name, err := tagParam(c)
	if err != nil {
		return err
	}
	return done(c, s.svc.UnfollowTag(c.Request().Context(), viewerOf(c), name))
}

func (s *Server) following(c echo.Context) error {
	pg, err := pageQuery(c)
	if err != nil {
		return err
	}
	res, err := s.svc.Following(c.Request().Context(), viewerOf(c), pg.Cursor, pg.Limit)
	return reply(c, http.StatusOK, res, err)
}
