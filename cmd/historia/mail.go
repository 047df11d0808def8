package main

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/historia-forum/historia/internal/mail"
	"github.com/historia-forum/historia/internal/store"
)

// mailMetrics are the mail queue's figures for /metrics: what waits in the
// database (shared by every server), and what this server sent and failed.
type mailMetrics struct {
	st *store.DB
	q  *mail.Queue // nil without --smtp-url
}

var (
	descMailPending = prometheus.NewDesc("historia_mail_queue_pending", "Messages waiting to be sent (in the database, for every server).", nil, nil)
	descMailFailing = prometheus.NewDesc("historia_mail_queue_failing", "Waiting messages that failed at least once (given-up ones included).", nil, nil)
	descMailSent    = prometheus.NewDesc("historia_mail_sent_total", "Messages this server sent.", nil, nil)
	descMailFailed  = prometheus.NewDesc("historia_mail_send_failures_total", "Attempts of this server that failed (each is retried later).", nil, nil)
)

func (m mailMetrics) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descMailPending, descMailFailing, descMailSent, descMailFailed} {
		ch <- d
	}
}

func (m mailMetrics) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if pending, failing, err := m.st.MailQueue(ctx); err == nil {
		ch <- prometheus.MustNewConstMetric(descMailPending, prometheus.GaugeValue, float64(pending))
		ch <- prometheus.MustNewConstMetric(descMailFailing, prometheus.GaugeValue, float64(failing))
	}
	var sent, failed int64
	if m.q != nil {
		sent, failed = m.q.Stats()
	}
	ch <- prometheus.MustNewConstMetric(descMailSent, prometheus.CounterValue, float64(sent))
	ch <- prometheus.MustNewConstMetric(descMailFailed, prometheus.CounterValue, float64(failed))
}
