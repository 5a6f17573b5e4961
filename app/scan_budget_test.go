package app

import (
	"strings"
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

func TestScanBudgetConfig(t *testing.T) {
	tests := []struct {
		value   string
		want    time.Duration
		problem bool
	}{
		{"", DefaultScanBudget, false},
		{"90s", 90 * time.Second, false},
		{"500ms", 0, true},
		{"1h", 0, true},
		{"soon", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			env := map[string]string{"PUSHGUARD_SCAN_BUDGET": tt.value, "PUSHGUARD_CREDENTIALS_FILE": t.TempDir() + "/none.json"}
			c, err := loadConfig(func(k string) string { return env[k] }, false)
			named := err != nil && strings.Contains(err.Error(), "PUSHGUARD_SCAN_BUDGET")
			if named != tt.problem {
				t.Fatalf("error %v; want a PUSHGUARD_SCAN_BUDGET problem: %v", err, tt.problem)
			}
			if !tt.problem && c.ScanBudget != tt.want {
				t.Errorf("budget %v, want %v", c.ScanBudget, tt.want)
			}
		})
	}
}
