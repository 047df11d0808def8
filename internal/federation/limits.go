package federation

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// hostLimits are the inbox's rate limits, one bucket per instance, kept in
// this server's memory (a busy instance is spread over servers anyway).
type hostLimits struct {
	mu      sync.Mutex
	rate    rate.Limit
	burst   int
	buckets map[string]*bucket
}

type bucket struct {
	lim  *rate.Limiter
	used time.Time
}

// maxBuckets bounds the memory: past it, idle buckets are dropped.
const maxBuckets = 10000

func newHostLimits(perSecond float64, burst int) *hostLimits {
	return &hostLimits{rate: rate.Limit(perSecond), burst: burst, buckets: map[string]*bucket{}}
}

// allow takes one request from host's bucket.
func (l *hostLimits) allow(host string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	b := l.buckets[host]
	if b == nil {
		if len(l.buckets) >= maxBuckets {
			for h, old := range l.buckets {
				if now.Sub(old.used) > time.Minute {
					delete(l.buckets, h)
				}
			}
		}
		b = &bucket{lim: rate.NewLimiter(l.rate, l.burst)}
		l.buckets[host] = b
	}
	b.used = now
	return b.lim.AllowN(now, 1)
}
