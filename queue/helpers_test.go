package queue_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pushguard/pushguard/internal/poll"
	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/queue"
	"github.com/pushguard/pushguard/queue/queuetest"
)

// pollInterval keeps asynq's polling short so tests take seconds.
const pollInterval = 50 * time.Millisecond

// testQueue is a queue on the test Redis, with its client and options.
type testQueue struct {
	*queue.Queue
	rdb  redis.UniversalClient
	opts queue.Options
}

// newQueue returns a queue on the test Redis under a name of its own.
// Retries run at once unless opts says otherwise.
func newQueue(t *testing.T, opts queue.Options) testQueue {
	t.Helper()
	rdb := queuetest.Redis(t)
	name := queuetest.Name(t, rdb)
	opts.Name = name
	opts.KeyPrefix = name + ":"
	if opts.Backoff == nil {
		opts.Backoff = func(int) time.Duration { return 0 }
	}
	return testQueue{Queue: queue.New(rdb, opts), rdb: rdb, opts: opts}
}

// testJob returns a valid push job for a delivery.
func testJob(deliveryID string) queue.Job {
	return queue.Job{
		Kind:           queue.KindPush,
		DeliveryID:     deliveryID,
		Event:          "push",
		InstallationID: 42,
		Owner:          "octo",
		Repo:           "hello",
		Ref:            "refs/heads/main",
		Before:         "1111111111111111111111111111111111111111",
		Commits:        []string{"2222222222222222222222222222222222222222"},
		HeadSHA:        "2222222222222222222222222222222222222222",
	}
}

// startWorkers runs q's workers until the returned stop is called or the
// test ends. stop waits for Run to return and gives its error.
func startWorkers(t *testing.T, q testQueue, h queue.Handler, opts queue.WorkerOptions) (stop func() error) {
	t.Helper()
	if opts.PollInterval == 0 {
		opts.PollInterval = pollInterval
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- q.Run(ctx, h, opts) }()
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() {
			cancel()
			err = <-done
		})
		return err
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return stop
}

// settle waits until q holds exactly want. With no job pending, active,
// scheduled or due for a retry, nothing can run again, so what a handler has
// recorded by then is final: tests wait on this rather than sleeping to
// prove that a job did not run a second time.
func settle(t *testing.T, q testQueue, want queue.Stats) {
	t.Helper()
	var got queue.Stats
	var err error
	if !poll.Wait(10*time.Second, func() bool {
		got, err = q.Stats(context.Background())
		return err == nil && got == want
	}) {
		t.Fatalf("queue did not settle: Stats = %+v, %v; want %+v", got, err, want)
	}
}

// recorder records what a handler and the worker callbacks saw.
type recorder struct {
	mu      sync.Mutex
	calls   []call
	done    []error
	dead    []error
	deadJob []queue.Job
}

// call is one try of a job as the handler saw it.
type call struct {
	job     queue.Job
	retried int
	max     int
	at      time.Time
}

// handler returns a Handler that records each call and returns results[i]
// on the i-th call (nil after the last).
func (r *recorder) handler(results ...error) queue.Handler {
	return func(ctx context.Context, job queue.Job) error {
		retried, maxRetry := queue.Attempt(ctx)
		r.mu.Lock()
		defer r.mu.Unlock()
		r.calls = append(r.calls, call{job: job, retried: retried, max: maxRetry, at: time.Now()})
		if n := len(r.calls); n <= len(results) {
			return results[n-1]
		}
		return nil
	}
}

// options returns WorkerOptions whose callbacks feed r.
func (r *recorder) options() queue.WorkerOptions {
	return queue.WorkerOptions{
		Concurrency:     2,
		ShutdownTimeout: 5 * time.Second,
		OnDone: func(_ queue.Job, err error, _ time.Duration) {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.done = append(r.done, err)
		},
		OnDead: func(job queue.Job, err error) {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.dead = append(r.dead, err)
			r.deadJob = append(r.deadJob, job)
		},
	}
}

// snapshot returns copies of what r has recorded.
func (r *recorder) snapshot() (calls []call, done, dead []error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]call(nil), r.calls...), append([]error(nil), r.done...), append([]error(nil), r.dead...)
}

// logBuffer collects JSON log lines from several goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// logger returns a logger that writes JSON lines to b.
func (b *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(b, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// find returns the decoded log lines whose message is msg.
func (b *logBuffer) find(t *testing.T, msg string) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var found []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(b.buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if m["msg"] == msg {
			found = append(found, m)
		}
	}
	return found
}
