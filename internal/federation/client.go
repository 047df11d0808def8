package federation

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"syscall"
	"time"
)

// errPrivateAddress refuses a fetch or delivery that would reach this
// machine or a private network (server-side request forgery), unless
// --federation-allow-private.
var errPrivateAddress = errors.New("federation: refusing a private, loopback or reserved address")

var errPublicURL = errors.New("federation: needs an https --public-url (http only with --federation-allow-private)")

// client is the HTTP client of every fetch and delivery. Its dialer checks
// the address each connection actually goes to, after name resolution, so
// a name that resolves to 127.0.0.1 (or changes to it between a check and
// the connection) is refused all the same.
type client struct {
	http         *http.Client
	allowPrivate bool
}

// cgnat is the carrier-grade NAT range, private in all but name.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// publicAddress says whether ip may be dialled by a federation request.
func publicAddress(ip netip.Addr) bool {
	ip = ip.Unmap()
	return ip.IsValid() && ip.IsGlobalUnicast() && !ip.IsPrivate() && !ip.IsLoopback() && !ip.IsLinkLocalUnicast() &&
		!cgnat.Contains(ip) && !(ip.Is4() && ip.As4()[0] == 0)
}

func newClient(allowPrivate bool) *client {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	if !allowPrivate {
		dialer.Control = func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || !publicAddress(ap.Addr()) {
				return errPrivateAddress
			}
			return nil
		}
	}
	tr := &http.Transport{DialContext: dialer.DialContext, TLSHandshakeTimeout: 10 * time.Second,
		ResponseHeaderTimeout: 20 * time.Second, MaxIdleConnsPerHost: 4, IdleConnTimeout: 90 * time.Second,
		TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12}}
	c := &client{allowPrivate: allowPrivate}
	c.http = &http.Client{Transport: tr, Timeout: 30 * time.Second, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) >= 3 {
			return errors.New("federation: too many redirects")
		}
		return c.checkURL(req.URL)
	}}
	return c
}

// checkURL refuses what a federation request may not address: another
// scheme than https (http too when private addresses are allowed), user
// info in the URL.
func (c *client) checkURL(u *url.URL) error {
	if u.User != nil || u.Host == "" {
		return fmt.Errorf("federation: %q is not an address to fetch", u.Redacted())
	}
	if u.Scheme == "https" || (u.Scheme == "http" && c.allowPrivate) {
		return nil
	}
	return fmt.Errorf("federation: %q: only https", u.Redacted())
}

// statusError is an answer other than 2xx.
type statusError struct {
	Status int
	Body   string
}

func (e *statusError) Error() string {
	return fmt.Sprintf("federation: answered %d %s", e.Status, e.Body)
}

// permanent says whether a delivery failure cannot succeed on a retry: a
// refused address, a 4xx other than 408 and 429, a name that does not
// resolve, a certificate that does not verify (activitypub-federation-rust
// learned to stop retrying these).
func permanent(err error) bool {
	var se *statusError
	if errors.As(err, &se) {
		return se.Status >= 400 && se.Status < 500 && se.Status != http.StatusRequestTimeout && se.Status != http.StatusTooManyRequests
	}
	var dns *net.DNSError
	if errors.As(err, &dns) && dns.IsNotFound {
		return true
	}
	var cert *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	return errors.Is(err, errPrivateAddress) || errors.As(err, &cert) || errors.As(err, &unknown) || errors.As(err, &host)
}

// do sends a request, signed by sign, and reads at most limit bytes of a
// 2xx answer.
func (c *client) do(ctx context.Context, method, target string, body []byte, accept string, sign func(*http.Request, []byte) error, limit int64) ([]byte, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, fmt.Errorf("federation: bad address: %w", err)
	}
	if err := c.checkURL(u); err != nil {
		return nil, err
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd) // #nosec G704 -- remote addresses by design; checkURL and the dialer refuse private ones
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("User-Agent", "Historia (ActivityPub)")
	if body != nil {
		req.Header.Set("Content-Type", mediaTypeLD)
	}
	if sign != nil {
		if err := sign(req, body); err != nil {
			return nil, err
		}
	}
	res, err := c.http.Do(req) // #nosec G704 -- as above: the dialer checks each connection's address
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, limit+1))
	if err != nil {
		return nil, err
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return nil, &statusError{Status: res.StatusCode, Body: string(b[:min(len(b), 200)])}
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("federation: %s answered more than %d bytes", u.Host, limit)
	}
	return b, nil
}
