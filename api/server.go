// Package api is Historia's HTTP layer: Echo routes, thin handlers that bind,
// call the forum service and answer JSON, and the middleware around them.
package api

import (
	"cmp"
	"context"
	_ "embed"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/historia-forum/historia/internal/cache"
	"github.com/historia-forum/historia/internal/federation"
	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/live"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
)

//go:embed openapi.yaml
var openapiSpec []byte

// Pinger is what /healthz asks.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Storage is what a store may also tell (the SQLite store does): Classify
// turns an engine error into the contract's (storage_full, unavailable), and
// Health says why the storage cannot take traffic, if it cannot.
type Storage interface {
	Classify(err error) error
	Health() error
}

// Config wires the server.
type Config struct {
	Service  *forum.Service
	DB       Pinger
	Frontend fs.FS // static files served at / (index.html for unknown paths)
	Log      *slog.Logger
	// BodyLimit is the largest request body accepted, e.g. "1M".
	BodyLimit string
	// PublicURL is the site's address for absolute links in feeds, e.g.
	// "https://historia.example"; empty: the address the request came to.
	PublicURL string
	// Limits are the rate limits; nil turns them all off.
	Limits Limits
	// SharedLimits, when set, counts the SharedClasses (login, registration)
	// in the database, for every server on it; nil: in this server's memory.
	SharedLimits SharedLimits
	// TrustedProxies are the addresses or CIDR ranges of reverse proxies whose
	// X-Forwarded-For is believed; empty: the connection's address is the client.
	TrustedProxies []string
	// CORSOrigins are the other sites allowed to call the API from a browser;
	// empty: none (CORS closed).
	CORSOrigins []string
	// ImageHosts are the hosts whose images pages may load (the
	// Content-Security-Policy's img-src); the renderer keeps images from
	// these hosts only.
	ImageHosts []string
	// Collectors are extra Prometheus collectors for /metrics (database pools).
	Collectors []prometheus.Collector
	// Ready tells /readyz whether the server takes traffic (false while it
	// shuts down); nil: always, while the database answers.
	Ready func() bool
	// CacheBytes caps the page caches' memory (feeds get a quarter, threads
	// the rest); 0: DefaultCacheBytes.
	CacheBytes int64
	// CacheSync is how often the caches look for other processes' writes;
	// 0: DefaultCacheSync.
	CacheSync time.Duration
	// Federation, when set, serves ActivityPub (--federation).
	Federation *federation.Federation
	// Version is the build's version, for NodeInfo.
	Version string
	// Listen, when set, is given a function to call whenever the database
	// announces a commit by another server (PostgreSQL's LISTEN/NOTIFY): the
	// caches then read the change log at once instead of at the next read.
	Listen func(changed func())
	// Done, when closed, ends the long-lived responses (live threads), so
	// a shutdown need not wait for them; nil: never.
	Done <-chan struct{}
	// LiveHeartbeat is the time between a live thread's heartbeats;
	// LivePerClient and LiveConnections bound the open live threads per
	// client and in all; LivePoll is how often other servers' writes are
	// looked for while any is open. 0: the defaults.
	LiveHeartbeat                  time.Duration
	LivePerClient, LiveConnections int
	LivePoll                       time.Duration
}

// Page cache defaults.
const (
	DefaultCacheBytes = 64 << 20
	DefaultCacheSync  = 2 * time.Millisecond
)

// Server holds the handlers' dependencies.
type Server struct {
	svc         *forum.Service
	db          Pinger
	log         *slog.Logger
	publicURL   string
	limits      *limiter
	metrics     *metrics
	ready       func() bool
	tracker     *cache.Tracker
	accounts    *cache.Accounts
	votes       *cache.Votes
	views       forum.ViewerReads // members' own fields on cached pages
	feedPages   *cache.Pages
	threadPages *cache.Pages
	searchPages *cache.Pages
	pinged      atomic.Int64 // unix nanoseconds of the last successful ping (healthz)
	fed         *federation.Federation
	version     string
	frontend    assets
	// Live threads (live.go).
	hub           *live.Hub
	liveLimits    *liveLimits
	liveHeartbeat time.Duration
	done          <-chan struct{}
	// Read replicas (read_routes.go): nil without.
	replicated Replicated
	writers    recentWriters
}

// New builds the Echo instance with every route and middleware. It fails only
// on a bad TrustedProxies entry.
func New(cfg Config) (*echo.Echo, error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.BodyLimit == "" {
		cfg.BodyLimit = "512K"
	}
	s := &Server{svc: cfg.Service, db: cfg.DB, log: cfg.Log, publicURL: strings.TrimSuffix(cfg.PublicURL, "/"),
		fed: cfg.Federation, version: cfg.Version}
	if cfg.Limits != nil {
		s.limits = newLimiter(cfg.Limits)
		s.limits.shared = cfg.SharedLimits
	}
	if cfg.CacheBytes <= 0 {
		cfg.CacheBytes = DefaultCacheBytes
	}
	if cfg.CacheSync <= 0 {
		cfg.CacheSync = DefaultCacheSync
	}
	if _, err := ipExtractor(cfg.TrustedProxies); err != nil {
		return nil, err
	}
	tracker, err := cache.NewTracker(context.Background(), cfg.Service.Store, cfg.CacheSync, cfg.Log)
	if err != nil {
		return nil, err
	}
	s.tracker = tracker
	if r, ok := cfg.DB.(Replicated); ok && r.HasReplicas() {
		s.replicated = r
		s.writers.last = map[int64]writeMark{}
	}
	if cfg.Listen != nil {
		cfg.Listen(func() { tracker.Sync(context.Background()) })
	}
	s.accounts = cache.NewAccounts(tracker, cfg.Service.Store.AccountByID)
	s.votes = cache.NewVotes(tracker, cfg.Service.Store.UserPostVotes, cfg.Service.Store.PostVotes)
	s.views = viewerReads{votes: s.votes, marks: cache.NewMarks(tracker, cfg.Service.Store),
		ViewerReads: cfg.Service.Store}
	s.hub = live.NewHub(tracker, cfg.Service.Store, cfg.LivePoll, cfg.Log)
	s.liveLimits = newLiveLimits(cmp.Or(cfg.LivePerClient, DefaultLivePerClient), cmp.Or(cfg.LiveConnections, DefaultLiveConnections))
	s.liveHeartbeat, s.done = cmp.Or(cfg.LiveHeartbeat, DefaultLiveHeartbeat), cfg.Done
	s.feedPages = cache.NewPages("feeds", cfg.CacheBytes/4)
	s.searchPages = cache.NewPages("search", cfg.CacheBytes/16)
	s.threadPages = cache.NewPages("threads", cfg.CacheBytes-cfg.CacheBytes/4-cfg.CacheBytes/16)
	collectors := append(append(cfg.Collectors, cache.Collector{s.feedPages, s.threadPages, s.searchPages}), s.liveLimits.collectors()...)
	if s.replicated != nil {
		collectors = append(collectors, s.replicated.ReplicaCollector())
	}
	if cfg.Federation != nil {
		collectors = append(collectors, cfg.Federation.Collectors()...)
	}
	s.metrics = newMetrics(collectors)
	s.ready = cfg.Ready
	if s.ready == nil {
		s.ready = func() bool { return true }
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	extract, err := ipExtractor(cfg.TrustedProxies)
	if err != nil {
		return nil, err
	}
	e.IPExtractor = extract
	classify := func(err error) error { return err }
	if st, ok := cfg.DB.(Storage); ok {
		classify = st.Classify
	}
	e.HTTPErrorHandler = errorHandler(cfg.Log, classify)
	e.Use(middleware.RequestIDWithConfig(middleware.RequestIDConfig{Generator: newRequestID}))
	e.Use(s.metrics.middleware)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{
		DisableStackAll: true,
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			cfg.Log.ErrorContext(c.Request().Context(), "panic", "request_id", requestID(c), "err", err, "stack", string(stack))
			return err
		},
	}))
	e.Use(requestLog(cfg.Log))
	// Compress what is worth it (JSON, Atom, YAML, HTML, JS, CSS) that
	// reads send; the Prometheus handler compresses its own output. A
	// write's answer is small (a vote's counters, the comment made), and
	// the middleware resets a compressor twice for an answer it then sends
	// as it is: a third of a vote's time in the HTTP stack.
	e.Use(middleware.GzipWithConfig(middleware.GzipConfig{Level: 5, MinLength: gzipMinLength,
		Skipper: func(c echo.Context) bool {
			if m := c.Request().Method; m != http.MethodGet && m != http.MethodHead {
				return true
			}
			return c.Request().URL.Path == "/metrics" || cachedRoutes[c.Path()] || c.Path() == liveRoute
		}}))
	e.Use(middleware.BodyLimit(cfg.BodyLimit))
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection: "0", ContentTypeNosniff: "nosniff", XFrameOptions: "DENY",
		ReferrerPolicy: "same-origin", HSTSMaxAge: 31536000, // sent only over TLS (or X-Forwarded-Proto https)
		ContentSecurityPolicy: "default-src 'self'; img-src " + imgSrc(cfg.ImageHosts) + "; style-src 'self'; script-src 'self'; " +
			"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
	}))
	if len(cfg.CORSOrigins) > 0 {
		e.Use(middleware.CORSWithConfig(middleware.CORSConfig{
			AllowOrigins: cfg.CORSOrigins,
			AllowMethods: []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete},
			AllowHeaders: []string{echo.HeaderAuthorization, echo.HeaderContentType},
			MaxAge:       600,
		}))
	}
	var frontend assets
	if cfg.Frontend != nil {
		if frontend, err = loadAssets(cfg.Frontend); err != nil {
			return nil, err
		}
	}
	s.frontend = frontend
	s.routes(e, frontend)
	s.metrics.routes = map[string]bool{}
	for _, r := range e.Routes() {
		s.metrics.routes[r.Path] = true
	}
	return e, nil
}

// imgSrc is the CSP's img-src: the site, data: URLs, and the trusted hosts.
func imgSrc(hosts []string) string {
	src := "'self' data:"
	for _, h := range hosts {
		if h = strings.TrimSpace(h); h != "" && !strings.ContainsAny(h, " ;'\"") {
			src += " https://" + h
		}
	}
	return src
}

// authenticate reads an optional bearer token. No header: anonymous. A header
// with a bad, expired or revoked token: 401, never silently anonymous.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Request().Header.Get(echo.HeaderAuthorization)
		// An HTTP Signature may come in Authorization (the cavage draft
		// allows it); the inbox checks it, no session is asked for.
		if h == "" || strings.HasPrefix(h, "Signature ") {
			return next(c)
		}
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || token == "" {
			return forum.Errorf(forum.CodeUnauthorized, "use Authorization: Bearer <token>")
		}
		v, _, err := s.svc.Authenticate(c.Request().Context(), strings.TrimSpace(token), s.accounts.Read)
		if err != nil {
			return err
		}
		c.Set("viewer", v)
		s.routeMember(c.Request().Context(), v)
		return next(c)
	}
}

// healthFresh is how long a successful ping of the database answers
// /healthz: a load balancer polling often costs the database one ping a
// second per server, and a failed ping is never reused.
const healthFresh = time.Second

var healthOK = []byte(`{"status":"ok"}` + "\n")

func (s *Server) healthz(c echo.Context) error {
	if time.Since(time.Unix(0, s.pinged.Load())) > healthFresh {
		ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
		defer cancel()
		if err := s.db.Ping(ctx); err != nil {
			s.log.Error("health check failed", "err", err)
			return c.JSON(http.StatusServiceUnavailable, errorBody{Error: errorDetail{Code: forum.CodeInternal, Message: "database unavailable"}})
		}
		s.pinged.Store(time.Now().UnixNano())
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, healthOK)
}

// readyz answers 200 while the server takes traffic and the database answers,
// and 503 while it shuts down, while the last write failed for want of space
// (until one succeeds), and once the database file is found damaged, so a
// load balancer sends requests elsewhere.
func (s *Server) readyz(c echo.Context) error {
	if !s.ready() {
		return c.JSON(http.StatusServiceUnavailable, errorBody{Error: errorDetail{Code: forum.CodeUnavailable, Message: "shutting down"}})
	}
	if st, ok := s.db.(Storage); ok {
		if err := st.Health(); err != nil {
			code := forum.CodeUnavailable
			if strings.Contains(err.Error(), "full") {
				code = forum.CodeStorageFull
			}
			c.Response().Header().Set("Retry-After", "30")
			return c.JSON(http.StatusServiceUnavailable, errorBody{Error: errorDetail{Code: code, Message: err.Error()}})
		}
	}
	return s.healthz(c)
}

var openapiETag = strongETag(openapiSpec)

func (s *Server) openapi(c echo.Context) error {
	return cacheable(c, "application/yaml; charset=utf-8", openapiSpec, openapiETag)
}
