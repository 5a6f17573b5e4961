package queue

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/hibiken/asynq"

	"github.com/pushguard/pushguard/internal/logkey"
)

// defaultDeadLimit is how many dead jobs Dead lists when limit is 0.
const defaultDeadLimit = 100

// Stats counts the queue's jobs by state.
type Stats struct {
	Pending   int // waiting for a worker
	Active    int // running (or orphaned by a dead worker, until recovered)
	Scheduled int // to run at a later time
	Retry     int // failed, waiting for their next try
	Dead      int // in the dead-letter store
}

// DeadJob is a job in the dead-letter store.
type DeadJob struct {
	ID        string    // the job's ID, for Requeue
	Job       Job       // zero if the stored payload could not be decoded
	LastError string    // the error of its last try
	FailedAt  time.Time // when its last try failed
	Retried   int       // how many times it was retried
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

// Dead lists up to limit jobs of the dead-letter store (100 when limit is
// 0), oldest first.
func (q *Queue) Dead(ctx context.Context, limit int) ([]DeadJob, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("list dead jobs: %w", err)
	}
	if limit <= 0 {
		limit = defaultDeadLimit
	}
	if ok, err := q.exists(); err != nil || !ok {
		return nil, err
	}
	tasks, err := q.inspector.ListArchivedTasks(q.opts.Name, asynq.PageSize(limit))
	if err != nil {
		return nil, unavailable("list dead jobs", err)
	}
	dead := make([]DeadJob, 0, len(tasks))
	for _, t := range tasks {
		job, _ := unmarshalJob(t.Payload)
		dead = append(dead, DeadJob{ID: t.ID, Job: job, LastError: t.LastErr, FailedAt: t.LastFailedAt, Retried: t.Retried})
	}
	return dead, nil
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
