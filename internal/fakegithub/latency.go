package fakegithub

import (
	"math/rand/v2"
	"net/http"
	"time"
)

// latency waits a random time from Options.MinLatency to MaxLatency before
// a request is served, or until the client gives up.
func (s *Server) latency(r *http.Request) {
	lo, hi := s.opts.MinLatency, s.opts.MaxLatency
	if hi <= 0 {
		return
	}
	d := lo
	if hi > lo {
		d += rand.N(hi - lo + 1)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
	}
}
