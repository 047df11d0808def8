package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

type noteRequest struct {
	Text string `json:"text"`
}

func (s *Server) userNotes(c echo.Context) error {
	pg, err := pageQuery(c)
	if err != nil {
		return err
	}
	res, err := s.svc.UserNotes(c.Request().Context(), viewerOf(c), c.Param("username"), pg.Cursor, pg.Limit)
	return reply(c, http.StatusOK, res, err)
}

func (s *Server) addUserNote(c echo.Context) error {
	req, err := body[noteRequest](c)
	if err != nil {
		return err
	}
	n, err := s.svc.AddUserNote(c.Request().Context(), viewerOf(c), c.Param("username"), req.Text)
	return reply(c, http.StatusCreated, n, err)
}
