package queue_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/internal/poll"
	"github.com/pushguard/pushguard/queue"
)

// TestResultRecordedAfterRedisReturns: Redis goes away while a try runs
// (a failover, a restart) and comes back 3 s later. The try's failure
// is recorded once Redis answers, and the job is retried within seconds,
// not left active until asynq's recoverer takes it back a minute or more
// later.
func TestResultRecordedAfterRedisReturns(t *testing.T) {
	t.Parallel()
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr(), ContextTimeoutEnabled: true})
	t.Cleanup(func() { rdb.Close() })
	q := testQueue{Queue: queue.New(rdb, queue.Options{Backoff: func(int) time.Duration { return 0 }}), rdb: rdb}
	if err := q.Enqueue(context.Background(), testJob("d-settle")); err != nil {
		t.Fatal(err)
	}
	var tries atomic.Int32
	startWorkers(t, q, func(ctx context.Context, job queue.Job) error {
		if tries.Add(1) > 1 {
			return nil
		}
		mr.Close()
		go func() {
			time.Sleep(3 * time.Second) // longer than go-redis's own retries of a command
			if err := mr.Restart(); err != nil {
				t.Errorf("restart redis: %v", err)
			}
		}()
		return errors.New("redis went away mid-job")
	}, queue.WorkerOptions{Concurrency: 1})
	if !poll.Wait(15*time.Second, func() bool { return tries.Load() >= 2 }) {
		t.Fatalf("the job was not retried within 15 s of Redis coming back (%d tries)", tries.Load())
	}
}
