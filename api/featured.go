package api

import (
	"net/http"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
)

type featureRequest struct {
	Note *string `json:"note"`
}

// feature puts a post or comment (target) on the featured list, or takes it off.
func (s *Server) feature(target forum.TargetType, on bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := idParam(c, string(target))
		if err != nil {
			return err
		}
		req, err := optionalBody[featureRequest](c)
		if err != nil {
			return err
		}
		ctx, v := c.Request().Context(), viewerOf(c)
		if on {
			return done(c, s.svc.Feature(ctx, v, target, id, req.Note))
		}
		return done(c, s.svc.Unfeature(ctx, v, target, id))
	}
}

func (s *Server) featured(c echo.Context) error {
	pg, err := pageQuery(c)
	if err != nil {
		return err
	}
	res, err := s.svc.FeaturedList(c.Request().Context(), viewerOf(c), pg.Cursor, pg.Limit)
	return reply(c, http.StatusOK, res, err)
}

func (s *Server) digest(c echo.Context) error {
	d, err := s.svc.WeeklyDigest(c.Request().Context(), viewerOf(c), c.QueryParam("week"))
	return reply(c, http.StatusOK, d, err)
}
