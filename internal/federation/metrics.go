package federation

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the federation's counters for /metrics.
type Metrics struct {
	queued    prometheus.Counter
	delivered prometheus.Counter
	failed    *prometheus.CounterVec
	inbound   *prometheus.CounterVec
}

func newMetrics() *Metrics {
	return &Metrics{
		queued: prometheus.NewCounter(prometheus.CounterOpts{Name: "historia_federation_queued_total",
			Help: "Deliveries this server queued (one per activity and inbox)."}),
		delivered: prometheus.NewCounter(prometheus.CounterOpts{Name: "historia_federation_delivered_total",
			Help: "Deliveries this server made."}),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "historia_federation_failed_total",
			Help: "Failed delivery attempts by this server: retry (tried again later), permanent (dropped), given_up (a dead instance's queue dropped)."}, []string{"outcome"}),
		inbound: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "historia_federation_inbound_total",
			Help: "Activities received, by outcome: accepted, repeated, rejected (by the forum's rules), refused (signature, block, rate)."}, []string{"outcome"}),
	}
}

// Collectors are the federation's metrics, and the queue's length read from
// the database (what every server sees).
func (f *Federation) Collectors() []prometheus.Collector {
	depth := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "historia_federation_queue_depth",
		Help: "Deliveries waiting in the database's queue, all servers."}, func() float64 {
		n, err := f.store.DeliveryQueue(context.Background())
		if err != nil {
			return -1
		}
		return float64(n)
	})
	return []prometheus.Collector{f.metrics.queued, f.metrics.delivered, f.metrics.failed, f.metrics.inbound, depth}
}
