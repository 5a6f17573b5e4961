package poll

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// recordingTB records a Fatalf instead of ending the test.
type recordingTB struct {
	testing.TB
	failed string
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) Fatalf(format string, args ...any) {
	r.failed = fmt.Sprintf(format, args...)
}

func TestUntilReturnsOnceCondHolds(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	rec := &recordingTB{TB: t}
	Until(rec, 5*time.Second, func() bool { return n.Add(1) == 3 }, "the third look")
	if rec.failed != "" {
		t.Errorf("Until failed with %q, want it to return when cond holds", rec.failed)
	}
	if got := n.Load(); got != 3 {
		t.Errorf("cond called %d times, want 3", got)
	}
}

func TestUntilFailsAtDeadline(t *testing.T) {
	t.Parallel()
	rec := &recordingTB{TB: t}
	start := time.Now()
	Until(rec, 30*time.Millisecond, func() bool { return false }, "a condition that never holds")
	if !strings.Contains(rec.failed, "a condition that never holds") {
		t.Errorf("failure = %q, want it to name what it waited for", rec.failed)
	}
	if took := time.Since(start); took < 30*time.Millisecond {
		t.Errorf("gave up after %s, before its 30ms deadline", took)
	}
}

func TestWait(t *testing.T) {
	t.Parallel()
	if Wait(10*time.Millisecond, func() bool { return false }) {
		t.Error("Wait = true for a condition that never holds")
	}
	if !Wait(0, func() bool { return true }) {
		t.Error("Wait(0) = false for a condition that holds at once")
	}
}
