package queue_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pushguard/pushguard/internal/poll"
	"github.com/pushguard/pushguard/queue"
)

// TestListRetryDelete: jobs are listed in their state with their fields;
// a job waiting for its retry runs at once on Retry; Delete and Retry
// refuse jobs that may still run, and unknown IDs.
func TestListRetryDelete(t *testing.T) {
	t.Parallel()
	q := newQueue(t, queue.Options{Backoff: func(int) time.Duration { return time.Hour }})
	ctx := context.Background()
	if _, err := q.List(ctx, "completed", 10); err == nil {
		t.Error("List of an unknown state: no error")
	}
	job := testJob("d-list")
	if err := q.Enqueue(ctx, job); err != nil {
		t.Fatal(err)
	}
	pending, err := q.List(ctx, queue.StatePending, 10)
	if err != nil || len(pending) != 1 || pending[0].ID != "d-list" || pending[0].Job.HeadSHA != job.HeadSHA || pending[0].State != queue.StatePending {
		t.Fatalf("List pending = %+v, %v", pending, err)
	}
	for name, op := range map[string]func(context.Context, string) error{"Delete": q.Delete, "Retry": q.Retry} {
		if err := op(ctx, "d-list"); !errors.Is(err, queue.ErrNotFound) {
			t.Errorf("%s of a pending job = %v, want ErrNotFound", name, err)
		}
		if err := op(ctx, "no-such-job"); !errors.Is(err, queue.ErrNotFound) {
			t.Errorf("%s of an unknown job = %v, want ErrNotFound", name, err)
		}
	}

	// The first try fails with a retry an hour away; Retry runs it now.
	var r recorder
	startWorkers(t, q, r.handler(errors.New("502 from GitHub")), r.options())
	var waiting []queue.JobInfo
	poll.Until(t, 10*time.Second, func() bool {
		waiting, err = q.List(ctx, queue.StateRetry, 10)
		return err == nil && len(waiting) == 1
	}, "the job to wait for its retry")
	if w := waiting[0]; w.LastError != "502 from GitHub" || w.Retried != 1 || time.Until(w.NextRunAt) < 30*time.Minute || w.Job.DeliveryID != "d-list" {
		t.Errorf("retry entry %+v", w)
	}
	if err := q.Retry(ctx, "d-list"); err != nil {
		t.Fatalf("Retry: %v", err)
	}
	settle(t, q, queue.Stats{})
	if calls, done, _ := r.snapshot(); len(calls) != 2 || done[1] != nil {
		t.Errorf("%d tries (%v), want the retried one to succeed", len(calls), done)
	}
}
