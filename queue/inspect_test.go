package queue_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/pushguard/pushguard/internal/poll"
	"github.com/pushguard/pushguard/queue"
)

func TestStats(t *testing.T) {
	t.Parallel()
	q := newQueue(t, queue.Options{})
	ctx := context.Background()
	if got, err := q.Stats(ctx); err != nil || got != (queue.Stats{}) {
		t.Errorf("Stats of a new queue = %+v, %v; want all zero", got, err)
	}
	for _, id := range []string{"d-1", "d-2"} {
		if err := q.Enqueue(ctx, testJob(id)); err != nil {
			t.Fatalf("Enqueue %s: %v", id, err)
		}
	}
	if got, err := q.Stats(ctx); err != nil || got != (queue.Stats{Pending: 2}) {
		t.Errorf("Stats = %+v, %v; want 2 pending", got, err)
	}
}

func TestRequeue(t *testing.T) {
	t.Parallel()
	q := newQueue(t, queue.Options{MaxRetry: 3})
	ctx := context.Background()
	job := testJob("d-requeue")
	if err := q.Enqueue(ctx, job); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	var r recorder
	// Dead at once, then after the requeue: one more failure (its retries
	// are back), then success.
	startWorkers(t, q, r.handler(queue.Permanent(errors.New("bug")), errors.New("502")), r.options())
	poll.Until(t, 10*time.Second, func() bool { _, _, dead := r.snapshot(); return len(dead) == 1 }, "the job to die")

	if err := q.Requeue(ctx, "no-such-job"); !errors.Is(err, queue.ErrNotFound) {
		t.Errorf("Requeue of an unknown job = %v, want ErrNotFound", err)
	}
	list, err := q.List(ctx, queue.StateDead, 10)
	if err != nil || len(list) != 1 {
		t.Fatalf("List dead = %+v, %v; want one job", list, err)
	}
	if err := q.Requeue(ctx, list[0].ID); err != nil {
		t.Fatalf("Requeue: %v", err)
	}
	poll.Until(t, 10*time.Second, func() bool {
		_, done, _ := r.snapshot()
		return len(done) == 3 && done[2] == nil
	}, "the requeued job to succeed")
	calls, _, dead := r.snapshot()
	if got := retriedOf(calls); !reflect.DeepEqual(got, []int{0, 0, 1}) {
		t.Errorf("retried per try = %v, want [0 0 1]", got)
	}
	if !reflect.DeepEqual(calls[2].job, job) || len(dead) != 1 {
		t.Errorf("requeued run got %+v with %d dead; want the same job, dead once", calls[2].job, len(dead))
	}
	if got, err := q.Stats(ctx); err != nil || got != (queue.Stats{}) {
		t.Errorf("Stats = %+v, %v; want all zero", got, err)
	}
}
