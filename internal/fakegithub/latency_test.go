package fakegithub

import (
	"net/http"
	"testing"
	"time"
)

// TestLatency: with a latency range, no answer comes sooner than its
// minimum; without one, nothing waits.
func TestLatency(t *testing.T) {
	t.Parallel()
	const lo = 80 * time.Millisecond
	s := New(t, Options{MinLatency: lo, MaxLatency: lo + 20*time.Millisecond})
	for range 3 {
		start := time.Now()
		resp, err := http.Get(s.URL() + "rate_limit")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if took := time.Since(start); took < lo {
			t.Errorf("answered after %s, before the minimum latency %s", took, lo)
		}
	}
}
