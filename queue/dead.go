package queue

import (
	"context"
	"errors"

	"github.com/hibiken/asynq"

	"github.com/pushguard/pushguard/internal/logkey"
)

// handleError logs a failed try and, when the job is dead, says so and calls
// OnDead. asynq calls it before it retries or archives the job, and decides
// the same way: a SkipRetry error (Permanent), or no retries left.
func (w *worker) handleError(ctx context.Context, task *asynq.Task, err error) {
	id, _ := asynq.GetTaskID(ctx)
	retried, _ := asynq.GetRetryCount(ctx)
	maxRetry, _ := asynq.GetMaxRetry(ctx)
	job, _ := unmarshalJob(task.Payload()) // a bad payload logs with empty fields
	attrs := append(jobAttrs(id, job), logkey.Attempt, retried+1, logkey.Error, err.Error())
	log := w.opts.Logger

	if errors.Is(err, asynq.RevokeTask) {
		return
	}
	if !errors.Is(err, asynq.SkipRetry) && retried < maxRetry {
		if at, ok := retryAtFrom(err); ok {
			log.InfoContext(ctx, "queue: job rescheduled", append(attrs, logkey.RetryAt, at)...)
			return
		}
		log.WarnContext(ctx, "queue: job failed, will retry", attrs...)
		return
	}
	log.ErrorContext(ctx, "queue: job is dead", attrs...)
	if w.opts.OnDead != nil {
		w.opts.OnDead(job, err)
	}
}
