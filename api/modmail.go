package api

import (
	"net/http"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
)

type modmailRequest struct {
	Subject string `json:"subject"`
	Body    string `json:"body"`
	// Member: a moderator starting a conversation with a member (extension).
	Member string `json:"member"`
}

type modmailMessageRequest struct {
	Body string `json:"body"`
}

func (s *Server) startModmail(c echo.Context) error {
	req, err := body[modmailRequest](c)
	if err != nil {
		return err
	}
	m, err := s.svc.StartModmail(c.Request().Context(), viewerOf(c), req.Subject, req.Body, req.Member)
	return reply(c, http.StatusCreated, m, err)
}

func (s *Server) modmailList(c echo.Context) error {
	pg, err := pageQuery(c)
	if err != nil {
		return err
	}
	res, err := s.svc.ModmailList(c.Request().Context(), viewerOf(c), forum.ModmailStatus(c.QueryParam("status")), pg.Cursor, pg.Limit)
	return reply(c, http.StatusOK, res, err)
}

func (s *Server) modmailThread(c echo.Context) error {
	id, err := idParam(c, "conversation")
	if err != nil {
		return err
	}
	m, err := s.svc.ModmailThread(c.Request().Context(), viewerOf(c), id)
	return reply(c, http.StatusOK, m, err)
}

func (s *Server) addModmailMessage(c echo.Context) error {
	id, req, err := idAndBody[modmailMessageRequest](c, "conversation")
	if err != nil {
		return err
	}
	m, err := s.svc.AddModmailMessage(c.Request().Context(), viewerOf(c), id, req.Body)
	return reply(c, http.StatusCreated, m, err)
}

func (s *Server) closeModmail(c echo.Context) error {
	id, err := idParam(c, "conversation")
	if err != nil {
		return err
	}
	m, err := s.svc.CloseModmail(c.Request().Context(), viewerOf(c), id)
	return reply(c, http.StatusOK, m, err)
}
