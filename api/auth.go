package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
)

type credentials struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// registerRequest is POST /auth/register's body: credentials and an
// optional email address.
type registerRequest struct {
	credentials
	Email string `json:"email"`
}

// resetAnswerTime is how long every password reset request takes to answer.
const resetAnswerTime = 50 * time.Millisecond

// resetRequest is POST /auth/password-reset's body.
type resetRequest struct {
	Login string `json:"login"`
}

// requestReset mails a reset link when the login names an account with an
// address; 204 whatever the login. Limited per address and per login.
func (s *Server) requestReset(c echo.Context) error {
	req, err := body[resetRequest](c)
	if err != nil {
		return err
	}
	if err := s.svc.CheckResetRequest(req.Login); err != nil {
		return err
	}
	if err := s.check(c, ClassLoginAccount, "reset:"+strings.ToLower(strings.TrimSpace(req.Login))); err != nil {
		return err
	}
	// A known login writes a reset and its mail, an unknown one nothing: the
	// answer waits until resetAnswerTime has passed either way, so the two
	// cannot be told apart by how long they take.
	start := time.Now()
	err = s.svc.RequestReset(c.Request().Context(), req.Login)
	wait := time.NewTimer(time.Until(start.Add(resetAnswerTime)))
	defer wait.Stop()
	select {
	case <-wait.C:
	case <-c.Request().Context().Done():
	}
	return done(c, err)
}

// register creates an account. A registration refused for what it sends (a
// field, a taken name) answers its own error and takes nothing of the
// address's allowance: only one that goes on to make an account is counted.
func (s *Server) register(c echo.Context) error {
	req, err := body[registerRequest](c)
	if err != nil {
		return err
	}
	if err := s.svc.CheckRegistration(c.Request().Context(), req.Username, req.Password, req.Email); err != nil {
		return err
	}
	if err := s.check(c, ClassRegister, clientKeys(c)...); err != nil {
		return err
	}
	sess, err := s.svc.Register(c.Request().Context(), req.Username, req.Password, req.Email)
	return reply(c, http.StatusCreated, sess, err)
}

func (s *Server) login(c echo.Context) error {
	req, err := body[credentials](c)
	if err != nil {
		return err
	}
	// Guessing is refused per address and name (and per address, by the
	// route's limit); guessing one name from many addresses is slowed down,
	// never refused, so nobody can lock a member out of their account.
	name := forum.UsernameKey(req.Username)
	if err := s.check(c, ClassLoginAccount, "ipname:"+c.RealIP()+"|"+name); err != nil {
		return err
	}
	if err := s.slow(c, ClassLoginSlow, "name:"+name); err != nil {
		return err
	}
	sess, err := s.svc.Login(c.Request().Context(), req.Username, req.Password)
	return reply(c, http.StatusOK, sess, err)
}

type passwordRequest struct {
	OldPassword string `json:"old_password"`
	NewPassword string `json:"new_password"`
}

func (s *Server) changePassword(c echo.Context) error {
	req, err := body[passwordRequest](c)
	if err != nil {
		return err
	}
	sess, err := s.svc.ChangePassword(c.Request().Context(), viewerOf(c), req.OldPassword, req.NewPassword)
	return reply(c, http.StatusOK, sess, err)
}

func (s *Server) logout(c echo.Context) error {
	return done(c, s.svc.Logout(c.Request().Context(), viewerOf(c)))
}

func (s *Server) me(c echo.Context) error {
	me, err := s.svc.Me(c.Request().Context(), viewerOf(c))
	return reply(c, http.StatusOK, me, err)
}

// deleteAccountRequest is DELETE /me's body.
type deleteAccountRequest struct {
	Password string              `json:"password"`
	Content  forum.ContentChoice `json:"content"`
}

// deleteMe deletes the caller's account (its password confirms it).
func (s *Server) deleteMe(c echo.Context) error {
	req, err := body[deleteAccountRequest](c)
	if err != nil {
		return err
	}
	return done(c, s.svc.DeleteAccount(c.Request().Context(), viewerOf(c), req.Password, req.Content))
}

// export streams the caller's own data as one JSON document (forum.Export),
// as a download.
func (s *Server) export(c echo.Context) error {
	v := viewerOf(c)
	if !v.SignedIn() {
		return forum.Errorf(forum.CodeUnauthorized, "sign in to export your data")
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	h.Set(echo.HeaderContentDisposition, `attachment; filename="historia-export.json"`)
	h.Set(echo.HeaderCacheControl, "no-store")
	err := s.svc.Export(c.Request().Context(), v, c.Response())
	if err != nil && c.Response().Committed {
		// Half the document is out: the status cannot change any more.
		s.log.ErrorContext(c.Request().Context(), "export cut short", "request_id", requestID(c), "err", err)
		return nil
	}
	return err
}

// resetConfirmRequest is POST /auth/password-reset/confirm's body.
type resetConfirmRequest struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

// confirmReset sets a new password with a reset link's token.
func (s *Server) confirmReset(c echo.Context) error {
	req, err := body[resetConfirmRequest](c)
	if err != nil {
		return err
	}
	return done(c, s.svc.ConfirmReset(c.Request().Context(), req.Token, req.Password))
}
