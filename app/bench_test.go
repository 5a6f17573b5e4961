package app

import (
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pushguard/pushguard/internal/fakegithub"
)

// timedTransport adds up the time spent waiting on GitHub's API.
type timedTransport struct {
	base  http.RoundTripper
	spent atomic.Int64
	calls atomic.Int64
}

func (t *timedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.base.RoundTrip(r)
	t.spent.Add(int64(time.Since(start)))
	t.calls.Add(1)
	return resp, err
}

// waitCompleted polls the fake closely for a completed run on sha.
func waitCompleted(b *testing.B, gh *fakegithub.Server, sha string) {
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		for _, r := range gh.CheckRuns(e2eOwner, e2eRepo) {
			if r.HeadSHA == sha && r.Status == "completed" {
				return
			}
		}
		time.Sleep(500 * time.Microsecond)
	}
	b.Fatalf("no completed check run on %s", sha)
}

// typicalPush commits a typical push after prev, 3 commits touching 20
// files with one secret (iteration i makes each different), and returns its
// payload and head.
func (e *e2e) typicalPush(i int, secret, prev string) (body []byte, head string) {
	var shas []string
	for c := 0; c < 3; c++ {
		files := map[string]string{}
		for f := 0; f < 7; f++ {
			files[fmt.Sprintf("src/m%d/f%d.go", c, f)] = fmt.Sprintf("package m%d\n\n// iteration %d\nfunc F%d() int { return %d }\n", c, i, f, i*f)
		}
		if c == 2 {
			files["config/app.env"] = fmt.Sprintf("ITER=%d\nGITHUB_TOKEN=%s\n", i, secret)
		}
		shas = append(shas, e.repo.Commit(fmt.Sprintf("iteration %d commit %d", i, c), files))
	}
	return e.push("refs/heads/main", prev, shas[2], false, false, shas...), shas[2]
}

// BenchmarkDeliveryToCheckRun measures a typical push, 3 commits touching
// 20 files with one secret, from the signed delivery to the completed check
// run, against real Redis and the fake GitHub. It reports the total and the
// part spent outside GitHub's API (our own work: webhook, queue, scan,
// rendering), since the fake's latency is not GitHub's.
func BenchmarkDeliveryToCheckRun(b *testing.B) {
	tt := &timedTransport{base: http.DefaultTransport}
	e := startE2EWith(b, e2eConfig{transport: tt})
	secret := plant(b, 30).github
	var total, ours time.Duration
	prev := e.repo.Head()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		body, head := e.typicalPush(i, secret, prev)
		spentBefore := tt.spent.Load()
		b.StartTimer()
		start := time.Now()
		if got := e.send("push", body); got != http.StatusAccepted {
			b.Fatalf("status %d", got)
		}
		waitCompleted(b, e.gh, head)
		took := time.Since(start)
		total += took
		ours += took - time.Duration(tt.spent.Load()-spentBefore)
		prev = head
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/push")
	b.ReportMetric(float64(ours.Milliseconds())/float64(b.N), "ms-excl-github/push")
	b.ReportMetric(float64(tt.calls.Load())/float64(b.N), "api-calls/push")
}

// BenchmarkJobThroughput enqueues b.N one-commit pushes at once and waits
// for all their check runs: jobs per second through the whole path.
func BenchmarkJobThroughput(b *testing.B) {
	e := startE2EWith(b, e2eConfig{})
	prev := e.repo.Head()
	var heads []string
	var bodies [][]byte
	for i := 0; i < b.N; i++ {
		c := e.repo.Commit(fmt.Sprintf("c%d", i), map[string]string{fmt.Sprintf("f%d.txt", i): "clean line\n"})
		heads = append(heads, c)
		bodies = append(bodies, e.push("refs/heads/main", prev, c, false, false, c))
		prev = c
	}
	b.ResetTimer()
	start := time.Now()
	for _, body := range bodies {
		e.send("push", body)
	}
	for _, h := range heads {
		waitCompleted(b, e.gh, h)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "jobs/s")
}
