package fakegithub

import (
	"math/rand/v2"
	"net/http"

	"github.com/pushguard/pushguard/internal/wait"
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
	wait.Sleep(r.Context(), d)
}
