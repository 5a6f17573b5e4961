// Package queue owns the Job type and its persistence in Redis: at-least-once
// delivery, retries with exponential backoff, rescheduling at a given time
// (GitHub rate limits), a dead-letter store that keeps the last error,
// deduplication of webhook deliveries, and recovery of jobs whose worker
// died. It runs on hibiken/asynq behind this package's own small API, and
// imports none of pushguard's other packages.
package queue
