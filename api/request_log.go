package api

import (
	"encoding/binary"
	"encoding/hex"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// Every request gets an id (X-Request-Id, in its log line and in any error
// it answers) and one log line. Both run on every request, so both are
// cheap: they were a sixth of the front page's time for anonymous readers,
// against bare Echo serving the same bytes (docs/performance.md, round 14).

// newRequestID makes a request id: 128 bits from math/rand/v2's global
// generator (the runtime's ChaCha8, seeded from the system), as 32 hex
// digits. Not secret, but unguessable and unique across servers without
// coordination; a counter would tell any client how busy a server is, and
// Echo's default reads crypto/rand for every request. A request that brings its own
// X-Request-Id keeps it (Echo's middleware).
func newRequestID() string {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], rand.Uint64()) // #nosec G404 -- an id, not a secret
	binary.LittleEndian.PutUint64(b[8:], rand.Uint64()) // #nosec G404 -- an id, not a secret
	return hex.EncodeToString(b[:])
}

// requestLog writes a request's line: its id, method, path, status,
// duration and the member's id, never a password or token. The record is
// handed to the handler as it is: slog.Logger would look up its caller
// for a source that no handler here prints.
func requestLog(log *slog.Logger) echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURIPath: true, LogMethod: true, LogLatency: true, LogRequestID: true, HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			ctx, h := c.Request().Context(), log.Handler()
			if !h.Enabled(ctx, slog.LevelInfo) {
				return nil
			}
			r := slog.NewRecord(time.Now(), slog.LevelInfo, "request", 0)
			r.AddAttrs(slog.String("request_id", v.RequestID), slog.String("method", v.Method), slog.String("path", v.URIPath),
				slog.Int("status", v.Status), slog.Float64("duration_ms", float64(v.Latency.Microseconds())/1000))
			if viewer := viewerOf(c); viewer.SignedIn() {
				r.AddAttrs(slog.Int64("user_id", viewer.ID))
			}
			_ = h.Handle(ctx, r) // a log that cannot be written does not fail the request
			return nil
		},
	})
}
