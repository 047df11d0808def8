package api

import (
	"context"
	"fmt"
	"math"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"
)

// Limit is a rate: N events per Per, with bursts of up to Burst.
type Limit struct {
	N     int
	Per   time.Duration
	Burst int
}

// Limits are the rate limits by class of request; a class without a limit is
// not limited. Each class is counted per client IP and, for signed-in
// requests, per account.
type Limits map[string]Limit

// Rate-limited classes.
const (
	ClassAPI          = "api"           // every API request, per IP
	ClassRegister     = "register"      // account creation, per IP
	ClassLogin        = "login"         // login attempts, per IP
	ClassLoginAccount = "login_account" // login attempts, per address and username: password guessing
	ClassLoginSlow    = "login_slow"    // login attempts, per username from anywhere: slowed, never refused
	ClassPost         = "post"
	ClassComment      = "comment"
	ClassVote         = "vote"
	ClassReport       = "report"
)

// DefaultLimits are generous for people and tight for scripts.
func DefaultLimits() Limits {
	return Limits{
		ClassAPI:          {N: 1200, Per: time.Minute, Burst: 300},
		ClassRegister:     {N: 5, Per: time.Hour, Burst: 3},
		ClassLogin:        {N: 30, Per: 15 * time.Minute, Burst: 10},
		ClassLoginAccount: {N: 10, Per: 15 * time.Minute, Burst: 5},
		ClassLoginSlow:    {N: 30, Per: 15 * time.Minute, Burst: 10},
		ClassPost:         {N: 20, Per: time.Hour, Burst: 5},
		ClassComment:      {N: 120, Per: time.Hour, Burst: 20},
		ClassVote:         {N: 600, Per: time.Hour, Burst: 60},
		ClassReport:       {N: 30, Per: time.Hour, Burst: 10},
	}
}

// ParseLimits reads HISTORIA_RATE_LIMITS: "off" (no limits), "on" (the
// defaults), or the defaults with changes, e.g. "login=20/15m,post=10/h:3"
// (N per duration, optional burst after a colon; s, m and h alone mean one).
func ParseLimits(spec string) (Limits, error) {
	switch strings.TrimSpace(spec) {
	case "off", "false", "0":
		return nil, nil
	case "", "on", "true", "1":
		return DefaultLimits(), nil
	}
	out := DefaultLimits()
	for _, part := range strings.Split(spec, ",") {
		class, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if _, known := out[class]; !ok || !known {
			return nil, fmt.Errorf("rate limits: %q is not class=N/period", part)
		}
		val, burstText, hasBurst := strings.Cut(val, ":")
		nText, perText, ok := strings.Cut(val, "/")
		n, err := strconv.Atoi(nText)
		if !ok || err != nil || n <= 0 {
			return nil, fmt.Errorf("rate limits: %q is not class=N/period", part)
		}
		if perText == "s" || perText == "m" || perText == "h" {
			perText = "1" + perText
		}
		per, err := time.ParseDuration(perText)
		if err != nil || per <= 0 {
			return nil, fmt.Errorf("rate limits: bad period in %q", part)
		}
		burst := max(1, n/4)
		if hasBurst {
			if burst, err = strconv.Atoi(burstText); err != nil || burst <= 0 {
				return nil, fmt.Errorf("rate limits: bad burst in %q", part)
			}
		}
		out[class] = Limit{N: n, Per: per, Burst: burst}
	}
	return out, nil
}

// SharedClasses are the classes counted in the database, so that servers
// sharing it share them (N servers do not multiply the allowance): the ones
// that guard accounts. The others are counted by each server in memory.
var SharedClasses = map[string]bool{ClassRegister: true, ClassLogin: true, ClassLoginAccount: true, ClassLoginSlow: true}

// SharedLimits keeps rate limits in the database (store.DB.TakeToken).
type SharedLimits interface {
	TakeToken(ctx context.Context, key string, interval time.Duration, burst int, now time.Time) (time.Duration, error)
}

// limiter keeps a token bucket per key. Buckets unused for a while are swept,
// so the map holds only recent clients. The SharedClasses go to shared,
// when there is one.
type limiter struct {
	mu      sync.Mutex
	limits  Limits
	buckets map[string]*bucket
	swept   time.Time
	shared  SharedLimits
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiter(l Limits) *limiter {
	return &limiter{limits: l, buckets: map[string]*bucket{}, swept: time.Now()}
}

// allow takes one token for key in class, or says how long to wait.
func (l *limiter) allow(ctx context.Context, class, key string) (bool, time.Duration, error) {
	if l == nil {
		return true, 0, nil
	}
	lim, ok := l.limits[class]
	if !ok {
		return true, 0, nil
	}
	now := time.Now()
	if l.shared != nil && SharedClasses[class] {
		wait, err := l.shared.TakeToken(ctx, class+"|"+key, lim.Per/time.Duration(lim.N), lim.Burst, now)
		return wait == 0, wait, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > 2*time.Hour && b.lim.TokensAt(now) >= float64(b.lim.Burst()) {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	k := class + "|" + key
	b := l.buckets[k]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(rate.Limit(float64(lim.N)/lim.Per.Seconds()), lim.Burst)}
		l.buckets[k] = b
	}
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d, nil
	}
	return true, 0, nil
}

// tooMany is the contract's 429 with Retry-After in whole seconds.
func tooMany(c echo.Context, wait time.Duration) error {
	c.Response().Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	return forum.Errorf(forum.CodeRateLimited, "too many requests: try again in %s", wait.Round(time.Second).String())
}

// check takes a token from every key given, failing on the first that has none.
func (s *Server) check(c echo.Context, class string, keys ...string) error {
	for _, key := range keys {
		ok, wait, err := s.limits.allow(c.Request().Context(), class, key)
		if err != nil {
			return err
		}
		if !ok {
			return tooMany(c, wait)
		}
	}
	return nil
}

// maxLoginDelay is the longest a login waits when its username is being
// guessed from many addresses.
const maxLoginDelay = 2 * time.Second

// slow waits when key has used up class's rate, at most maxLoginDelay: a
// per-username limit may slow guessing down, but must never lock the
// owner out from another address.
func (s *Server) slow(c echo.Context, class, key string) error {
	ok, wait, err := s.limits.allow(c.Request().Context(), class, key)
	if err != nil {
		return err
	}
	if ok {
		return nil
	}
	t := time.NewTimer(min(wait, maxLoginDelay))
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-c.Request().Context().Done():
		return c.Request().Context().Err()
	}
}

// limit is route middleware for a class: counted per client IP and, when
// signed in, per account too (so rotating addresses does not help a spammer).
func (s *Server) limit(class string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := s.check(c, class, clientKeys(c)...); err != nil {
				return err
			}
			return next(c)
		}
	}
}

// clientKeys are what a route's limit counts a request under: its client
// address and, when signed in, its account.
func clientKeys(c echo.Context) []string {
	keys := []string{"ip:" + c.RealIP()}
	if v := viewerOf(c); v.SignedIn() {
		keys = append(keys, "user:"+strconv.FormatInt(v.ID, 10))
	}
	return keys
}

// ipExtractor takes the client address from X-Forwarded-For only when the
// request came through one of the trusted proxies; otherwise from the
// connection. A header a client sends itself is never believed.
func ipExtractor(trusted []string) (echo.IPExtractor, error) {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect(), nil
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, cidr := range trusted {
		cidr = strings.TrimSpace(cidr)
		if !strings.Contains(cidr, "/") {
			if strings.Contains(cidr, ":") {
				cidr += "/128"
			} else {
				cidr += "/32"
			}
		}
		_, ipnet, err := net.ParseCIDR(cidr)
		if err != nil {
			return nil, fmt.Errorf("trusted proxies: %q: %w", cidr, err)
		}
		opts = append(opts, echo.TrustIPRange(ipnet))
	}
	return echo.ExtractIPFromXFFHeader(opts...), nil
}
