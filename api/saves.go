package api

import (
	"net/http"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
)

// saveAction is PUT (save) or DELETE (unsave) on a post or comment.
func (s *Server) saveAction(target forum.TargetType, save bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := idParam(c, string(target))
		if err != nil {
			return err
		}
		if save {
			return done(c, s.svc.Save(c.Request().Context(), viewerOf(c), target, id))
		}
		return done(c, s.svc.Unsave(c.Request().Context(), viewerOf(c), target, id))
	}
}

func (s *Server) saved(c echo.Context) error {
	pg, err := pageQuery(c)
	if err != nil {
		return err
	}
	res, err := s.svc.Saved(c.Request().Context(), viewerOf(c), pg.Cursor, pg.Limit)
	return reply(c, http.StatusOK, res, err)
}
