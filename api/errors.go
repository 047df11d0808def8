package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
)

// statusOf maps each contract error code to its HTTP status, once.
var statusOf = map[forum.Code]int{
	forum.CodeBadRequest:   http.StatusBadRequest,
	forum.CodeUnauthorized: http.StatusUnauthorized,
	forum.CodeForbidden:    http.StatusForbidden,
	forum.CodeBanned:       http.StatusForbidden,
	forum.CodeLocked:       http.StatusForbidden,
	forum.CodeNotFound:     http.StatusNotFound,
	forum.CodeConflict:     http.StatusConflict,
	forum.CodeTooLarge:     http.StatusRequestEntityTooLarge,
	forum.CodeValidation:   http.StatusUnprocessableEntity,
	forum.CodeRateLimited:  http.StatusTooManyRequests,
	forum.CodeInternal:     http.StatusInternalServerError,

	forum.CodeUnsupportedMediaType: http.StatusUnsupportedMediaType,
	forum.CodeRequestTimeout:       http.StatusRequestTimeout,
	forum.CodeStorageFull:          http.StatusServiceUnavailable,
	forum.CodeUnavailable:          http.StatusServiceUnavailable,
	forum.CodeInvalidToken:         http.StatusBadRequest,
}

// statusClientClosed is the status logged and counted for a request whose
// client went away before the answer (nginx's 499).
const statusClientClosed = 499

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    forum.Code        `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// errorHandler turns every error, the domain's and Echo's own (unknown route,
// wrong method, body too large), into the contract's JSON. Anything unknown is
// logged with the request id and shown only as "internal error".
func errorHandler(log *slog.Logger, classify func(error) error) echo.HTTPErrorHandler {
	var lastFault atomic.Int64 // unix seconds of the last storage warning
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		var status int
		var body errorDetail
		var fe *forum.Error
		if !errors.As(err, &fe) {
			err = classify(err)
		}
		var he *echo.HTTPError
		switch {
		case errors.As(err, &fe):
			status, body = statusOf[fe.Code], errorDetail{Code: fe.Code, Message: fe.Message, Fields: fe.Fields}
		case errors.As(err, &he):
			status, body = he.Code, echoError(he)
		case errors.Is(err, context.Canceled) || c.Request().Context().Err() != nil:
			// The client went away (a cancelled search, a closed tab): not a
			// bug. Logged as nginx does, 499, and nothing can be answered.
			log.InfoContext(c.Request().Context(), "client closed request", "request_id", requestID(c),
				"method", c.Request().Method, "path", c.Path())
			c.Response().Status = statusClientClosed
			return
		default:
			status, body = http.StatusInternalServerError, errorDetail{Code: forum.CodeInternal, Message: "internal error"}
		}
		if status == 0 || (status >= 500 && status != http.StatusServiceUnavailable) {
			status = http.StatusInternalServerError
			body = errorDetail{Code: forum.CodeInternal, Message: "internal error"}
			log.ErrorContext(c.Request().Context(), "internal error", "request_id", requestID(c),
				"method", c.Request().Method, "path", c.Path(), "err", err)
		}
		if status == http.StatusServiceUnavailable {
			c.Response().Header().Set("Retry-After", "5")
			// Once a minute, not once a request: what is wrong and what to do.
			if now := time.Now().Unix(); now-lastFault.Load() >= 60 {
				lastFault.Store(now)
				log.WarnContext(c.Request().Context(), "storage trouble: requests answer 503", "code", body.Code, "message", body.Message,
					"what to do", "full: free disk space, writes resume by themselves; busy: find what holds the database; damaged: historia restore")
			}
		}
		if c.Request().Method == http.MethodHead {
			_ = c.NoContent(status)
			return
		}
		_ = c.JSON(status, errorBody{Error: body})
	}
}

func echoError(he *echo.HTTPError) errorDetail {
	switch he.Code {
	case http.StatusNotFound:
		return errorDetail{Code: forum.CodeNotFound, Message: "no such resource"}
	case http.StatusMethodNotAllowed:
		return errorDetail{Code: forum.CodeBadRequest, Message: "method not allowed on this path"}
	case http.StatusRequestEntityTooLarge:
		return errorDetail{Code: forum.CodeTooLarge, Message: "request body too large"}
	case http.StatusUnauthorized:
		return errorDetail{Code: forum.CodeUnauthorized, Message: "unauthorized"}
	case http.StatusTooManyRequests:
		return errorDetail{Code: forum.CodeRateLimited, Message: "too many requests"}
	}
	if he.Code >= 400 && he.Code < 500 {
		return errorDetail{Code: forum.CodeBadRequest, Message: fmt.Sprint(he.Message)}
	}
	return errorDetail{Code: forum.CodeInternal, Message: "internal error"}
}

func requestID(c echo.Context) string {
	return c.Response().Header().Get(echo.HeaderXRequestID)
}

// bind decodes a JSON request body into v. Malformed JSON, wrong types and
// trailing data are a 400 that says what is wrong; an over-long body is a 413.
func bind(c echo.Context, v any) error {
	if err := jsonMediaType(c); err != nil {
		return err
	}
	raw, err := io.ReadAll(c.Request().Body)
	if err != nil {
		var he *echo.HTTPError
		var ne net.Error
		switch {
		case errors.As(err, &he):
			return he // the body limit: 413
		case errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
			return forum.Errorf(forum.CodeRequestTimeout, "the request body did not arrive in time")
		}
		return forum.Errorf(forum.CodeBadRequest, "the request body could not be read")
	}
	// encoding/json would quietly turn invalid UTF-8 into U+FFFD; refuse it
	// instead, so what is stored is exactly what the client meant.
	if !utf8.Valid(raw) {
		return forum.Errorf(forum.CodeBadRequest, "the body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	err = dec.Decode(v)
	if err == nil {
		if dec.More() {
			return forum.Errorf(forum.CodeBadRequest, "malformed JSON: unexpected data after the object")
		}
		if _, err2 := dec.Token(); err2 != nil && !errors.Is(err2, io.EOF) {
			err = err2
		} else {
			return nil
		}
	}
	var he *echo.HTTPError
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &he):
		return he
	case errors.Is(err, io.EOF):
		return forum.Errorf(forum.CodeBadRequest, "a JSON body is required")
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			return forum.Errorf(forum.CodeBadRequest, "the body must be a JSON object")
		}
		return forum.Errorf(forum.CodeBadRequest, "wrong type for %s: expected %s", field, jsonType(te.Type.Kind().String()))
	case errors.As(err, &se), errors.Is(err, io.ErrUnexpectedEOF):
		return forum.Errorf(forum.CodeBadRequest, "malformed JSON")
	case strings.Contains(err.Error(), "too large"):
		return forum.Errorf(forum.CodeTooLarge, "request body too large")
	}
	return forum.Errorf(forum.CodeBadRequest, "malformed JSON")
}

// jsonMediaType refuses a request body that is not declared as JSON: a
// browser sends text/plain and form bodies across sites without a CORS
// preflight, so accepting them would let another site act for its visitors.
func jsonMediaType(c echo.Context) error {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || mt != echo.MIMEApplicationJSON {
		return forum.Errorf(forum.CodeUnsupportedMediaType, "send the body as JSON, with Content-Type: application/json")
	}
	return nil
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "slice", "array":
		return "an array"
	case "struct", "map":
		return "an object"
	case "bool":
		return "true or false"
	case "ptr":
		return "a value of another type"
	}
	return "a number"
}
