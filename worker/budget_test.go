package worker

import (
	"testing"
	"time"

	"github.com/pushguard/pushguard/checks"
	"github.com/pushguard/pushguard/scanner"
)

// fakeClock advances by step on every reading.
type fakeClock struct {
	t    time.Time
	step time.Duration
}

func (c *fakeClock) now() time.Time {
	t := c.t
	c.t = c.t.Add(c.step)
	return t
}

func TestBudget(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		budget time.Duration
		step   time.Duration
		checks int // how many files the budget lets through
	}{
		{"default is minutes", 0, time.Minute, int(DefaultScanBudget/time.Minute) - 1}, // starting reads the clock once
		{"one second, files of 300ms", time.Second, 300 * time.Millisecond, 3},
		{"a nanosecond lets nothing through", time.Nanosecond, time.Nanosecond, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := &fakeClock{t: start, step: tt.step}
			b := newBudget(clock.now, tt.budget)
			n := 0
			for ; n < 1000 && !b.spent(); n++ {
			}
			if n != tt.checks {
				t.Errorf("%d files scanned within the budget, want %d", n, tt.checks)
			}
		})
	}
	var none *budget
	if none.spent() {
		t.Error("a nil budget ran out")
	}
}

func TestOutOfTimeIsNotCached(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		skipped []scanner.Skipped
		want    bool
	}{
		{"complete", nil, false},
		{"binary", []scanner.Skipped{{Path: "a.png", Reason: scanner.SkipBinary}}, false},
		{"not listed", []scanner.Skipped{{Path: "(files past the first 3000)", Reason: checks.SkipNotListed}}, false},
		{"time budget", []scanner.Skipped{{Path: "a.png", Reason: scanner.SkipBinary}, {Path: "b.go", Reason: checks.SkipTimeBudget}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := outOfTime(&commitResult{Skipped: tt.skipped}); got != tt.want {
				t.Errorf("outOfTime = %v, want %v", got, tt.want)
			}
		})
	}
}
