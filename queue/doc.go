// Package queue owns the Job type and its persistence in Redis: at-least-once
// delivery, retries with exponential backoff, rescheduling at a given time
// (GitHub rate limits), a dead-letter store that keeps the last error,
// deduplication of webhook deliveries, and recovery of jobs whose worker
// died. It runs on hibiken/asynq behind this package's own small API, and
// imports none of pushguard's other packages.
//
// The webhook calls Enqueue; workers call Run with a Handler; operators use
// Stats, Dead, Requeue, List, Retry and Delete (the jobs command). Package
// queuetest gives tests a Redis.
//
// # Topologies
//
// The queue runs on whatever redis.UniversalClient it is given: one server,
// Sentinel's failover client or a Cluster client (store.Connect builds
// them). asynq's keys share the hash tag of the queue's name
// ("asynq:{pushguard}:..."), so its scripts run on a Cluster, and all of
// them live on one node. During a failover, a finished try waits (up to
// 20 s) for Redis to answer before asynq records its result: asynq v0.26
// retries a failed write of a result under a context it has already
// cancelled, which would leave the job active until its recoverer runs.
//
// # What is stored
//
// A task's payload is the Job's JSON: IDs, names and SHAs, never diff text.
// The error a Handler returns is stored as the job's last error and logged,
// so it must never contain a secret (or a diff line that may hold one).
//
// # Failures
//
// A failed try is retried after Options.Backoff, up to Options.MaxRetry
// times; then the job is dead: archived with its last error, logged and
// handed to WorkerOptions.OnDead. RetryAt reschedules a job without using a
// retry, even on its last try; Permanent makes it dead at once.
//
// # Crash recovery
//
// A worker holds a 30 s lease on each job it runs and renews it every 5 s.
// When the worker dies, asynq's recoverer, which runs in every worker
// process once a minute, takes the job back once its lease is 30 s past
// expiry, counts that as a failed try and retries it. A job therefore runs
// again 1 to 2 minutes after its worker died (plus the backoff). asynq
// v0.26 fixes these intervals; they are not configurable. A worker stopped
// normally hands its unfinished jobs back at once (WorkerOptions.ShutdownTimeout).
package queue
