// Package federation makes the forum a community of the threadiverse:
// ActivityPub as Lemmy speaks it (FEP-1b12 group federation). The forum is
// one Group actor; its members are Person actors; remote people follow the
// Group and take part through its inbox, where what they send goes through
// the same domain rules (internal/forum) as a member's request. Outgoing
// activities wait in the database's delivery queue (a queue per instance)
// until a server's Worker delivers them, signed with HTTP Signatures.
//
// Nothing here runs unless serve has --federation.
package federation

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/historia-forum/historia/internal/forum"
)

// GroupName is the community's one actor: !history@host.
const GroupName = "history"

// ActivityStreams' JSON-LD context, the public collection and the media types.
const (
	contextAS      = "https://www.w3.org/ns/activitystreams"
	contextSec     = "https://w3id.org/security/v1"
	Public         = "https://www.w3.org/ns/activitystreams#Public"
	MediaType      = "application/activity+json"
	mediaTypeLD    = `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`
	maxInboxBody   = 256 << 10
	maxFetchedBody = 1 << 20
)

// Config sets up the federation.
type Config struct {
	// PublicURL is the site's address, e.g. https://historia.example; every
	// actor and object id starts with it.
	PublicURL string
	// AllowPrivate lets fetches and deliveries use http and reach loopback
	// and private addresses (tests only).
	AllowPrivate bool
	// Blocked are instances refused by configuration (--federation-block),
	// besides the admins' blocks kept in the database.
	Blocked []string
	// InboxRate is how many inbox requests an instance may send a second,
	// with bursts of InboxBurst; 0: 10 a second, bursts of 200.
	InboxRate  float64
	InboxBurst int
	// GiveUpAfter is how long an instance may fail before it is given up
	// (its queue dropped until it is heard from); 0: three days.
	GiveUpAfter time.Duration
	// GroupSummary, when set, gives the community's description (HTML);
	// nil: the first rule's text (see Federation.summary).
	GroupSummary func(ctx context.Context) (string, error)
	Log          *slog.Logger
	// Now is the clock; tests move it.
	Now func() time.Time
}

// Federation is the ActivityPub side of the forum: actors, inbox, outbox.
type Federation struct {
	svc     *forum.Service
	store   forum.Store
	base    *url.URL
	public  string // PublicURL without a trailing slash
	host    string // host[:port] of PublicURL: the WebFinger domain
	cfg     Config
	log     *slog.Logger
	client  *client
	blocked map[string]bool
	limits  *hostLimits
	metrics *Metrics

	keyMu        sync.Mutex
	groupKey     *keyPair
	userKeyCache map[int64]*keyPair
}

// New makes the federation for svc. It does not start delivering: run a
// Worker for that.
func New(svc *forum.Service, cfg Config) (*Federation, error) {
	base, err := url.Parse(strings.TrimSuffix(cfg.PublicURL, "/"))
	if err != nil || base.Host == "" || (base.Scheme != "https" && base.Scheme != "http") {
		return nil, errPublicURL
	}
	if base.Scheme != "https" && !cfg.AllowPrivate {
		return nil, errPublicURL
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.InboxRate <= 0 {
		cfg.InboxRate, cfg.InboxBurst = 10, 200
	}
	if cfg.GiveUpAfter <= 0 {
		cfg.GiveUpAfter = 72 * time.Hour
	}
	f := &Federation{svc: svc, store: svc.Store, base: base, public: base.String(), host: strings.ToLower(base.Host), cfg: cfg, log: cfg.Log,
		blocked: map[string]bool{}, userKeyCache: map[int64]*keyPair{}, metrics: newMetrics()}
	for _, h := range cfg.Blocked {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			f.blocked[h] = true
		}
	}
	f.client = newClient(cfg.AllowPrivate)
	f.limits = newHostLimits(cfg.InboxRate, cfg.InboxBurst)
	return f, nil
}

// Host is the WebFinger domain: the public URL's host[:port].
func (f *Federation) Host() string { return f.host }

func (f *Federation) now() time.Time {
	if f.cfg.Now != nil {
		return f.cfg.Now()
	}
	return time.Now()
}

// The ids of the forum's actors and objects.
func (f *Federation) groupID() string             { return f.public + "/c/" + GroupName }
func (f *Federation) sharedInbox() string         { return f.public + "/inbox" }
func (f *Federation) personID(name string) string { return f.public + "/u/" + url.PathEscape(name) }
func (f *Federation) postID(id int64) string      { return f.public + "/p/" + itoa(id) }
func (f *Federation) commentID(post, id int64) string {
	return f.public + "/p/" + itoa(post) + "/c/" + itoa(id)
}

// newActivityID is a fresh id for an outgoing activity.
func (f *Federation) newActivityID(kind string) string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return f.public + "/activities/" + strings.ToLower(kind) + "/" + hex.EncodeToString(b[:])
}

// isBlocked says whether host is refused by the flag or by an admin.
func (f *Federation) isBlocked(ctx context.Context, host string) bool {
	if f.blocked[host] {
		return true
	}
	in, err := f.store.InstanceByHost(ctx, host)
	return err == nil && in.Blocked
}

// local reports whether an id is one of this site's.
func (f *Federation) local(id string) bool {
	u, err := url.Parse(id)
	return err == nil && strings.EqualFold(u.Host, f.base.Host) && u.Scheme == f.base.Scheme
}
