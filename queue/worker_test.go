package queue_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/pushguard/pushguard/internal/poll"
	"github.com/pushguard/pushguard/queue"
)

func TestRetryThenSuccess(t *testing.T) {
	t.Parallel()
	q := newQueue(t, queue.Options{MaxRetry: 3})
	ctx := context.Background()
	if err := q.Enqueue(ctx, testJob("d-retry")); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	var r recorder
	startWorkers(t, q, r.handler(errors.New("fetch commits: 502"), errors.New("fetch commits: 502")), r.options())
	poll.Until(t, 15*time.Second, func() bool { _, done, _ := r.snapshot(); return len(done) == 3 }, "three tries")
	settle(t, q, queue.Stats{})

	calls, done, dead := r.snapshot()
	if got, want := retriedOf(calls), []int{0, 1, 2}; !reflect.DeepEqual(got, want) {
		t.Errorf("retried per try = %v, want %v", got, want)
	}
	if calls[0].max != 3 {
		t.Errorf("Attempt maxRetry = %d, want 3", calls[0].max)
	}
	if done[2] != nil || len(dead) != 0 {
		t.Errorf("last try %v, dead %v; want success and nothing dead", done[2], dead)
	}
	if got, err := q.Stats(ctx); err != nil || got != (queue.Stats{}) {
		t.Errorf("Stats = %+v, %v; want all zero", got, err)
	}
}

func TestRetriesExhaustedJobIsDead(t *testing.T) {
	t.Parallel()
	var logs logBuffer
	q := newQueue(t, queue.Options{MaxRetry: 2, Logger: logs.logger()})
	ctx := context.Background()
	job := testJob("d-dead")
	if err := q.Enqueue(ctx, job); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	var r recorder
	results := []error{errors.New("boom 1"), errors.New("boom 2"), errors.New("boom 3"), errors.New("never")}
	startWorkers(t, q, r.handler(results...), r.options())
	poll.Until(t, 15*time.Second, func() bool { _, _, dead := r.snapshot(); return len(dead) == 1 }, "OnDead")
	settle(t, q, queue.Stats{Dead: 1})

	calls, _, dead := r.snapshot()
	if len(calls) != 3 {
		t.Errorf("tried %d times, want 3 (1 + MaxRetry)", len(calls))
	}
	r.mu.Lock()
	deadJob := r.deadJob[0]
	r.mu.Unlock()
	if dead[0].Error() != "boom 3" || !reflect.DeepEqual(deadJob, job) {
		t.Errorf("OnDead(%+v, %v), want the job and boom 3", deadJob, dead[0])
	}
	list, err := q.List(ctx, queue.StateDead, 10)
	if err != nil || len(list) != 1 {
		t.Fatalf("List dead = %+v, %v; want one job", list, err)
	}
	d := list[0]
	if d.ID != job.DeliveryID || d.LastError != "boom 3" || d.Retried != 2 || !reflect.DeepEqual(d.Job, job) {
		t.Errorf("dead job = %+v, want ID %s, LastError boom 3, Retried 2", d, job.DeliveryID)
	}
	if time.Since(d.LastFailedAt) > time.Minute {
		t.Errorf("LastFailedAt = %v, want just now", d.LastFailedAt)
	}
	if got, err := q.Stats(ctx); err != nil || got != (queue.Stats{Dead: 1}) {
		t.Errorf("Stats = %+v, %v; want one dead", got, err)
	}
	lines := logs.find(t, "queue: job is dead")
	if len(lines) != 1 {
		t.Fatalf("got %d 'job is dead' log lines, want 1", len(lines))
	}
	want := map[string]any{"job_id": job.DeliveryID, "delivery_id": job.DeliveryID, "kind": "push", "repo": "octo/hello", "attempt": 3.0, "error": "boom 3"}
	for k, v := range want {
		if lines[0][k] != v {
			t.Errorf("log %s = %v, want %v", k, lines[0][k], v)
		}
	}
}

func TestPermanentIsDeadAtOnce(t *testing.T) {
	t.Parallel()
	q := newQueue(t, queue.Options{MaxRetry: 5})
	ctx := context.Background()
	if err := q.Enqueue(ctx, testJob("d-perm")); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	var r recorder
	startWorkers(t, q, r.handler(queue.Permanent(errors.New("installation gone"))), r.options())
	poll.Until(t, 10*time.Second, func() bool { _, _, dead := r.snapshot(); return len(dead) == 1 }, "OnDead")
	settle(t, q, queue.Stats{Dead: 1})

	if calls, _, _ := r.snapshot(); len(calls) != 1 {
		t.Errorf("tried %d times, want 1", len(calls))
	}
	list, err := q.List(ctx, queue.StateDead, 0)
	if err != nil || len(list) != 1 || list[0].LastError != "installation gone" || list[0].Retried != 0 {
		t.Errorf("List dead = %+v, %v; want one job, LastError installation gone, Retried 0", list, err)
	}
}

func TestRetryAtKeepsRetries(t *testing.T) {
	t.Parallel()
	const (
		later = "RetryAt" // rate limited: try again in 200 ms
		fail  = "fail"
		ok    = "ok"
	)
	tests := []struct {
		name        string
		plan        []string // what each try returns
		wantRetried []int    // the retry count each try sees
	}{
		{"on the first try", []string{later, later, ok}, []int{0, 0, 0}},
		// With MaxRetry 1 the second try is the last: RetryAt reschedules it
		// rather than killing it.
		{"on the last try", []string{fail, later, ok}, []int{0, 1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q := newQueue(t, queue.Options{MaxRetry: 1})
			if err := q.Enqueue(context.Background(), testJob("d-later")); err != nil {
				t.Fatalf("Enqueue: %v", err)
			}
			var (
				mu      sync.Mutex
				retried []int
				ran     []time.Time
				asked   []time.Time // the RetryAt time of each try, or zero
			)
			var r recorder
			startWorkers(t, q, func(ctx context.Context, _ queue.Job) error {
				mu.Lock()
				defer mu.Unlock()
				n, _ := queue.Attempt(ctx)
				retried = append(retried, n)
				ran = append(ran, time.Now())
				asked = append(asked, time.Time{})
				switch tt.plan[min(len(ran), len(tt.plan))-1] {
				case later:
					asked[len(asked)-1] = time.Now().Add(200 * time.Millisecond)
					return queue.RetryAt(errors.New("rate limited"), asked[len(asked)-1])
				case fail:
					return errors.New("502")
				}
				return nil
			}, r.options())
			want := len(tt.plan)
			poll.Until(t, 15*time.Second, func() bool { _, done, _ := r.snapshot(); return len(done) == want }, fmt.Sprintf("%d tries", want))
			settle(t, q, queue.Stats{})

			mu.Lock()
			defer mu.Unlock()
			if !reflect.DeepEqual(retried, tt.wantRetried) {
				t.Errorf("retried per try = %v, want %v", retried, tt.wantRetried)
			}
			for i := 1; i < len(ran); i++ {
				if ran[i].Before(asked[i-1]) {
					t.Errorf("try %d ran at %v, before the RetryAt time %v", i+1, ran[i], asked[i-1])
				}
			}
			if _, done, dead := r.snapshot(); done[want-1] != nil || len(dead) != 0 {
				t.Errorf("last try %v, dead %v; want success, nothing dead", done[want-1], dead)
			}
		})
	}
}

func TestGracefulShutdown(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		jobTakes    time.Duration
		timeout     time.Duration
		wantDone    bool
		wantPending int
	}{
		{"in-flight job finishes", 500 * time.Millisecond, 5 * time.Second, true, 0},
		{"job past the timeout is handed back", time.Hour, 300 * time.Millisecond, false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q := newQueue(t, queue.Options{})
			ctx := context.Background()
			if err := q.Enqueue(ctx, testJob("d-shutdown")); err != nil {
				t.Fatalf("Enqueue: %v", err)
			}
			started := make(chan struct{})
			finished := make(chan error, 1)
			stop := startWorkers(t, q, func(ctx context.Context, _ queue.Job) error {
				close(started)
				select {
				case <-time.After(tt.jobTakes):
					finished <- nil
				case <-ctx.Done():
					finished <- ctx.Err()
				}
				return nil
			}, queue.WorkerOptions{ShutdownTimeout: tt.timeout})
			select {
			case <-started:
			case <-time.After(10 * time.Second):
				t.Fatal("job never started")
			}
			if err := stop(); err != nil {
				t.Fatalf("Run = %v, want nil", err)
			}
			select {
			case err := <-finished:
				if (err == nil) != tt.wantDone {
					t.Errorf("job ended with %v, want done=%v", err, tt.wantDone)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("handler did not return after shutdown")
			}
			if got, err := q.Stats(ctx); err != nil || got != (queue.Stats{Pending: tt.wantPending}) {
				t.Errorf("Stats after shutdown = %+v, %v; want %d pending", got, err, tt.wantPending)
			}
		})
	}
}

// retriedOf returns the retry count each call saw.
func retriedOf(calls []call) []int {
	var n []int
	for _, c := range calls {
		n = append(n, c.retried)
	}
	return n
}

// TestTaskIDSameOnEveryTry checks that a handler sees one task ID on every
// try of a job, rescheduled or retried, and a different one for another job:
// the app fences its per-SHA leases with it.
func TestTaskIDSameOnEveryTry(t *testing.T) {
	t.Parallel()
	q := newQueue(t, queue.Options{MaxRetry: 3})
	ctx := context.Background()
	for _, d := range []string{"d-id-1", "d-id-2"} {
		if err := q.Enqueue(ctx, testJob(d)); err != nil {
			t.Fatalf("Enqueue: %v", err)
		}
	}
	var mu sync.Mutex
	ids := map[string][]string{}
	startWorkers(t, q, func(ctx context.Context, job queue.Job) error {
		mu.Lock()
		defer mu.Unlock()
		ids[job.DeliveryID] = append(ids[job.DeliveryID], queue.TaskID(ctx))
		switch len(ids[job.DeliveryID]) {
		case 1:
			return queue.RetryAt(errors.New("busy"), time.Now())
		case 2:
			return errors.New("transient")
		}
		return nil
	}, queue.WorkerOptions{Concurrency: 2})
	poll.Until(t, 30*time.Second, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(ids["d-id-1"]) == 3 && len(ids["d-id-2"]) == 3
	}, "three tries of each job")
	mu.Lock()
	defer mu.Unlock()
	for d, got := range ids {
		if got[0] == "" || got[0] != got[1] || got[1] != got[2] {
			t.Errorf("task IDs of %s's tries = %q, want one non-empty ID", d, got)
		}
	}
	if ids["d-id-1"][0] == ids["d-id-2"][0] {
		t.Errorf("two jobs share task ID %q", ids["d-id-1"][0])
	}
	if got := queue.TaskID(ctx); got != "" {
		t.Errorf("TaskID outside a handler = %q, want \"\"", got)
	}
}
