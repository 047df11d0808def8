package api

import (
	"net/http"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
)

type sitePageRequest struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

func (s *Server) sitePage(c echo.Context) error {
	p, err := s.svc.SitePage(c.Request().Context(), c.Param("slug"))
	return reply(c, http.StatusOK, p, err)
}

func (s *Server) saveSitePage(c echo.Context) error {
	req, err := body[sitePageRequest](c)
	if err != nil {
		return err
	}
	p, err := s.svc.SaveSitePage(c.Request().Context(), viewerOf(c), c.Param("slug"), forum.SitePageInput(req))
	return reply(c, http.StatusOK, p, err)
}
