package queue

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
)

// State is where a job is, as operators list jobs.
type State string

// The states of a job.
const (
	StatePending   State = "pending"   // waiting for a worker
	StateActive    State = "active"    // running (or orphaned by a dead worker, until recovered)
	StateScheduled State = "scheduled" // to run at a later time (a rate limit, a busy head SHA)
	StateRetry     State = "retry"     // failed, waiting for its next try
	StateDead      State = "dead"      // in the dead-letter store
)

// States lists the states in the order a job goes through them.
func States() []State {
	return []State{StatePending, StateActive, StateScheduled, StateRetry, StateDead}
}

// JobInfo is a job as operators see it. It carries the Job's fields
// (IDs, names and SHAs: a job holds no secret), never the raw payload.
type JobInfo struct {
	ID    string
	State State
	// Job is the decoded job; zero (but for Kind) when the stored payload
	// could not be decoded, which Invalid then says.
	Job     Job
	Invalid string
	// Retried is how many of its tries failed so far; MaxRetry how many
	// retries it has in all.
	Retried, MaxRetry int
	LastError         string
	LastFailedAt      time.Time // zero when it never failed
	NextRunAt         time.Time // zero unless pending, scheduled or waiting for a retry
}

// The asynq Inspector takes no context: the methods below check ctx before
// they start but cannot interrupt a Redis call in flight.

// List lists up to limit jobs (100 when 0) in state, oldest first for the
// dead, in asynq's order for the others.
func (q *Queue) List(ctx context.Context, state State, limit int) ([]JobInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("list %s jobs: %w", state, err)
	}
	list, ok := q.lister(state)
	if !ok {
		return nil, fmt.Errorf("list jobs: unknown state %q", state)
	}
	if limit <= 0 {
		limit = defaultListLimit
	}
	if ok, err := q.exists(); err != nil || !ok {
		return nil, err
	}
	tasks, err := list(q.opts.Name, asynq.PageSize(limit))
	if err != nil {
		return nil, unavailable(fmt.Sprintf("list %s jobs", state), err)
	}
	out := make([]JobInfo, 0, len(tasks))
	for _, t := range tasks {
		out = append(out, jobInfo(t, state))
	}
	return out, nil
}

// lister is the Inspector's list method of a state.
func (q *Queue) lister(state State) (func(string, ...asynq.ListOption) ([]*asynq.TaskInfo, error), bool) {
	i := q.inspector
	f, ok := map[State]func(string, ...asynq.ListOption) ([]*asynq.TaskInfo, error){
		StatePending: i.ListPendingTasks, StateActive: i.ListActiveTasks, StateScheduled: i.ListScheduledTasks,
		StateRetry: i.ListRetryTasks, StateDead: i.ListArchivedTasks,
	}[state]
	return f, ok
}

// jobInfo turns asynq's view of a task into ours.
func jobInfo(t *asynq.TaskInfo, state State) JobInfo {
	job, err := unmarshalJob(t.Payload)
	info := JobInfo{ID: t.ID, State: state, Job: job, Retried: t.Retried, MaxRetry: max(t.MaxRetry-1, 0),
		LastError: t.LastErr, LastFailedAt: t.LastFailedAt, NextRunAt: t.NextProcessAt}
	if err != nil {
		info.Job = Job{Kind: Kind(t.Type)}
		info.Invalid = "the stored job could not be read"
	}
	return info
}

// Retry runs a job again: a dead one under a new ID with all its retries
// (Requeue), one waiting for a retry or scheduled for later at once, under
// its own ID. It returns an error wrapping ErrNotFound if no such job
// exists, or if it is pending or running already.
func (q *Queue) Retry(ctx context.Context, id string) error {
	info, err := q.task(ctx, "retry", id)
	if err != nil {
		return err
	}
	switch info.State {
	case asynq.TaskStateArchived:
		return q.Requeue(ctx, id)
	case asynq.TaskStateRetry, asynq.TaskStateScheduled:
		if err := q.inspector.RunTask(q.opts.Name, id); err != nil {
			return unavailable("retry job "+id, err)
		}
		job, _ := unmarshalJob(info.Payload)
		q.opts.Logger.InfoContext(ctx, "queue: job run now by an operator", jobAttrs(id, job)...)
		return nil
	}
	return fmt.Errorf("retry job %s: it is %s already: %w", id, info.State, ErrNotFound)
}

// RequeueDead requeues every job that is dead when it starts (Requeue) and
// returns how many were requeued; a requeued job that dies again meanwhile
// is not requeued twice. It stops at the first failure.
func (q *Queue) RequeueDead(ctx context.Context) (int, error) {
	ids, err := q.deadIDs(ctx)
	if err != nil {
		return 0, err
	}
	for n, id := range ids {
		if err := q.Requeue(ctx, id); err != nil {
			return n, err
		}
	}
	return len(ids), nil
}

// deadIDs lists the IDs of every dead job, a page at a time.
func (q *Queue) deadIDs(ctx context.Context) ([]string, error) {
	if ok, err := q.exists(); err != nil || !ok {
		return nil, err
	}
	var ids []string
	for page := 1; ; page++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("list dead jobs: %w", err)
		}
		tasks, err := q.inspector.ListArchivedTasks(q.opts.Name, asynq.PageSize(defaultListLimit), asynq.Page(page))
		if err != nil {
			return nil, unavailable("list dead jobs", err)
		}
		for _, t := range tasks {
			ids = append(ids, t.ID)
		}
		if len(tasks) < defaultListLimit {
			return ids, nil
		}
	}
}

// Delete deletes a dead job for good. It returns an error wrapping
// ErrNotFound if no dead job has that ID: jobs that may still run are
// never deleted.
func (q *Queue) Delete(ctx context.Context, id string) error {
	info, err := q.deadTask(ctx, "delete", id)
	if err != nil {
		return err
	}
	if err := q.inspector.DeleteTask(q.opts.Name, id); err != nil {
		return unavailable("delete job "+id, err)
	}
	job, _ := unmarshalJob(info.Payload)
	q.opts.Logger.InfoContext(ctx, "queue: dead job deleted by an operator", jobAttrs(id, job)...)
	return nil
}

// deadTask reads one dead task for op: ErrNotFound when it is not dead.
func (q *Queue) deadTask(ctx context.Context, op, id string) (*asynq.TaskInfo, error) {
	info, err := q.task(ctx, op, id)
	if err == nil && info.State != asynq.TaskStateArchived {
		err = fmt.Errorf("%s job %s: it is %s, not dead: %w", op, id, info.State, ErrNotFound)
	}
	return info, err
}

// task reads one task for op, mapping asynq's "not found" to ErrNotFound.
func (q *Queue) task(ctx context.Context, op, id string) (*asynq.TaskInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s job %s: %w", op, id, err)
	}
	info, err := q.inspector.GetTaskInfo(q.opts.Name, id)
	switch {
	case errors.Is(err, asynq.ErrTaskNotFound), errors.Is(err, asynq.ErrQueueNotFound):
		return nil, fmt.Errorf("%s job %s: %w", op, id, ErrNotFound)
	case err != nil:
		return nil, unavailable(op+" job "+id, err)
	}
	return info, nil
}
