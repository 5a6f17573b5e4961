package queue

import (
	"context"
	"errors"
	"fmt"

	"github.com/hibiken/asynq"
)

// Enqueue validates job and stores it for a worker, at most once per
// delivery ID: a second enqueue of the same delivery returns an error
// wrapping ErrDuplicate and stores nothing. An error wrapping ErrUnavailable
// means Redis could not take the job (or ctx ended first); GitHub's
// redelivery may then be enqueued, or be a duplicate if the command reached
// Redis after all, in which case the job exists. ctx bounds the Redis calls:
// the webhook should give it a deadline, and the client must be built with
// RedisOptions (or have ContextTimeoutEnabled) for the deadline to hold.
//
// Deduplication and enqueue are one step: the task ID is the delivery ID,
// and asynq's enqueue script refuses an ID that exists, atomically. A
// delivery is a duplicate only while its job exists: pending, running,
// waiting for a retry, dead, or done within Options.DedupeTTL (the job is
// kept that long after it succeeds). There is no separate dedupe key that
// could outlive a job that was never stored.
func (q *Queue) Enqueue(ctx context.Context, job Job) error {
	if err := job.Validate(); err != nil {
		return fmt.Errorf("enqueue: %w: %w", ErrInvalidJob, err)
	}
	payload, err := job.marshal()
	if err != nil {
		return fmt.Errorf("enqueue delivery %s: %w", job.DeliveryID, err)
	}
	task := asynq.NewTask(string(job.Kind), payload)
	opts := append(q.taskOptions(), asynq.TaskID(job.DeliveryID), asynq.Retention(q.opts.DedupeTTL))
	_, err = q.client.EnqueueContext(ctx, task, opts...)
	switch {
	case errors.Is(err, asynq.ErrTaskIDConflict):
		return fmt.Errorf("enqueue delivery %s: %w", job.DeliveryID, ErrDuplicate)
	case err != nil:
		return unavailable("enqueue delivery "+job.DeliveryID, err)
	}
	return nil
}
