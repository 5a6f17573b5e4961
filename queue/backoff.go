package queue

import (
	"math/rand/v2"
	"time"
)

// Backoff bounds. The delay before retry n (0-based) is BackoffBase·2^n,
// capped at BackoffMax, with jitter.
const (
	BackoffBase = 5 * time.Second
	BackoffMax  = 10 * time.Minute
)

// DefaultBackoff returns the delay before a job that has failed retried+1
// times runs again: BackoffBase·2^retried capped at BackoffMax, of which a
// random part of up to a half is taken off so that jobs failing together do
// not retry together.
func DefaultBackoff(retried int) time.Duration {
	d := BackoffMax
	if retried >= 0 && retried < 16 && BackoffBase<<retried < BackoffMax {
		d = BackoffBase << retried
	}
	return d - rand.N(d/2+1)
}
