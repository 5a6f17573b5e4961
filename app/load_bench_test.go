package app

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pushguard/pushguard/internal/fakegithub"
	"github.com/pushguard/pushguard/internal/poll"
)

// The load benchmark's shape: bounded in count and time.
const (
	loadInstallations = 8
	loadBurstPerInst  = 125  // 1,000 pushes in the burst
	loadPacedPerInst  = 75   // 600 pushes sent at loadRate
	loadRate          = 1250 // deliveries a second in the paced phase
	loadE2EPerInst    = 4    // 32 pushes measured one at a time per installation
	loadPRs           = 4
	loadSenders       = 50 // concurrent webhook deliveries, as in issue 12
	loadWorkers       = 64 // one worker process's concurrency: jobs wait on GitHub
	loadMinLatency    = 50 * time.Millisecond
	loadMaxLatency    = 300 * time.Millisecond
)

// BenchmarkLoad runs pushguard as deployed: `serve --no-workers` and
// `worker` as separate processes of the built binary, on real Redis
// (REDIS_URL; an empty database, see loadBenchRedis), against the fake GitHub in
// this process, which adds 50-300 ms to every API call. It sends signed
// pushes at a paced rate, then a burst from 50 senders at once, waits for
// every check run, then measures single pushes and pull requests end to end. Run it once:
//
//	REDIS_URL=redis://127.0.0.1:6379/0 go test -run '^$' -bench 'BenchmarkLoad$' -benchtime 1x ./app/
func BenchmarkLoad(b *testing.B) {
	if testing.Short() {
		b.Skip("the load benchmark takes minutes")
	}
	redisURL := loadBenchRedis(b)
	bin := buildBinary(b)
	gh := fakegithub.New(b, fakegithub.Options{MinLatency: loadMinLatency, MaxLatency: loadMaxLatency})
	l := newLoad(b, gh)
	web := startProcess(b, bin, redisURL, gh, nil, "serve", "--no-workers")
	wrk := startProcess(b, bin, redisURL, gh, []string{
		"PUSHGUARD_WORKERS=" + strconv.Itoa(loadWorkers),
		"PUSHGUARD_INSTALLATION_CONCURRENCY=" + strconv.Itoa(2*loadWorkers/loadInstallations),
		// The fake has no secondary limit; the budget's own test covers it.
		"PUSHGUARD_GITHUB_WRITES_PER_MINUTE=1000000",
	}, "worker")
	b.ResetTimer()

	hook, paced := &latencies{}, &latencies{}
	cpu0, webCPU0 := wrk.stats(b).cpu, web.stats(b).cpu
	// Paced first, while the queue is empty: the steady state the targets
	// speak of; then the burst, into the paced phase's backlog.
	start := time.Now()
	pacedAccepted := l.sendPaced(web.url, l.paced, paced)
	pacedSent := time.Since(start)
	burstStart := time.Now()
	accepted := l.sendAll(web.url, l.burst, hook)
	sent := time.Since(burstStart)
	webCPU := web.stats(b).cpu - webCPU0
	jobs := append(append([]loadPush(nil), l.burst...), l.paced...)
	lost, dup := l.waitChecks(jobs, 10*time.Minute)
	drained := time.Since(start)
	jobCPU := wrk.stats(b).cpu - cpu0

	e2e := &latencies{}
	reqs := len(gh.Requests())
	l.measureE2E(web.url, e2e)
	pushCalls := float64(len(gh.Requests())-reqs) / float64(len(l.e2e))
	b.Logf("API calls of %d pushes: %v", len(l.e2e), operations(gh.Requests()[reqs:]))
	reqs = len(gh.Requests())
	prs := &latencies{}
	l.measurePRs(web.url, prs)
	prCalls := float64(len(gh.Requests())-reqs) / float64(len(l.prs))
	b.StopTimer()

	b.ReportMetric(float64(accepted)/sent.Seconds(), "deliveries/s")
	b.ReportMetric(hook.quantile(0.5), "webhook-p50-ms")
	b.ReportMetric(hook.quantile(0.99), "webhook-p99-ms")
	b.ReportMetric(float64(pacedAccepted)/pacedSent.Seconds(), "paced-deliveries/s")
	b.ReportMetric(paced.quantile(0.5), "paced-webhook-p50-ms")
	b.ReportMetric(paced.quantile(0.99), "paced-webhook-p99-ms")
	b.ReportMetric(e2e.quantile(0.5), "e2e-p50-ms")
	b.ReportMetric(e2e.quantile(0.99), "e2e-p99-ms")
	b.ReportMetric(prs.quantile(0.5), "pr-e2e-p50-ms")
	b.ReportMetric(float64(accepted+pacedAccepted)/webCPU.Seconds(), "deliveries/serve-cpu-s")
	b.ReportMetric(float64(len(jobs))/drained.Seconds(), "jobs/s")
	b.ReportMetric(float64(len(jobs))/jobCPU.Seconds(), "jobs/worker-cpu-s")
	b.ReportMetric(web.stats(b).peakRSSMB, "serve-peak-MB")
	b.ReportMetric(wrk.stats(b).peakRSSMB, "worker-peak-MB")
	b.ReportMetric(float64(lost), "lost")
	b.ReportMetric(float64(dup), "duplicated")
	b.ReportMetric(pushCalls, "api-calls/push")
	b.ReportMetric(prCalls, "api-calls/pr")
	b.Logf("load average after the run: %s", loadAverage())
	if accepted+pacedAccepted != len(jobs) || lost != 0 || dup != 0 {
		b.Errorf("accepted %d of %d deliveries; lost %d, duplicated %d", accepted+pacedAccepted, len(jobs), lost, dup)
	}
}

// loadPush is one push of the load: its installation's view and SHAs.
type loadPush struct {
	e       *e2e
	before  string
	after   string
	commits []string
	body    []byte
}

// load is the benchmark's fake world: installations, each with a
// repository, and the pushes and pull requests to send.
type load struct {
	b     *testing.B
	gh    *fakegithub.Server
	burst []loadPush
	paced []loadPush
	e2e   []loadPush
	prs   []*fakegithub.PullRequest
	views []*e2e
	seq   atomic.Int64
}

// newLoad makes the installations, their commits, the pushes' payloads
// (the burst round-robin across installations) and the pull requests.
func newLoad(b *testing.B, gh *fakegithub.Server) *load {
	l := &load{b: b, gh: gh}
	secret := plant(b, 12).github
	per := make([][]loadPush, loadInstallations)
	for i := range loadInstallations {
		repo := gh.AddRepo(fmt.Sprintf("load-org-%d", i), "service", int64(5000+i))
		repo.Commit("initial commit", map[string]string{"README.md": "# service\n"})
		e := &e2e{t: b, gh: gh, repo: repo, installation: int64(5000 + i)}
		l.views = append(l.views, e)
		if i == 0 {
			l.addPRs(repo)
		}
		before := repo.Head()
		shas := loadCommits(b, repo, 3*(loadBurstPerInst+loadPacedPerInst+loadE2EPerInst), secret)
		for k := 0; k < len(shas); k += 3 {
			p := loadPush{e: e, before: before, after: shas[k+2], commits: shas[k : k+3]}
			p.body = e.push("refs/heads/main", p.before, p.after, false, false, p.commits...)
			per[i] = append(per[i], p)
			before = p.after
		}
		l.e2e = append(l.e2e, per[i][loadBurstPerInst+loadPacedPerInst:]...)
	}
	for k := range loadBurstPerInst + loadPacedPerInst {
		for i := range loadInstallations {
			if k < loadBurstPerInst {
				l.burst = append(l.burst, per[i][k])
			} else {
				l.paced = append(l.paced, per[i][k])
			}
		}
	}
	return l
}

// addPRs opens loadPRs pull requests of three commits each on repo.
func (l *load) addPRs(repo *fakegithub.Repo) {
	for n := 1; n <= loadPRs; n++ {
		branch := fmt.Sprintf("pr-%d", n)
		repo.Branch(branch)
		repo.Checkout(branch)
		for c := range 3 {
			repo.Commit(fmt.Sprintf("pr %d commit %d", n, c), map[string]string{fmt.Sprintf("pr%d/f%d.go", n, c): goFile(n*10 + c)})
		}
		repo.Checkout("main")
		l.prs = append(l.prs, l.gh.AddPullRequest(repo, n, repo, branch, "main"))
	}
}

// sendAll delivers the pushes from loadSenders goroutines and returns how
// many were accepted (202), recording each delivery's latency.
func (l *load) sendAll(url string, pushes []loadPush, lat *latencies) int {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: loadSenders}, Timeout: 30 * time.Second}
	defer client.CloseIdleConnections()
	next := make(chan loadPush)
	var accepted atomic.Int64
	var wg sync.WaitGroup
	for range loadSenders {
		wg.Go(func() {
			for p := range next {
				if l.deliver(client, url, "push", p.body, lat) == http.StatusAccepted {
					accepted.Add(1)
				}
			}
		})
	}
	for _, p := range pushes {
		next <- p
	}
	close(next)
	wg.Wait()
	return int(accepted.Load())
}

// sendPaced delivers the pushes at loadRate a second (an open loop, up to
// loadSenders in flight) and returns how many were accepted. A delivery's
// latency runs from its scheduled time, so that a server falling behind
// shows in it.
func (l *load) sendPaced(url string, pushes []loadPush, lat *latencies) int {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: loadSenders}, Timeout: 30 * time.Second}
	defer client.CloseIdleConnections()
	slots := make(chan struct{}, loadSenders)
	var accepted atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for i, p := range pushes {
		at := start.Add(time.Duration(i) * time.Second / loadRate)
		time.Sleep(time.Until(at))
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			if l.deliver(client, url, "push", p.body, &latencies{}) == http.StatusAccepted {
				accepted.Add(1)
			}
			lat.add(time.Since(at))
		})
	}
	wg.Wait()
	return int(accepted.Load())
}

// deliver sends one signed delivery and returns its status (0 on error).
func (l *load) deliver(client *http.Client, url, event string, body []byte, lat *latencies) int {
	req := signedDelivery(url, event, fmt.Sprintf("load-%d", l.seq.Add(1)), body)
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		l.b.Errorf("deliver: %v", err)
		return 0
	}
	// Read to the end, so that the connection is reused as GitHub's
	// sender would; an unread body makes the client close it.
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	lat.add(time.Since(start))
	return resp.StatusCode
}

// waitChecks waits until every push has a completed check run on its head,
// then counts the pushes with none (lost) and with more than one run
// (duplicated).
func (l *load) waitChecks(pushes []loadPush, timeout time.Duration) (lost, dup int) {
	count := func() (lost, dup int) {
		runs := map[string][2]int{} // head SHA: runs, completed runs
		for _, e := range l.views {
			for _, r := range l.gh.CheckRuns(e.repo.Owner(), e.repo.Name()) {
				c := runs[r.HeadSHA]
				c[0]++
				if r.Status == "completed" {
					c[1]++
				}
				runs[r.HeadSHA] = c
			}
		}
		for _, p := range pushes {
			c := runs[p.after]
			if c[1] == 0 {
				lost++
			}
			if c[0] > 1 {
				dup++
			}
		}
		return lost, dup
	}
	poll.Wait(timeout, func() bool { n, _ := count(); return n == 0 })
	return count()
}

// measureE2E sends each installation's e2e pushes one after another (the
// installations at once) and records delivery-to-completed-check-run.
func (l *load) measureE2E(url string, lat *latencies) {
	var wg sync.WaitGroup
	for _, e := range l.views {
		wg.Go(func() {
			for _, p := range l.e2e {
				if p.e == e {
					l.timeOne(url, "push", p.body, e.repo, p.after, lat)
				}
			}
		})
	}
	wg.Wait()
}

// measurePRs opens the pull requests one after another.
func (l *load) measurePRs(url string, lat *latencies) {
	e := l.views[0]
	for _, pr := range l.prs {
		l.timeOne(url, "pull_request", e.pullRequest("opened", pr), e.repo, pr.Repo.SHA(pr.HeadBranch), lat)
	}
}

// timeOne delivers one event and records the time until head has a
// completed check run.
func (l *load) timeOne(url, event string, body []byte, repo *fakegithub.Repo, head string, lat *latencies) {
	start := time.Now()
	if got := l.deliver(http.DefaultClient, url, event, body, &latencies{}); got != http.StatusAccepted {
		l.b.Errorf("%s: status %d", event, got)
		return
	}
	done := func() bool {
		for _, r := range l.gh.CheckRuns(repo.Owner(), repo.Name()) {
			if r.HeadSHA == head && r.Status == "completed" {
				return true
			}
		}
		return false
	}
	if !poll.Wait(time.Minute, done) {
		l.b.Errorf("no completed check run on %s", head)
		return
	}
	lat.add(time.Since(start))
}

// loadAverage is /proc/loadavg's first three fields: the benchmark shares
// the machine, and its figures mean little without them.
func loadAverage() string {
	raw, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(raw))
	return strings.Join(f[:min(3, len(f))], " ")
}

// operations counts requests by GitHub operation.
func operations(reqs []fakegithub.RecordedRequest) map[string]int {
	n := map[string]int{}
	for _, r := range reqs {
		n[r.OperationID]++
	}
	return n
}
