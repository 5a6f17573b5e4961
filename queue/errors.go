package queue

import (
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
)

// Sentinel errors. Callers branch on them with errors.Is.
var (
	// ErrUnavailable means Redis could not be reached or refused the
	// command. The webhook answers 503 so that the delivery is redelivered.
	ErrUnavailable = errors.New("queue unavailable")
	// ErrDuplicate means a job for the same delivery ID was already enqueued
	// within the dedupe TTL.
	ErrDuplicate = errors.New("duplicate delivery")
	// ErrInvalidJob means Job.Validate refused the job.
	ErrInvalidJob = errors.New("invalid job")
	// ErrNotFound means no dead job has the given ID.
	ErrNotFound = errors.New("job not found")
)

// unavailable wraps a Redis error so that errors.Is(err, ErrUnavailable).
func unavailable(op string, err error) error {
	return fmt.Errorf("%s: %w: %w", op, ErrUnavailable, err)
}

// RetryAt wraps err so that the job runs again at t without using up one of
// its retries: for a GitHub rate limit, pass the reset time or now plus
// retry-after. A nil err stays nil.
func RetryAt(err error, t time.Time) error {
	if err == nil {
		return nil
	}
	return &retryAtError{err: err, at: t}
}

// retryAtError is an error that reschedules its job at a given time.
type retryAtError struct {
	err error
	at  time.Time
}

func (e *retryAtError) Error() string {
	return fmt.Sprintf("%v (retry at %s)", e.err, e.at.UTC().Format(time.RFC3339))
}

func (e *retryAtError) Unwrap() error { return e.err }

// retryAtFrom reports the time a RetryAt error asks for.
func retryAtFrom(err error) (time.Time, bool) {
	var ra *retryAtError
	if errors.As(err, &ra) {
		return ra.at, true
	}
	return time.Time{}, false
}

// Permanent wraps err so that the job goes straight to the dead-letter store
// without further retries: for failures that retrying cannot fix. A nil err
// stays nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err: err}
}

// permanentError is an error that skips the remaining retries. It unwraps to
// asynq.SkipRetry as well as to its cause, and reads as its cause, which is
// the text the dead-letter store keeps.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }

func (e *permanentError) Unwrap() []error { return []error{e.err, asynq.SkipRetry} }

// RescheduledAt reports whether err was made by RetryAt, and for when.
func RescheduledAt(err error) (time.Time, bool) { return retryAtFrom(err) }
