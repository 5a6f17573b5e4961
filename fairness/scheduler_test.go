package fairness

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/pushguard/pushguard/queue"
	"github.com/pushguard/pushguard/queue/queuetest"
)

// jobOf returns a valid push job of an installation.
func jobOf(installation int64, delivery string) queue.Job {
	return queue.Job{
		Kind: queue.KindPush, DeliveryID: delivery, Event: "push", InstallationID: installation,
		Owner: "octo", Repo: "hello", Ref: "refs/heads/main",
		Before:  "1111111111111111111111111111111111111111",
		Commits: []string{"2222222222222222222222222222222222222222"},
		HeadSHA: "2222222222222222222222222222222222222222",
	}
}

// newScheduler returns a Scheduler and a Budget sharing a key prefix on
// the test Redis.
func newScheduler(t *testing.T, opts Options) (*Scheduler, *Budget) {
	t.Helper()
	rdb := queuetest.Redis(t)
	opts.KeyPrefix = queuetest.Name(t, rdb) + ":"
	return NewScheduler(rdb, opts), NewBudget(rdb, BudgetOptions{KeyPrefix: opts.KeyPrefix})
}

// TestSchedulerCapsEachInstallation: an installation at its cap has its
// next job handed back (without running it) while another installation's
// job runs; a freed slot takes the next job.
func TestSchedulerCapsEachInstallation(t *testing.T) {
	t.Parallel()
	s, _ := newScheduler(t, Options{PerInstallation: 2, BusyDelay: 3 * time.Second})
	ctx := context.Background()
	release := make(chan struct{})
	started := make(chan string, 4)
	h := s.Handler(func(_ context.Context, job queue.Job) error {
		started <- job.DeliveryID
		<-release
		return nil
	})
	errs := make(chan error, 2)
	for _, d := range []string{"a1", "a2"} {
		go func() { errs <- h(ctx, jobOf(1, d)) }()
		<-started
	}
	ran := false
	err := s.Handler(func(context.Context, queue.Job) error { ran = true; return nil })(ctx, jobOf(1, "a3"))
	at, rescheduled := queue.RescheduledAt(err)
	if !errors.Is(err, ErrBusy) || !rescheduled || ran {
		t.Fatalf("third job of installation 1: err %v, ran %v; want it handed back with ErrBusy", err, ran)
	}
	if d := time.Until(at); d < 2*time.Second || d > 4500*time.Millisecond {
		t.Errorf("handed back for %s, want the BusyDelay of 3s (plus up to a half)", d)
	}
	if n, err := s.Running(ctx, 1); err != nil || n != 2 {
		t.Errorf("Running(1) = %d, %v; want 2", n, err)
	}
	go func() { errs <- h(ctx, jobOf(2, "b1")) }()
	if got := <-started; got != "b1" {
		t.Fatalf("started %s, want b1", got)
	}
	close(release)
	for range 3 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Handler(func(context.Context, queue.Job) error { return nil })(ctx, jobOf(1, "a3")); err != nil {
		t.Errorf("after the slots were freed: %v", err)
	}
}

// TestSchedulerHoldsBackPausedInstallation: a paused installation's job
// waits until the pause ends; another installation's runs.
func TestSchedulerHoldsBackPausedInstallation(t *testing.T) {
	t.Parallel()
	s, b := newScheduler(t, Options{})
	ctx := context.Background()
	until := time.Now().Add(10 * time.Minute).Truncate(time.Millisecond)
	if err := b.pause(ctx, keysFor(b.opts.KeyPrefix, 1), until); err != nil {
		t.Fatal(err)
	}
	var ran []string
	h := s.Handler(func(_ context.Context, job queue.Job) error { ran = append(ran, job.DeliveryID); return nil })
	err := h(ctx, jobOf(1, "a1"))
	if at, ok := queue.RescheduledAt(err); !errors.Is(err, ErrPaused) || !ok || !at.Equal(until) {
		t.Errorf("paused installation's job: err %v, want ErrPaused until %s", err, until)
	}
	if err := h(ctx, jobOf(2, "b1")); err != nil {
		t.Errorf("other installation's job: %v", err)
	}
	if len(ran) != 1 || ran[0] != "b1" {
		t.Errorf("ran %v, want [b1]", ran)
	}
}

// TestSchedulerWaitGrowsWithBacklog: the more of an installation's jobs
// wait for its slots, the longer each one handed back waits, up to
// MaxBusyDelay; a job that then gets a slot stops counting as waiting.
func TestSchedulerWaitGrowsWithBacklog(t *testing.T) {
	t.Parallel()
	s, _ := newScheduler(t, Options{PerInstallation: 1, BusyDelay: time.Second})
	ctx := context.Background()
	release := make(chan struct{})
	started := make(chan struct{})
	done := make(chan error)
	go func() {
		done <- s.Handler(func(context.Context, queue.Job) error { close(started); <-release; return nil })(ctx, jobOf(1, "holder"))
	}()
	<-started
	noop := s.Handler(func(context.Context, queue.Job) error { return nil })
	waitOf := func(n int) time.Duration {
		err := noop(ctx, jobOf(1, fmt.Sprintf("w%d", n)))
		at, ok := queue.RescheduledAt(err)
		if !errors.Is(err, ErrBusy) || !ok {
			t.Fatalf("job %d: %v, want ErrBusy", n, err)
		}
		return time.Until(at)
	}
	tests := []struct {
		waiting int
		lo, hi  time.Duration
	}{
		{1, 500 * time.Millisecond, 1500 * time.Millisecond},
		{10, 9 * time.Second, 15 * time.Second},
		{40, MaxBusyDelay - time.Second, MaxBusyDelay * 3 / 2},
	}
	n := 0
	for _, tc := range tests {
		var d time.Duration
		for n < tc.waiting {
			n++
			d = waitOf(n)
		}
		if d < tc.lo || d > tc.hi {
			t.Errorf("with %d waiting, handed back for %s, want %s to %s", tc.waiting, d, tc.lo, tc.hi)
		}
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := noop(ctx, jobOf(1, "w1")); err != nil {
		t.Fatalf("a waiting job once the slot is free: %v", err)
	}
	waiting, err := s.rdb.ZCard(ctx, keysFor(s.opts.KeyPrefix, 1).waiting).Result()
	if err != nil || waiting != int64(n-1) {
		t.Errorf("%d jobs waiting (%v) after one of %d ran, want %d", waiting, err, n, n-1)
	}
}
