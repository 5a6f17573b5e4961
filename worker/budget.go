package worker

import (
	"time"

	"github.com/pushguard/pushguard/checks"
)

// DefaultScanBudget is how long one job may spend scanning files when
// PUSHGUARD_SCAN_BUDGET is not set. It is well inside a job's timeout
// (queue.DefaultTimeout), so a job that runs out still completes its check
// run, naming each file it did not reach.
const DefaultScanBudget = 5 * time.Minute

// MaxScanBudget keeps a budget inside a job's timeout, with room to finish.
const MaxScanBudget = 20 * time.Minute

// budget is a job's time budget for scanning. Scanning is per file, so it
// is checked before each file. A nil budget never runs out.
type budget struct {
	deadline time.Time
	now      func() time.Time
}

// newBudget starts a budget of d (DefaultScanBudget when d is 0) now.
func newBudget(now func() time.Time, d time.Duration) *budget {
	if d <= 0 {
		d = DefaultScanBudget
	}
	return &budget{deadline: now().Add(d), now: now}
}

// spent reports whether the budget has run out.
func (b *budget) spent() bool { return b != nil && !b.now().Before(b.deadline) }

// outOfTime reports whether a commit's scan left files out because the
// budget ran out: such a result is not cached.
func outOfTime(res *commitResult) bool {
	for _, s := range res.Skipped {
		if s.Reason == checks.SkipTimeBudget {
			return true
		}
	}
	return false
}
