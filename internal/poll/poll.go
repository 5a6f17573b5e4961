// Package poll waits in tests for a condition that another goroutine or
// process makes true: a bounded loop that fails the test at its deadline,
// so a wait can never hang a test run or pass by running out of time.
// Tests of any package may use it; it imports none of ours.
package poll

import (
	"testing"
	"time"
)

// Intervals between two looks at the condition: the first look is at once,
// then the wait doubles from minInterval up to maxInterval, so a condition
// that holds soon is seen soon and a long wait does not spin.
const (
	minInterval = time.Millisecond
	maxInterval = 20 * time.Millisecond
)

// Until calls cond until it returns true, and fails the test (t.Fatalf,
// naming what it waited for) when it has not within timeout. Call it from
// the test's goroutine.
func Until(t testing.TB, timeout time.Duration, cond func() bool, what string) {
	t.Helper()
	if !Wait(timeout, cond) {
		t.Fatalf("timed out after %s waiting for %s", timeout, what)
	}
}

// Wait calls cond until it returns true (Wait returns true) or timeout has
// passed (false). Use Until in tests; Wait is for the rare caller that must
// report the timeout itself, such as a goroutine other than the test's.
func Wait(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	interval := minInterval
	for !cond() {
		if !time.Now().Before(deadline) {
			return cond()
		}
		time.Sleep(min(interval, time.Until(deadline)+time.Millisecond))
		interval = min(2*interval, maxInterval)
	}
	return true
}
