package webhook

import "sync"

// DefaultBodyBudget is how many bytes of request bodies not yet verified
// the handler holds at once, across all requests: room for two bodies of
// the largest size GitHub sends. A body past it is refused with 503 and
// Retry-After, so that bogus deliveries cannot take the process's memory.
const DefaultBodyBudget = 2 * MaxBodyBytes

// bodyBudget is a weighted semaphore on the bytes held for bodies. It never
// waits: a request that does not fit is refused at once.
type bodyBudget struct {
	mu    sync.Mutex
	limit int64
	held  int64
	peak  int64
}

func newBodyBudget(limit int64) *bodyBudget { return &bodyBudget{limit: limit} }

// tryAcquire takes n bytes, or reports that they do not fit.
func (b *bodyBudget) tryAcquire(n int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.held+n > b.limit {
		return false
	}
	b.held += n
	b.peak = max(b.peak, b.held)
	return true
}

// release gives back n bytes.
func (b *bodyBudget) release(n int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.held -= n
}

// Held returns the bytes held now.
func (b *bodyBudget) Held() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.held
}

// Peak returns the most bytes ever held at once.
func (b *bodyBudget) Peak() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.peak
}
