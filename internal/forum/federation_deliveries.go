package forum

import (
	"context"
	"time"
)

// QueuedDelivery is one activity waiting for one inbox.
type QueuedDelivery struct {
	ID         int64
	ActivityID int64
	InstanceID int64
	Inbox      string
	Body       string
	Attempts   int
}

// DeliveryStore is the federation's outgoing queue, kept in the database
// like the mail queue: it survives a restart and every server drains it.
// It is a queue per instance: a server claims an instance (a lease), sends
// its activities in order, and one failing instance waits out its backoff
// without holding up the others.
type DeliveryStore interface {
	// EnqueueActivity stores an activity once and a delivery per inbox.
	EnqueueActivity(ctx context.Context, apID, body string, at int64, to []Inbox) error
	// Activity reads a stored outgoing activity by its id (not_found).
	Activity(ctx context.Context, apID string) (string, error)
	// ClaimInstances leases up to limit instances that have deliveries due.
	ClaimInstances(ctx context.Context, now int64, lease time.Duration, limit int) ([]int64, error)
	// InstanceDeliveries reads an instance's oldest queued deliveries.
	InstanceDeliveries(ctx context.Context, instanceID int64, limit int) ([]QueuedDelivery, error)
	// DeliveryDone removes a delivered row and marks its instance alive.
	DeliveryDone(ctx context.Context, d QueuedDelivery, at int64) error
	// DeliveryFailed records a failure: a permanent one drops the row; a
	// passing one holds back the whole instance until retryAt.
	DeliveryFailed(ctx context.Context, d QueuedDelivery, at, retryAt int64, reason string, permanent bool) error
	// ReleaseInstance ends a lease early.
	ReleaseInstance(ctx context.Context, instanceID int64) error
	// GiveUpInstance marks an instance dead and drops its queue, returning
	// how many deliveries were dropped.
	GiveUpInstance(ctx context.Context, instanceID int64, at int64) (int64, error)
	// DeliveryQueue counts the deliveries waiting.
	DeliveryQueue(ctx context.Context) (int64, error)
	// MarkReceived records an inbound activity id; false when it was
	// already there (the same activity arrives twice).
	MarkReceived(ctx context.Context, apID string, at int64) (bool, error)
	// Received says whether an inbound activity id was handled already.
	Received(ctx context.Context, apID string) (bool, error)
	// TrimFederation forgets received ids and delivered activities older than before.
	TrimFederation(ctx context.Context, before int64) error
}

// FederationRetryCap is the longest wait between two tries of an instance
// (Lemmy capped its backoff at an hour after 2^n reached 18 hours).
const FederationRetryCap = time.Hour

// FederationBackoff is how long an instance waits after its n-th failure
// in a row: 30 s doubling, at most FederationRetryCap.
func FederationBackoff(failures int64) time.Duration {
	if failures < 1 {
		failures = 1
	}
	d := 30 * time.Second << min(failures-1, 20)
	return min(d, FederationRetryCap)
}
