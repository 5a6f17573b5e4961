package queue

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
)

// undoTimeout bounds the clean-up of a dedupe key after a failed enqueue.
const undoTimeout = 2 * time.Second

// Enqueue validates job and stores it for a worker, at most once per
// delivery ID within the dedupe TTL: a second enqueue of the same delivery
// returns an error wrapping ErrDuplicate and stores nothing. An error
// wrapping ErrUnavailable means Redis could not take the job; the delivery
// is then forgotten, so GitHub's redelivery can succeed. ctx bounds the
// Redis calls: the webhook should give it a deadline.
func (q *Queue) Enqueue(ctx context.Context, job Job) error {
	if err := job.Validate(); err != nil {
		return fmt.Errorf("enqueue: %w: %w", ErrInvalidJob, err)
	}
	payload, err := job.marshal()
	if err != nil {
		return fmt.Errorf("enqueue delivery %s: %w", job.DeliveryID, err)
	}
	key := q.dedupeKey(job.DeliveryID)
	fresh, err := q.rdb.SetNX(ctx, key, string(job.Kind), q.opts.DedupeTTL).Result()
	if err != nil {
		return unavailable("enqueue delivery "+job.DeliveryID, err)
	}
	if !fresh {
		return fmt.Errorf("enqueue delivery %s: %w", job.DeliveryID, ErrDuplicate)
	}
	// The task ID is the delivery ID, so asynq refuses a second copy too.
	task := asynq.NewTask(string(job.Kind), payload)
	opts := append(q.taskOptions(), asynq.TaskID(job.DeliveryID))
	if _, err := q.client.EnqueueContext(ctx, task, opts...); err != nil {
		if errors.Is(err, asynq.ErrTaskIDConflict) {
			return fmt.Errorf("enqueue delivery %s: %w", job.DeliveryID, ErrDuplicate)
		}
		q.forget(ctx, key)
		return unavailable("enqueue delivery "+job.DeliveryID, err)
	}
	return nil
}

// dedupeKey is the key that remembers a delivery.
func (q *Queue) dedupeKey(deliveryID string) string {
	return q.opts.KeyPrefix + "delivery:" + deliveryID
}

// forget deletes a dedupe key after a failed enqueue. It runs even when ctx
// has ended, since an ended ctx may be why the enqueue failed.
func (q *Queue) forget(ctx context.Context, key string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), undoTimeout)
	defer cancel()
	if err := q.rdb.Del(ctx, key).Err(); err != nil {
		q.opts.Logger.WarnContext(ctx, "queue: could not forget delivery after failed enqueue; its redelivery will be dropped as a duplicate",
			keyDedupeKey, key, keyError, err.Error())
	}
}
