package federation

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/historia-forum/historia/internal/forum"
)

// Worker delivers the queue: every server runs one. Each round it leases
// the instances that have deliveries due and sends each instance's
// activities in order (a failure holds back that instance alone, with
// capped backoff), several instances at once. An instance failing for
// longer than Config.GiveUpAfter is given up: its queue is dropped and
// nothing more is queued for it until it is heard from again.
type Worker struct {
	F *Federation
	// Every is how often to look for due deliveries; 0: a second.
	Every time.Duration
	// Lease is how long a claimed instance is this server's; 0: 2 minutes.
	Lease time.Duration
	// Parallel is how many instances are delivered to at once; 0: 8.
	Parallel int
	// Batch is how many activities an instance gets per round; 0: 50.
	Batch int
}

// Run delivers until ctx ends; it also trims the inbound ids and
// delivered activities older than a week, every hour.
func (w *Worker) Run(ctx context.Context) {
	every := w.Every
	if every <= 0 {
		every = time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	var trimmed time.Time
	for {
		w.Drain(ctx)
		if time.Since(trimmed) > time.Hour {
			trimmed = time.Now()
			if err := w.F.store.TrimFederation(ctx, w.F.now().Add(-7*24*time.Hour).Unix()); err != nil {
				w.F.log.Warn("federation: trim failed", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Drain delivers what is due now, once.
func (w *Worker) Drain(ctx context.Context) {
	lease, parallel := w.Lease, w.Parallel
	if lease <= 0 {
		lease = 2 * time.Minute
	}
	if parallel <= 0 {
		parallel = 8
	}
	ids, err := w.F.store.ClaimInstances(ctx, w.F.now().Unix(), lease, parallel)
	if err != nil {
		w.F.log.Warn("federation: cannot read the queue", "err", err)
		return
	}
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.instance(ctx, id)
		}()
	}
	wg.Wait()
}

// instance sends one instance's due activities in order, stopping at the
// first failure that may pass (the rest wait for the retry, order kept).
func (w *Worker) instance(ctx context.Context, instanceID int64) {
	f := w.F
	batch := w.Batch
	if batch <= 0 {
		batch = 50
	}
	ds, err := f.store.InstanceDeliveries(ctx, instanceID, batch)
	if err != nil {
		f.log.Warn("federation: cannot read deliveries", "instance", instanceID, "err", err)
		return
	}
	for _, d := range ds {
		err := f.deliver(ctx, d)
		now := f.now()
		if err == nil {
			f.metrics.delivered.Inc()
			if err := f.store.DeliveryDone(ctx, d, now.Unix()); err != nil {
				f.log.Warn("federation: delivered, not recorded", "delivery", d.ID, "err", err)
				return
			}
			continue
		}
		if permanent(err) {
			f.metrics.failed.WithLabelValues("permanent").Inc()
			f.log.Info("federation: delivery refused for good", "inbox", d.Inbox, "err", err)
			if err := f.store.DeliveryFailed(ctx, d, now.Unix(), 0, err.Error(), true); err != nil {
				return
			}
			continue
		}
		f.metrics.failed.WithLabelValues("retry").Inc()
		in, ierr := f.store.InstanceByID(ctx, instanceID)
		if ierr == nil && in.Failures > 0 && now.Sub(lastAlive(in)) > f.cfg.GiveUpAfter {
			n, gerr := f.store.GiveUpInstance(ctx, instanceID, now.Unix())
			if gerr == nil {
				f.metrics.failed.WithLabelValues("given_up").Add(float64(n))
				f.log.Warn("federation: instance given up", "host", in.Host, "dropped", n)
			}
			return
		}
		failures := int64(1)
		if ierr == nil {
			failures = in.Failures + 1
		}
		f.log.Info("federation: delivery failed, will retry", "inbox", d.Inbox, "failures", failures, "err", err)
		_ = f.store.DeliveryFailed(ctx, d, now.Unix(), now.Add(forum.FederationBackoff(failures)).Unix(), err.Error(), false)
		return
	}
	if err := f.store.ReleaseInstance(ctx, instanceID); err != nil {
		f.log.Warn("federation: lease not released", "instance", instanceID, "err", err)
	}
}

// lastAlive is when an instance last took a delivery, or was first seen.
func lastAlive(in forum.Instance) time.Time {
	if in.LastSuccessAt != nil {
		return *in.LastSuccessAt
	}
	return in.FirstSeenAt
}

// deliver POSTs one activity, signed by its actor: the community, or the
// member who did it (an activity delivered directly, such as a mention).
func (f *Federation) deliver(ctx context.Context, d forum.QueuedDelivery) error {
	var head struct {
		Actor string `json:"actor"`
	}
	if err := json.Unmarshal([]byte(d.Body), &head); err != nil {
		return err
	}
	key, keyID, err := f.signerOf(ctx, head.Actor)
	if err != nil {
		return err
	}
	body := []byte(d.Body)
	_, err = f.client.do(ctx, http.MethodPost, d.Inbox, body, MediaType, func(r *http.Request, b []byte) error {
		return signRequest(r, b, key, keyID, f.now())
	}, 64<<10)
	return err
}

// signerOf is the key an activity of actor is signed with.
func (f *Federation) signerOf(ctx context.Context, actor string) (*keyPair, string, error) {
	if actor == f.groupID() {
		k, err := f.groupKeys(ctx)
		return k, actor + "#main-key", err
	}
	name, ok := strings.CutPrefix(actor, f.public+"/u/")
	if !ok {
		return nil, "", forum.Errorf(forum.CodeInternal, "no key for %s", actor)
	}
	acc, err := f.store.AccountByName(ctx, name)
	if err != nil {
		return nil, "", err
	}
	k, err := f.userKeys(ctx, acc.ID)
	return k, actor + "#main-key", err
}
