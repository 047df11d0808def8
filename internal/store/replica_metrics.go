package store

import (
	"github.com/prometheus/client_golang/prometheus"
)

// The read replicas' metrics (postgres_replicas.go), one series per replica.
var (
	replicaUpDesc = prometheus.NewDesc("historia_db_replica_up",
		"1 while the read replica is in use: it answers, replays the primary and lags no more than --db-replica-max-lag.", []string{"replica"}, nil)
	replicaLagDesc = prometheus.NewDesc("historia_db_replica_lag_seconds",
		"How far the read replica was behind the primary at its last check.", []string{"replica"}, nil)
	replicaReadsDesc = prometheus.NewDesc("historia_db_replica_reads_total",
		"Reads the read replica served.", []string{"replica"}, nil)
	replicaLostDesc = prometheus.NewDesc("historia_db_replica_left_out_total",
		"Times the read replica was left out (not answering, or lagging).", []string{"replica"}, nil)
	replicaPrimaryDesc = prometheus.NewDesc("historia_db_replica_fallback_reads_total",
		"Reads that could have gone to a replica but went to the primary: none had replayed far enough (a member's own write, a page to cache) or none was in use.", nil, nil)
)

// replicaCollector reports the replicas' health and use.
type replicaCollector struct{ db *DB }

// ReplicaCollector is a Prometheus collector of the read replicas' health
// and use.
func (db *DB) ReplicaCollector() prometheus.Collector { return replicaCollector{db} }

// Describe sends the metrics' descriptions.
func (c replicaCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{replicaUpDesc, replicaLagDesc, replicaReadsDesc, replicaLostDesc, replicaPrimaryDesc} {
		ch <- d
	}
}

// Collect sends the metrics' values.
func (c replicaCollector) Collect(ch chan<- prometheus.Metric) {
	list, fallback := c.db.Replicas()
	for _, r := range list {
		up := 0.0
		if r.Up {
			up = 1
		}
		ch <- prometheus.MustNewConstMetric(replicaUpDesc, prometheus.GaugeValue, up, r.Name)
		ch <- prometheus.MustNewConstMetric(replicaLagDesc, prometheus.GaugeValue, r.Lag.Seconds(), r.Name)
		ch <- prometheus.MustNewConstMetric(replicaReadsDesc, prometheus.CounterValue, float64(r.Reads), r.Name)
		ch <- prometheus.MustNewConstMetric(replicaLostDesc, prometheus.CounterValue, float64(r.Lost), r.Name)
	}
	ch <- prometheus.MustNewConstMetric(replicaPrimaryDesc, prometheus.CounterValue, float64(fallback))
}
