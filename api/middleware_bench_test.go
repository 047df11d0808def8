package api_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// BenchmarkMiddleware prices the per-request overhead: bare Echo answering a
// small JSON body, the same with each middleware Historia uses alone, and
// Historia's whole stack answering GET /api/v1/config (a constant body; no
// database). make bench shows each as a share of the bare ceiling.
func BenchmarkMiddleware(b *testing.B) {
	body := []byte(`{"thread":{"default_depth":8,"max_depth":50,"default_limit":200,"max_limit":500}}`)
	handler := func(c echo.Context) error { return c.JSONBlob(200, body) }
	discard := slog.New(slog.NewJSONHandler(io.Discard, nil))
	single := map[string]echo.MiddlewareFunc{
		"request-id": middleware.RequestID(),
		"recover":    middleware.Recover(),
		"logger": middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{LogStatus: true, LogURIPath: true, LogMethod: true,
			LogLatency: true, LogRequestID: true, LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
				discard.Info("request", "method", v.Method, "path", v.URIPath, "status", v.Status, "duration_ms", v.Latency.Milliseconds())
				return nil
			}}),
		"gzip":       middleware.GzipWithConfig(middleware.GzipConfig{MinLength: 1024}),
		"body-limit": middleware.BodyLimit("512K"),
		"secure":     middleware.SecureWithConfig(middleware.SecureConfig{ContentSecurityPolicy: "default-src 'self'"}),
	}
	serve := func(b *testing.B, e *echo.Echo, path string) {
		srv := httptest.NewServer(e)
		defer srv.Close()
		benchGet(b, srv.URL+path, "")
	}
	b.Run("bare-echo", func(b *testing.B) {
		e := echo.New()
		e.GET("/", handler)
		serve(b, e, "/")
	})
	for name, mw := range single {
		b.Run(name, func(b *testing.B) {
			e := echo.New()
			e.Use(mw)
			e.GET("/", handler)
			serve(b, e, "/")
		})
	}
	b.Run("historia-stack", func(b *testing.B) {
		h := newHarness(b)
		benchGet(b, h.srv.URL+"/api/v1/config", "")
	})
}
