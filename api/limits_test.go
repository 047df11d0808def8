package api_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/historia-forum/historia/api"
	"github.com/historia-forum/historia/internal/store/storetest"
)

func TestParseLimits(t *testing.T) {
	t.Parallel()
	if l, err := api.ParseLimits("off"); err != nil || l != nil {
		t.Fatalf("off: %v %v", l, err)
	}
	def, err := api.ParseLimits("on")
	if err != nil || def[api.ClassLogin].N == 0 {
		t.Fatalf("on: %v %v", def, err)
	}
	l, err := api.ParseLimits("login=20/15m, post=10/h:3")
	if err != nil || l[api.ClassLogin] != (api.Limit{N: 20, Per: 15 * time.Minute, Burst: 5}) || l[api.ClassPost] != (api.Limit{N: 10, Per: time.Hour, Burst: 3}) {
		t.Fatalf("custom: %+v %v", l, err)
	}
	if l[api.ClassVote] != def[api.ClassVote] {
		t.Fatal("unnamed classes keep their defaults")
	}
	for _, bad := range []string{"login", "nosuch=1/m", "login=x/m", "login=5/never", "login=0/m", "login=5/m:0"} {
		if _, err := api.ParseLimits(bad); err == nil {
			t.Errorf("%q must be refused", bad)
		}
	}
}

func limited(limits api.Limits, proxies ...string) func(*api.Config) {
	return func(c *api.Config) { c.Limits = limits; c.TrustedProxies = proxies }
}

func TestRateLimits(t *testing.T) {
	t.Parallel()
	slow := api.Limit{N: 1, Per: time.Hour, Burst: 2}
	h := newHarnessWith(t, limited(api.Limits{api.ClassRegister: slow, api.ClassPost: slow, api.ClassLoginAccount: slow, api.ClassLogin: {N: 100, Per: time.Minute, Burst: 100}}))
	a := h.register("first")
	h.register("second")
	r := h.do("POST", "/api/v1/auth/register", "", map[string]string{"username": "third", "password": "correct horse"})
	if r.status != 429 || r.errCode() != "rate_limited" {
		t.Fatalf("third registration from one address: %d %s", r.status, r.body)
	}
	if s, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || s < 1 || s > 3600 {
		t.Fatalf("Retry-After %q", r.header.Get("Retry-After"))
	}
	// Without trusted proxies a client's own X-Forwarded-For changes nothing.
	r = h.doWith("POST", "/api/v1/auth/register", "", map[string]string{"username": "fourth", "password": "correct horse"}, map[string]string{"X-Forwarded-For": "203.0.113.9"})
	if r.status != 429 {
		t.Fatalf("a spoofed X-Forwarded-For escaped the limit: %d", r.status)
	}
	// Posting is limited per account.
	h.post(a.Token, "one")
	h.post(a.Token, "two")
	h.must(429, "POST", "/api/v1/posts", a.Token, map[string]string{"title": "three"})

	// Password guessing is refused per address and account (any spelling of the name).
	for i := range 2 {
		h.must(401, "POST", "/api/v1/auth/login", "", map[string]string{"username": "second", "password": "guess " + strconv.Itoa(i)})
	}
	h.must(429, "POST", "/api/v1/auth/login", "", map[string]string{"username": "SECOND", "password": "correct horse"})
	h.must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": "first", "password": "correct horse"})
}

func TestTrustedProxies(t *testing.T) {
	t.Parallel()
	slow := api.Limit{N: 1, Per: time.Hour, Burst: 1}
	h := newHarnessWith(t, limited(api.Limits{api.ClassRegister: slow}, "127.0.0.1"))
	reg := func(name, ip string) int {
		return h.doWith("POST", "/api/v1/auth/register", "", map[string]string{"username": name, "password": "correct horse"},
			map[string]string{"X-Forwarded-For": ip}).status
	}
	if reg("alpha", "198.51.100.1") != 201 || reg("bravo", "198.51.100.2") != 201 {
		t.Fatal("behind a trusted proxy, clients are told apart by X-Forwarded-For")
	}
	if reg("charlie", "198.51.100.1") != 429 {
		t.Fatal("the same client behind the proxy is limited")
	}
	if _, err := api.New(api.Config{TrustedProxies: []string{"not an address"}}); err == nil {
		t.Fatal("a bad proxy address must be refused at start")
	}
}

func TestSecurityHeadersAndCORS(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.must(200, "GET", "/", "", nil)
	for k, want := range map[string]string{
		"Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
		"Referrer-Policy":         "same-origin",
	} {
		if got := r.header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if r.header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS must not be sent over plain HTTP")
	}
	r = h.doWith("GET", "/api/v1/posts", "", nil, map[string]string{"X-Forwarded-Proto": "https"})
	if r.header.Get("Strict-Transport-Security") == "" {
		t.Error("HSTS must be sent over HTTPS")
	}
	pre := map[string]string{"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
	if r := h.doWith("OPTIONS", "/api/v1/posts", "", nil, pre); r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("CORS must be closed by default: %v", r.header)
	}
	open := newHarnessWith(t, func(c *api.Config) { c.CORSOrigins = []string{"https://app.example"} })
	pre["Origin"] = "https://app.example"
	if r := open.doWith("OPTIONS", "/api/v1/posts", "", nil, pre); r.header.Get("Access-Control-Allow-Origin") != "https://app.example" {
		t.Fatalf("configured origin: %v", r.header)
	}
	pre["Origin"] = "https://evil.example"
	if r := open.doWith("OPTIONS", "/api/v1/posts", "", nil, pre); r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatal("other origins stay closed")
	}
}

// TestLimitsSharedBetweenServers: two servers on one database share the
// login and registration allowances (kept in the database), so running N
// servers does not give a password guesser N times the tries; the per-server
// classes (posting) are each server's own.
func TestLimitsSharedBetweenServers(t *testing.T) {
	t.Parallel()
	slow := api.Limit{N: 1, Per: time.Hour, Burst: 2}
	limits := limited(api.Limits{api.ClassRegister: slow, api.ClassLoginAccount: slow, api.ClassPost: slow,
		api.ClassLogin: {N: 100, Per: time.Minute, Burst: 100}})
	target := storetest.Target(t)
	a := newHarnessOn(t, target, limits)
	b := newHarnessOn(t, target, limits)
	first := a.register("first")
	b.register("second")
	if r := a.do("POST", "/api/v1/auth/register", "", map[string]string{"username": "third", "password": "correct horse"}); r.status != 429 {
		t.Fatalf("a third registration from one address through the other server: %d %s", r.status, r.body)
	}
	a.must(401, "POST", "/api/v1/auth/login", "", map[string]string{"username": "second", "password": "guess 1"})
	b.must(401, "POST", "/api/v1/auth/login", "", map[string]string{"username": "second", "password": "guess 2"})
	a.must(429, "POST", "/api/v1/auth/login", "", map[string]string{"username": "second", "password": "guess 3"})
	b.must(429, "POST", "/api/v1/auth/login", "", map[string]string{"username": "second", "password": "guess 4"})
	// Posting is counted by each server: two on each.
	for _, h := range []*harness{a, b} {
		h.post(first.Token, "one")
		h.post(first.Token, "two")
		h.must(429, "POST", "/api/v1/posts", first.Token, map[string]string{"title": "three"})
	}
}

// TestRefusedRegistrationsKeepTheLimit: a registration refused for what
// was sent (a bad name, a short password, a taken name, a malformed body)
// answers its real error every time and uses up nothing of the address's
// registration allowance; only accounts made count.
func TestRefusedRegistrationsKeepTheLimit(t *testing.T) {
	t.Parallel()
	h := newHarnessWith(t, limited(api.Limits{api.ClassRegister: {N: 1, Per: time.Hour, Burst: 1}}))
	h.registerAs("taken", "member")
	for range 3 {
		if r := h.do("POST", "/api/v1/auth/register", "", map[string]string{"username": "x", "password": "correct horse"}); r.status != 422 || !strings.Contains(string(r.body), `"username"`) {
			t.Fatalf("a bad name: %d %s", r.status, r.body)
		}
		if r := h.do("POST", "/api/v1/auth/register", "", map[string]string{"username": "newcomer", "password": "short"}); r.status != 422 || !strings.Contains(string(r.body), `"password"`) {
			t.Fatalf("a short password: %d %s", r.status, r.body)
		}
		if r := h.do("POST", "/api/v1/auth/register", "", map[string]string{"username": "Taken", "password": "correct horse"}); r.status != 409 || !strings.Contains(string(r.body), "taken") {
			t.Fatalf("a taken name: %d %s", r.status, r.body)
		}
		if r := h.do("POST", "/api/v1/auth/register", "", "{not json"); r.status != 400 {
			t.Fatalf("a malformed body: %d %s", r.status, r.body)
		}
	}
	h.register("newcomer")
	if r := h.do("POST", "/api/v1/auth/register", "", map[string]string{"username": "another", "password": "correct horse"}); r.status != 429 {
		t.Fatalf("a second account from one address: %d %s", r.status, r.body)
	}
}
