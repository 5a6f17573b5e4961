package validity

import (
	"sync"
	"time"
)

// maxCacheEntries bounds the cache; past it, expired entries are dropped
// and, if still full, the whole cache is cleared.
const maxCacheEntries = 10000

// cache keeps results by rule and fingerprint for a TTL. It never holds a
// secret: its keys are fingerprints (keyed hashes), its values Results.
type cache struct {
	ttl time.Duration
	mu  sync.Mutex
	m   map[string]Result
}

func newCache(ttl time.Duration) *cache {
	return &cache{ttl: ttl, m: make(map[string]Result)}
}

func (c *cache) get(key string, now time.Time) (Result, bool) {
	if key == "" || c.ttl <= 0 {
		return Result{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.m[key]
	if !ok || now.Sub(r.Checked) >= c.ttl {
		return Result{}, false
	}
	return r, true
}

func (c *cache) put(key string, r Result, now time.Time) {
	if key == "" || c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= maxCacheEntries {
		for k, v := range c.m {
			if now.Sub(v.Checked) >= c.ttl {
				delete(c.m, k)
			}
		}
		if len(c.m) >= maxCacheEntries {
			clear(c.m)
		}
	}
	c.m[key] = r
}
