package queue

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"

	"github.com/pushguard/pushguard/internal/logkey"
	"github.com/pushguard/pushguard/internal/wait"
)

// Defaults for WorkerOptions.
const (
	// DefaultConcurrency suits jobs that mostly wait on the GitHub API.
	DefaultConcurrency = 8
	// DefaultShutdownTimeout fits inside Kubernetes' default 30 s grace period.
	DefaultShutdownTimeout = 25 * time.Second
)

// Handler runs one job. It returns nil when done, an error to have the job
// retried with backoff, RetryAt(err, t) to have it run again at t without
// using a retry, or Permanent(err) to send it to the dead-letter store.
//
// The error's text is stored in Redis and logged: it must never contain a
// secret, a diff or file content. A handler must return soon after ctx ends.
// The job may run more than once (at-least-once delivery), so handlers must
// be idempotent.
type Handler func(ctx context.Context, job Job) error

// WorkerOptions configures Run. Zero fields take the defaults.
type WorkerOptions struct {
	// Concurrency is how many jobs run at once; DefaultConcurrency when 0.
	Concurrency int
	// ShutdownTimeout is how long in-flight jobs may take to finish once
	// Run's ctx ends; DefaultShutdownTimeout when 0. Jobs still running then
	// are handed back to the queue and their contexts are cancelled.
	ShutdownTimeout time.Duration
	// PollInterval is how often an idle worker looks for new jobs and for
	// retries that are due; when 0, asynq's defaults (1 s and 5 s). Tests
	// shorten it.
	PollInterval time.Duration
	// Logger receives the workers' logs; the queue's logger when nil.
	Logger *slog.Logger
	// OnDead is called when a job goes to the dead-letter store, with its
	// last error. It is not called for a job whose worker died on its last
	// try (the recoverer archives those). Must be safe for concurrent use.
	OnDead func(job Job, err error)
	// OnDone is called after every try of a job with its error (nil on
	// success) and how long it ran. Must be safe for concurrent use.
	OnDone func(job Job, err error, took time.Duration)
}

// Run runs jobs with h until ctx ends, then shuts down gracefully: it stops
// taking jobs, lets in-flight ones finish for up to ShutdownTimeout, hands
// the rest back to the queue, and returns nil. Jobs run under a context that
// keeps ctx's values but not its cancellation. Run returns an error wrapping
// ErrUnavailable at once if Redis does not answer.
func (q *Queue) Run(ctx context.Context, h Handler, opts WorkerOptions) error {
	if err := q.Ping(ctx); err != nil {
		return fmt.Errorf("run workers: %w", err)
	}
	w := &worker{q: q, handler: h, opts: opts.withDefaults(q.opts.Logger)}
	srv := asynq.NewServerFromRedisClient(q.rdb, w.config(ctx))
	if err := srv.Start(asynq.HandlerFunc(w.processTask)); err != nil {
		return fmt.Errorf("run workers: %w", err)
	}
	<-ctx.Done()
	srv.Shutdown()
	return nil
}

// withDefaults fills in the zero fields.
func (o WorkerOptions) withDefaults(log *slog.Logger) WorkerOptions {
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.ShutdownTimeout <= 0 {
		o.ShutdownTimeout = DefaultShutdownTimeout
	}
	if o.Logger == nil {
		o.Logger = log
	}
	return o
}

// worker adapts a Handler to asynq.
type worker struct {
	q       *Queue
	handler Handler
	opts    WorkerOptions
}

// config is the asynq server configuration for w.
func (w *worker) config(ctx context.Context) asynq.Config {
	base := context.WithoutCancel(ctx)
	return asynq.Config{
		Concurrency:              w.opts.Concurrency,
		BaseContext:              func() context.Context { return base },
		TaskCheckInterval:        w.opts.PollInterval,
		DelayedTaskCheckInterval: w.opts.PollInterval,
		RetryDelayFunc:           w.retryDelay,
		IsFailure:                isFailure,
		Queues:                   map[string]int{w.q.opts.Name: 1},
		ErrorHandler:             asynq.ErrorHandlerFunc(w.handleError),
		Logger:                   asynqLogger{w.opts.Logger},
		LogLevel:                 asynq.DebugLevel, // slog's handler decides
		ShutdownTimeout:          w.opts.ShutdownTimeout,
		HealthCheckFunc:          w.healthCheck,
	}
}

// processTask decodes a task's job and runs the handler on it.
func (w *worker) processTask(ctx context.Context, task *asynq.Task) error {
	job, err := unmarshalJob(task.Payload())
	if err != nil {
		return Permanent(err)
	}
	start := time.Now()
	err = w.handler(ctx, job)
	w.settle(ctx)
	if w.opts.OnDone != nil {
		w.opts.OnDone(job, err, time.Since(start))
	}
	if err == nil {
		return nil
	}
	if retried, maxRetry := Attempt(ctx); retried >= maxRetry {
		if _, ok := retryAtFrom(err); !ok {
			return Permanent(err) // last try: archive it ourselves (see taskOptions)
		}
	}
	return err
}

// settleTimeout bounds how long a finished try waits for Redis (settle):
// well inside asynq's 30 s lease, which its heartbeat keeps extending while
// the try waits.
const settleTimeout = 20 * time.Second

// settle waits, after a try, until Redis answers, so that asynq can record
// the try's result: during a Sentinel failover or a restart, asynq v0.26
// retries a result it failed to write only under a context it has already
// cancelled (processor.markAsDone and friends), so the job would stay
// active until the recoverer takes it back 30 to 90 s later. One EXISTS
// per try when Redis is up, on the queue's own slot (a Cluster client
// sends it to the node that holds the queue; a PING could reach another).
func (w *worker) settle(ctx context.Context) {
	deadline := time.Now().Add(settleTimeout)
	for {
		pctx, cancel := context.WithTimeout(ctx, time.Second)
		err := w.q.rdb.Exists(pctx, w.q.slotKey()).Err()
		cancel()
		if err == nil || ctx.Err() != nil || time.Now().After(deadline) {
			return
		}
		if !wait.Sleep(ctx, 200*time.Millisecond) {
			return
		}
	}
}

// slotKey is a key in the hash slot of asynq's keys for the queue
// ("asynq:{name}:..."); nothing is stored under it.
func (q *Queue) slotKey() string { return "asynq:{" + q.opts.Name + "}:pushguard-settle" }

// Attempt reports, inside a Handler, how many times the job has been retried
// so far and how many retries it has in all. A try with retried == maxRetry
// is the last unless it ends in RetryAt.
func Attempt(ctx context.Context) (retried, maxRetry int) {
	retried, _ = asynq.GetRetryCount(ctx)
	maxRetry, _ = asynq.GetMaxRetry(ctx)
	return retried, max(maxRetry-1, 0) // see taskOptions
}

// TaskID reports, inside a Handler, the ID of the job's task: the same on
// every try of the job, so a handler can recognise what an earlier try of
// the same job left behind (a lock, say). It is "" outside a Handler.
func TaskID(ctx context.Context) string {
	id, _ := asynq.GetTaskID(ctx)
	return id
}

// retryDelay is how long a failed job waits before its next try.
func (w *worker) retryDelay(retried int, err error, _ *asynq.Task) time.Duration {
	if at, ok := retryAtFrom(err); ok {
		// asynq stores the time in whole seconds, rounded down: add a second
		// so the job never runs before at.
		return max(time.Until(at)+time.Second, 0)
	}
	return w.q.opts.Backoff(retried)
}

// isFailure reports whether err uses up one of the job's retries.
func isFailure(err error) bool {
	_, ok := retryAtFrom(err)
	return !ok
}

// healthCheck logs a failed periodic ping of Redis.
func (w *worker) healthCheck(err error) {
	if err != nil {
		w.opts.Logger.Warn("queue: redis health check failed", logkey.Error, err.Error())
	}
}
