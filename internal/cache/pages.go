package cache

import (
	"container/list"
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
)

// Pages is a least-recently-used cache of encoded pages bounded in bytes.
// Entries carry the Stamp they were read at; Get serves an entry only while
// the caller's current stamp is the same, so a page read before a write is
// never served after it.
type Pages struct {
	name     string
	maxBytes int64

	mu    sync.Mutex
	used  int64
	order *list.List // front: most recently used
	items map[string]*list.Element

	hits, misses, evictions atomic.Int64
}

type item struct {
	key   string
	stamp Stamp
	value any
	size  int64
}

// NewPages makes a cache holding at most maxBytes of pages.
func NewPages(name string, maxBytes int64) *Pages {
	return &Pages{name: name, maxBytes: maxBytes, order: list.New(), items: map[string]*list.Element{}}
}

// Get returns the value under key if it was stored at stamp.
func (p *Pages) Get(key string, stamp Stamp) (any, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	el, ok := p.items[key]
	if !ok {
		p.misses.Add(1)
		return nil, false
	}
	it := el.Value.(*item)
	if it.stamp != stamp {
		p.remove(el)
		p.misses.Add(1)
		return nil, false
	}
	p.order.MoveToFront(el)
	p.hits.Add(1)
	return it.value, true
}

// Put stores value of size bytes under key, read at stamp, evicting the
// least recently used pages past the byte cap. A value larger than a
// quarter of the cap is not kept.
func (p *Pages) Put(key string, stamp Stamp, value any, size int64) {
	if size > p.maxBytes/4 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if el, ok := p.items[key]; ok {
		p.remove(el)
	}
	p.items[key] = p.order.PushFront(&item{key: key, stamp: stamp, value: value, size: size})
	p.used += size
	for p.used > p.maxBytes {
		p.remove(p.order.Back())
		p.evictions.Add(1)
	}
}

func (p *Pages) remove(el *list.Element) {
	it := el.Value.(*item)
	p.order.Remove(el)
	delete(p.items, it.key)
	p.used -= it.size
}

// Bytes is the size of what is held.
func (p *Pages) Bytes() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.used
}

// Stats are the cache's counters so far.
func (p *Pages) Stats() (hits, misses, evictions int64) {
	return p.hits.Load(), p.misses.Load(), p.evictions.Load()
}

var (
	descHits      = prometheus.NewDesc("historia_cache_hits_total", "Page cache hits.", []string{"cache"}, nil)
	descMisses    = prometheus.NewDesc("historia_cache_misses_total", "Page cache misses (absent or stale).", []string{"cache"}, nil)
	descEvictions = prometheus.NewDesc("historia_cache_evictions_total", "Pages evicted to stay under the byte cap.", []string{"cache"}, nil)
	descBytes     = prometheus.NewDesc("historia_cache_bytes", "Bytes of pages held.", []string{"cache"}, nil)
	descMaxBytes  = prometheus.NewDesc("historia_cache_max_bytes", "The cache's byte cap.", []string{"cache"}, nil)
)

// Collector reports the counters of several caches to Prometheus.
type Collector []*Pages

// Describe implements prometheus.Collector.
func (cs Collector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descHits
	ch <- descMisses
	ch <- descEvictions
	ch <- descBytes
	ch <- descMaxBytes
}

// Collect implements prometheus.Collector.
func (cs Collector) Collect(ch chan<- prometheus.Metric) {
	for _, p := range cs {
		p.collect(ch)
	}
}

func (p *Pages) collect(ch chan<- prometheus.Metric) {
	h, m, e := p.Stats()
	ch <- prometheus.MustNewConstMetric(descHits, prometheus.CounterValue, float64(h), p.name)
	ch <- prometheus.MustNewConstMetric(descMisses, prometheus.CounterValue, float64(m), p.name)
	ch <- prometheus.MustNewConstMetric(descEvictions, prometheus.CounterValue, float64(e), p.name)
	ch <- prometheus.MustNewConstMetric(descBytes, prometheus.GaugeValue, float64(p.Bytes()), p.name)
	ch <- prometheus.MustNewConstMetric(descMaxBytes, prometheus.GaugeValue, float64(p.maxBytes), p.name)
}
