package app

import (
	"fmt"
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/pushguard/pushguard/internal/poll"
)

// TestGoroutinesBackToBaselineAfterJobs: every push reads the repository's
// settings, which GitHub answers with 404 when there are none. Each 404 used
// to keep goroutines alive for the GitHub client's 60 s timeout (issue 12:
// 2,209 goroutines after 2,000 jobs). Right after the jobs end the count
// must be back where it was before them. Not parallel: the count is the
// whole process's.
func TestGoroutinesBackToBaselineAfterJobs(t *testing.T) {
	e := startE2E(t, e2eConfig{})
	prev := e.repo.Head()
	push := func(i int) {
		sha := e.repo.Commit(fmt.Sprintf("commit %d", i), map[string]string{fmt.Sprintf("f%d.go", i): "package f\n"})
		if got := e.send("push", e.push("refs/heads/main", prev, sha, false, false, sha)); got != http.StatusAccepted {
			t.Fatalf("push %d: status %d", i, got)
		}
		e.waitRun(sha)
		prev = sha
	}
	push(0) // warm-up: tokens, kept-alive connections, the workers' goroutines
	e.waitQuiet()
	baseline := poll.Settle(runtime.NumGoroutine)
	const jobs = 8
	for i := 1; i <= jobs; i++ {
		push(i)
	}
	e.waitQuiet()
	var now int
	poll.Until(t, 5*time.Second, func() bool { now = runtime.NumGoroutine(); return now <= baseline },
		fmt.Sprintf("the goroutine count (%d before the jobs) to return after %d jobs", baseline, jobs))
	t.Logf("goroutines: %d before %d jobs, %d after", baseline, jobs, now)
}
