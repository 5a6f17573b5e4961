package queue

import (
	"context"
	"fmt"
	"slices"

	"github.com/hibiken/asynq"

	"github.com/pushguard/pushguard/internal/logkey"
)

// defaultListLimit is how many jobs List lists when limit is 0, and the
// page size of deadIDs.
const defaultListLimit = 100

// Stats counts the queue's jobs by state.
type Stats struct {
	Pending   int // waiting for a worker
	Active    int // running (or orphaned by a dead worker, until recovered)
	Scheduled int // to run at a later time
	Retry     int // failed, waiting for their next try
	Dead      int // in the dead-letter store
}

// The asynq Inspector takes no context: the methods below check ctx before
// they start but cannot interrupt a Redis call in flight.

// Stats counts the queue's jobs by state.
func (q *Queue) Stats(ctx context.Context) (Stats, error) {
	if err := ctx.Err(); err != nil {
		return Stats{}, fmt.Errorf("queue stats: %w", err)
	}
	if ok, err := q.exists(); err != nil || !ok {
		return Stats{}, err
	}
	info, err := q.inspector.GetQueueInfo(q.opts.Name)
	if err != nil {
		return Stats{}, unavailable("queue stats", err)
	}
	return Stats{
		Pending:   info.Pending,
		Active:    info.Active,
		Scheduled: info.Scheduled,
		Retry:     info.Retry,
		Dead:      info.Archived,
	}, nil
}

// Requeue runs a dead job again, under a new ID and with all its retries.
// It returns an error wrapping ErrNotFound if no dead job has that ID.
func (q *Queue) Requeue(ctx context.Context, id string) error {
	info, err := q.deadTask(ctx, "requeue", id)
	if err != nil {
		return err
	}
	// Enqueue the copy before deleting the original: if the delete fails, the
	// job is listed as dead once more, never lost.
	copied, err := q.client.EnqueueContext(ctx, asynq.NewTask(info.Type, info.Payload), q.taskOptions()...)
	if err != nil {
		return unavailable("requeue job "+id, err)
	}
	if err := q.inspector.DeleteTask(q.opts.Name, id); err != nil {
		return unavailable(fmt.Sprintf("requeue job %s: delete it after enqueueing copy %s", id, copied.ID), err)
	}
	job, _ := unmarshalJob(info.Payload)
	q.opts.Logger.InfoContext(ctx, "queue: dead job requeued", append(jobAttrs(copied.ID, job), logkey.PreviousJobID, id)...)
	return nil
}

// exists reports whether asynq knows the queue yet: it learns of it on the
// first enqueue, and its Inspector treats an unknown queue as an error.
func (q *Queue) exists() (bool, error) {
	names, err := q.inspector.Queues()
	if err != nil {
		return false, unavailable("list queues", err)
	}
	return slices.Contains(names, q.opts.Name), nil
}
