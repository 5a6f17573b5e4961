package queue_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/pushguard/pushguard/queue"
)

func TestErrorWrappers(t *testing.T) {
	t.Parallel()
	cause := errors.New("fetch commit abc: 403")
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name      string
		err       error
		wantText  string
		skipRetry bool
	}{
		{"RetryAt", queue.RetryAt(cause, at), "fetch commit abc: 403 (retry at 2026-01-02T03:04:05Z)", false},
		{"Permanent", queue.Permanent(cause), "fetch commit abc: 403", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.err.Error(); got != tt.wantText {
				t.Errorf("Error() = %q, want %q", got, tt.wantText)
			}
			if !errors.Is(tt.err, cause) {
				t.Error("does not unwrap to its cause")
			}
			if got := errors.Is(tt.err, asynq.SkipRetry); got != tt.skipRetry {
				t.Errorf("errors.Is(SkipRetry) = %v, want %v", got, tt.skipRetry)
			}
		})
	}
	if queue.RetryAt(nil, at) != nil || queue.Permanent(nil) != nil {
		t.Error("wrapping nil gave a non-nil error")
	}
}

func TestDefaultBackoff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		retried  int
		min, max time.Duration
	}{
		{0, 2500 * time.Millisecond, 5 * time.Second},
		{1, 5 * time.Second, 10 * time.Second},
		{3, 20 * time.Second, 40 * time.Second},
		{7, 5 * time.Minute, 10 * time.Minute},  // 640 s capped at 600 s
		{60, 5 * time.Minute, 10 * time.Minute}, // no overflow
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("retried=%d", tt.retried), func(t *testing.T) {
			t.Parallel()
			for range 100 {
				if got := queue.DefaultBackoff(tt.retried); got < tt.min || got > tt.max {
					t.Fatalf("DefaultBackoff(%d) = %v, want within [%v, %v]", tt.retried, got, tt.min, tt.max)
				}
			}
		})
	}
}
