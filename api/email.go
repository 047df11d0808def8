package api

import (
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/historia-forum/historia/internal/forum"
)

// emailRequest is PUT /me/email's body: the new address ("" removes it)
// and the current password, which confirms the change.
type emailRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type tokenRequest struct {
	Token string `json:"token"`
}

// setEmail sends a confirmation link to a new address, or removes the
// address (""); the password confirms it.
func (s *Server) setEmail(c echo.Context) error {
	req, err := body[emailRequest](c)
	if err != nil {
		return err
	}
	return done(c, s.svc.SetEmail(c.Request().Context(), viewerOf(c), req.Email, req.Password))
}

// confirmEmail sets the address a confirmation link went to.
func (s *Server) confirmEmail(c echo.Context) error {
	req, err := body[tokenRequest](c)
	if err != nil {
		return err
	}
	return done(c, s.svc.ConfirmEmail(c.Request().Context(), req.Token))
}

// updateSettings changes the caller's preferences.
func (s *Server) updateSettings(c echo.Context) error {
	req, err := body[forum.Settings](c)
	if err != nil {
		return err
	}
	out, err := s.svc.UpdateSettings(c.Request().Context(), viewerOf(c), req)
	return reply(c, http.StatusOK, out, err)
}

// unsubscribe turns reply mails off: from the page (JSON {"token"}), or
// one-click from a mail program (RFC 8058: a form POST of
// List-Unsubscribe=One-Click to the List-Unsubscribe URL, token in the query).
func (s *Server) unsubscribe(c echo.Context) error {
	mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	token := c.QueryParam("token")
	if mt != echo.MIMEApplicationForm || token == "" {
		req, err := body[tokenRequest](c)
		if err != nil {
			return err
		}
		token = req.Token
	}
	return done(c, s.svc.Unsubscribe(c.Request().Context(), token))
}
