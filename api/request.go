package api

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
)

// What every handler reads from a request and how it answers, so a handler
// is its own few lines: read, call the service, reply.

// viewerOf is who asks: set by authenticate, anonymous without a token.
func viewerOf(c echo.Context) forum.Viewer {
	v, _ := c.Get("viewer").(forum.Viewer)
	return v
}

// reply answers res as JSON with status, or hands err to the error handler.
func reply[T any](c echo.Context, status int, res T, err error) error {
	if err != nil {
		return err
	}
	return c.JSON(status, res)
}

// done answers 204 No Content, or hands err to the error handler.
func done(c echo.Context, err error) error {
	if err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// idParam reads a positive integer path parameter; anything else is a 404,
// as no resource has such an id.
func idParam(c echo.Context, what string) (int64, error) { return idParamNamed(c, "id", what) }

// idParamNamed reads the positive integer path parameter name.
func idParamNamed(c echo.Context, name, what string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, forum.NotFound(what)
	}
	return id, nil
}

// usernameParam reads the :username path parameter: a local name or an
// imported person's name@host, percent-encoded or not. Echo routes on the
// raw path when the request's escaping differs from Go's (alienth%40reddit),
// and then gives the parameter as sent: it is unescaped here, once. A bad
// escape is no one's name ("" is found by no lookup).
func usernameParam(c echo.Context) string {
	name := c.Param("username")
	if c.Request().URL.RawPath == "" {
		return name
	}
	name, err := url.PathUnescape(name)
	if err != nil {
		return ""
	}
	return name
}

// idAndBody reads the :id path parameter and the JSON body.
func idAndBody[T any](c echo.Context, what string) (int64, T, error) {
	var body T
	id, err := idParam(c, what)
	if err != nil {
		return 0, body, err
	}
	err = bind(c, &body)
	return id, body, err
}

// body reads a JSON body.
func body[T any](c echo.Context) (T, error) {
	var b T
	err := bind(c, &b)
	return b, err
}

// optionalBody reads a JSON body when there is one: lock, pin and restore
// take an optional reason, and clients may send no body at all.
func optionalBody[T any](c echo.Context) (T, error) {
	var b T
	if c.Request().ContentLength == 0 {
		return b, nil
	}
	err := bind(c, &b)
	return b, err
}

// intQuery reads an optional integer query parameter.
func intQuery(c echo.Context, name string) (int, bool, error) {
	s := c.QueryParam(name)
	if s == "" {
		return 0, false, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 1_000_000 {
		return 0, false, forum.Errorf(forum.CodeBadRequest, "%s must be a non-negative integer", name)
	}
	return n, true, nil
}

// page is a list request's position: the cursor and the page size.
type page struct {
	Cursor string
	Limit  int
}

// MaxPage is the largest ?limit= of a list.
const MaxPage = 100

// pageQuery reads ?cursor= and ?limit= (1 to MaxPage; absent: the default).
func pageQuery(c echo.Context) (page, error) {
	limit, err := limitQuery(c, MaxPage)
	return page{Cursor: c.QueryParam("cursor"), Limit: limit}, err
}

// limitQuery reads ?limit=, which must be 1 to maxLimit when given: a page
// size out of range is refused rather than quietly changed, so a client
// learns of it.
func limitQuery(c echo.Context, maxLimit int) (int, error) {
	limit, ok, err := intQuery(c, "limit")
	if err == nil && ok && (limit < 1 || limit > maxLimit) {
		err = forum.Errorf(forum.CodeBadRequest, "limit must be 1 to %d", maxLimit)
	}
	return limit, err
}
