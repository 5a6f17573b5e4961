// Package wait holds the one context-aware sleep that background loops
// (alert delivery, the redelivery sweeper, the GitHub budget) share. It
// imports none of ours.
package wait

import (
	"context"
	"time"
)

// Sleep waits d, or until ctx ends; it reports whether the wait was whole.
// A d of zero or less does not wait, and reports whether ctx is still live.
func Sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
