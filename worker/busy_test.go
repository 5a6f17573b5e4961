package worker

import (
	"fmt"
	"testing"
	"time"
)

func TestBusyDelay(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		n        int
		min, max time.Duration
	}{
		{1, busyRetry * 3 / 4, busyRetry},
		{2, 2 * busyRetry * 3 / 4, 2 * busyRetry},
		{4, 8 * busyRetry * 3 / 4, 8 * busyRetry},
		{5, busyRetryMax * 3 / 4, busyRetryMax},
		{60, busyRetryMax * 3 / 4, busyRetryMax},
		{0, busyRetryMax * 3 / 4, busyRetryMax}, // the count could not be read
	} {
		t.Run(fmt.Sprintf("n=%d", tc.n), func(t *testing.T) {
			for range 20 {
				if d := busyDelay(tc.n); d < tc.min || d > tc.max {
					t.Fatalf("busyDelay(%d) = %s, want in [%s, %s]", tc.n, d, tc.min, tc.max)
				}
			}
		})
	}
}
