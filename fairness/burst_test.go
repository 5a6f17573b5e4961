package fairness

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/pushguard/pushguard/internal/poll"
	"github.com/pushguard/pushguard/queue"
	"github.com/pushguard/pushguard/queue/queuetest"
)

// githubLatency stands for the GitHub calls of one job (the fake GitHub
// of the load benchmark adds 50-300 ms per call).
const githubLatency = 250 * time.Millisecond

// completions records the order in which jobs finish.
type completions struct {
	mu    sync.Mutex
	order []int64 // installation of each finished job
}

func (c *completions) handler(_ context.Context, job queue.Job) error {
	time.Sleep(githubLatency)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.order = append(c.order, job.InstallationID)
	return nil
}

// before counts installation a's jobs finished before b's first, and
// whether b's has finished.
func (c *completions) before(a, b int64) (n int, done bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, inst := range c.order {
		if inst == b {
			return n, true
		}
		if inst == a {
			n++
		}
	}
	return n, false
}

// TestBurstDoesNotDelayOtherInstallation: installation 1 queues a burst,
// then installation 2 one push. With the scheduler, 2's push finishes while
// most of 1's burst still waits; without it, 2's push waits behind the whole
// burst (the control, smaller, shows the test can fail).
func TestBurstDoesNotDelayOtherInstallation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		burst     int
		scheduled bool
		check     func(aBefore, burst int) bool
		want      string
	}{
		{name: "scheduled", burst: 500, scheduled: true, check: func(a, burst int) bool { return a < burst/5 }, want: "under a fifth of the burst"},
		{name: "control without scheduler", burst: 40, check: func(a, burst int) bool { return a >= burst-8 }, want: "the whole burst but one round of workers"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rdb := queuetest.Redis(t)
			name := queuetest.Name(t, rdb)
			q := queue.New(rdb, queue.Options{Name: name, KeyPrefix: name + ":"})
			ctx := context.Background()
			for i := range tc.burst {
				if err := q.Enqueue(ctx, jobOf(1, fmt.Sprintf("a-%d", i))); err != nil {
					t.Fatal(err)
				}
			}
			if err := q.Enqueue(ctx, jobOf(2, "b-1")); err != nil {
				t.Fatal(err)
			}
			c := &completions{}
			h := queue.Handler(c.handler)
			if tc.scheduled {
				h = NewScheduler(rdb, Options{KeyPrefix: name + ":", PerInstallation: 2}).Handler(h)
			}
			runCtx, stop := context.WithCancel(ctx)
			done := make(chan error, 1)
			go func() {
				done <- q.Run(runCtx, h, queue.WorkerOptions{Concurrency: 8, PollInterval: 20 * time.Millisecond})
			}()
			defer func() { stop(); <-done }()
			start := time.Now()
			poll.Until(t, time.Minute, func() bool { _, ok := c.before(1, 2); return ok }, "installation 2's push to finish")
			a, _ := c.before(1, 2)
			t.Logf("installation 2's push finished after %s, %d of installation 1's before it", time.Since(start).Round(time.Millisecond), a)
			if !tc.check(a, tc.burst) {
				t.Errorf("%d of installation 1's %d jobs finished before installation 2's; want %s", a, tc.burst, tc.want)
			}
		})
	}
}
