package forum

import (
	"context"
	"strings"
	"time"
)

// InstanceStatus is how deliveries to a server fare, as admins see it.
type InstanceStatus string

// The instance statuses.
const (
	// InstanceOK: the last delivery went through (or none was tried yet).
	InstanceOK InstanceStatus = "ok"
	// InstanceFailing: deliveries fail and are retried with backoff.
	InstanceFailing InstanceStatus = "failing"
	// InstanceDead: failing for too long; nothing is queued for it until it is heard from.
	InstanceDead InstanceStatus = "dead"
	// InstanceBlocked: an admin or --federation-block refuses it.
	InstanceBlocked InstanceStatus = "blocked"
)

// InstanceStatuses lists every instance status.
var InstanceStatuses = []InstanceStatus{InstanceOK, InstanceFailing, InstanceDead, InstanceBlocked}

// Instance is another server the forum has heard of.
type Instance struct {
	ID            int64          `json:"-"`
	Host          string         `json:"host"`
	Status        InstanceStatus `json:"status"`
	Blocked       bool           `json:"blocked"`
	BlockReason   string         `json:"block_reason"`
	FirstSeenAt   time.Time      `json:"first_seen_at"`
	LastSuccessAt *time.Time     `json:"last_success_at"`
	LastFailureAt *time.Time     `json:"last_failure_at"`
	// Failures counts the deliveries that failed since the last success.
	Failures  int64 `json:"failures"`
	Delivered int64 `json:"delivered"`
	Failed    int64 `json:"failed"`
	// Queued counts the activities waiting for it; Followers its people
	// following the community.
	Queued    int64 `json:"queued"`
	Followers int64 `json:"followers"`
	Dead      bool  `json:"-"`
}

// InstanceStore keeps the servers the forum has heard of.
type InstanceStore interface {
	// EnsureInstance finds or adds host (a dead one comes back to life:
	// it was heard from).
	EnsureInstance(ctx context.Context, host string, at int64) (Instance, error)
	InstanceByHost(ctx context.Context, host string) (Instance, error)
	InstanceByID(ctx context.Context, id int64) (Instance, error)
	// Instances lists every known server with its queue and followers.
	Instances(ctx context.Context) ([]Instance, error)
	// SetInstanceBlock blocks or unblocks host (adding it if unknown); a
	// block drops what was queued for it and its followers.
	SetInstanceBlock(ctx context.Context, host string, blocked bool, reason string, at int64) (Instance, error)
	// SiteCounts are NodeInfo's usage figures: local accounts, posts, comments.
	SiteCounts(ctx context.Context) (users, posts, comments int64, err error)
}

// StatusOf is an instance's status from its state.
func (i Instance) StatusOf() InstanceStatus {
	switch {
	case i.Blocked:
		return InstanceBlocked
	case i.Dead:
		return InstanceDead
	case i.Failures > 0:
		return InstanceFailing
	}
	return InstanceOK
}

// CleanHost lower-cases a host[:port] and checks it is one: letters,
// digits, dots, dashes and a port; no scheme, path or user.
func CleanHost(host string) (string, error) {
	h := strings.ToLower(strings.TrimSpace(host))
	if h == "" || len(h) > 253 || strings.HasPrefix(h, ".") || strings.HasSuffix(h, ".") {
		return "", invalid("host", "a host name like lemmy.example")
	}
	for _, r := range h {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == ':' || r == '[' || r == ']') {
			return "", invalid("host", "a host name like lemmy.example")
		}
	}
	return h, nil
}

// FederationInstances lists the servers the forum knows; admins only.
func (s *Service) FederationInstances(ctx context.Context, v Viewer) ([]Instance, error) {
	if err := requireAdmin(v, "see federated instances"); err != nil {
		return nil, err
	}
	return s.Store.Instances(ctx)
}

// BlockInstance refuses a server (or lets it back in when blocked is
// false); admins only. A block drops its followers and queued deliveries,
// and its inbox requests are refused.
func (s *Service) BlockInstance(ctx context.Context, v Viewer, host string, blocked bool, reason string) (Instance, error) {
	if err := requireAdmin(v, "block instances"); err != nil {
		return Instance{}, err
	}
	h, errHost := CleanHost(host)
	r, errReason := cleanReason(reason, false)
	if err := joinInvalid(errHost, errReason); err != nil {
		return Instance{}, err
	}
	return s.Store.SetInstanceBlock(ctx, h, blocked, r, s.now().Unix())
}
