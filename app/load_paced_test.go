package app

import (
	"errors"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"runtime/trace"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pushguard/pushguard/internal/fakegithub"
)

// BenchmarkLoadPaced is BenchmarkLoad's paced phase alone, in under a
// minute: deliveries at loadRate a second to `serve --no-workers`, first
// with no worker process, then while a `worker` process drains a backlog
// (the burst, sent unmeasured first), then the same "deployed": the worker
// process at nice 10 with GOMAXPROCS=1 and this process, the fake GitHub's,
// at nice 10, since GitHub is not on the web tier's machine in production.
// It reports the webhook's p50/p99 from each delivery's scheduled time, the
// handler's own p50/p99 and the web process's CPU per delivery:
//
//	REDIS_URL=redis://127.0.0.1:6379/0 go test -run '^$' -bench BenchmarkLoadPaced -benchtime 1x ./app/
func BenchmarkLoadPaced(b *testing.B) {
	if testing.Short() {
		b.Skip("the load benchmark takes a minute")
	}
	bin := buildBinary(b)
	gh := fakegithub.New(b, fakegithub.Options{MinLatency: loadMinLatency, MaxLatency: loadMaxLatency})
	l := newLoad(b, gh)
	for _, tc := range []struct {
		name     string
		workers  bool
		deployed bool // the worker at nice 10 with GOMAXPROCS=1, the fake GitHub (this process) at nice 10
	}{
		{"web-only", false, false},
		{"workers-draining", true, false},
		{"workers-draining-deployed", true, true},
	} {
		b.Run(tc.name, func(b *testing.B) {
			l.b = b
			redisURL := loadBenchRedis(b)
			var pin []string
			if cpu := os.Getenv("PUSHGUARD_LOAD_WEB_CPU"); cpu != "" && tc.deployed {
				pin = []string{"taskset", "-c", cpu}
			}
			web := startWrapped(b, pin, bin, redisURL, gh, nil, "serve", "--no-workers")
			wrk := &process{}
			if tc.workers {
				env := []string{
					"PUSHGUARD_WORKERS=" + strconv.Itoa(loadWorkers),
					"PUSHGUARD_INSTALLATION_CONCURRENCY=" + strconv.Itoa(2*loadWorkers/loadInstallations),
					"PUSHGUARD_GITHUB_WRITES_PER_MINUTE=1000000",
				}
				var nice []string
				if tc.deployed {
					nice = []string{"nice", "-n", "10"}
					env = append(env, "GOMAXPROCS=1")
					niceSelf(b)
				}
				wrk = startWrapped(b, nice, bin, redisURL, gh, env, "worker")
				l.sendAll(web.url, l.burst, &latencies{}) // the backlog the workers drain
			}
			b.ResetTimer()
			paced := &latencies{}
			cpu0, wrk0, self0, hist0 := web.stats(b).cpu, wrk.cpuTime(b), selfCPU(b), webhookHistogram(b, web.url)
			stopTrace := traceTo(b, os.Getenv("PUSHGUARD_LOAD_TRACE"))
			start := time.Now()
			accepted := l.sendPaced(web.url, l.paced, paced)
			sent := time.Since(start)
			stopTrace()
			cpu := web.stats(b).cpu - cpu0
			b.ReportMetric(histogramQuantile(hist0, webhookHistogram(b, web.url), 0.5), "server-p50-le-ms")
			b.ReportMetric(histogramQuantile(hist0, webhookHistogram(b, web.url), 0.99), "server-p99-le-ms")
			b.ReportMetric((wrk.cpuTime(b)-wrk0).Seconds()/sent.Seconds(), "worker-cores")
			b.ReportMetric((selfCPU(b)-self0).Seconds()/sent.Seconds(), "fakegithub+sender-cores")
			b.StopTimer()
			b.ReportMetric(float64(accepted)/sent.Seconds(), "paced-deliveries/s")
			b.ReportMetric(paced.quantile(0.5), "paced-webhook-p50-ms")
			b.ReportMetric(paced.quantile(0.99), "paced-webhook-p99-ms")
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(max(accepted, 1)), "serve-cpu-ms/delivery")
			b.Logf("load average after the run: %s", loadAverage())
			if accepted != len(l.paced) {
				b.Errorf("accepted %d of %d deliveries", accepted, len(l.paced))
			}
		})
	}
}

// cpuTime is the process's CPU time so far, zero when it was not started.
func (p *process) cpuTime(b *testing.B) time.Duration {
	if p.cmd == nil {
		return 0
	}
	return p.stats(b).cpu
}

// selfCPU is this process's CPU time and that of its waited-for children
// (the fake GitHub's git commands).
func selfCPU(b *testing.B) time.Duration {
	b.Helper()
	raw, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		b.Fatal(err)
	}
	fields := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+1:]))
	var ticks int64
	for _, f := range fields[11:15] { // utime, stime, cutime, cstime
		n, _ := strconv.ParseInt(f, 10, 64)
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond
}

// niceSelf lowers this process's priority to nice 10 until the
// sub-benchmark ends: the fake GitHub it serves (and its git commands, which
// inherit the priority) stands in for a GitHub that is on another machine
// in production. Linux keeps a priority per thread, so every thread is
// reniced, and threads started later inherit it from theirs. The senders
// run at the lower priority too, which can only lengthen what they measure.
func niceSelf(b *testing.B) {
	b.Helper()
	setAll := func(prio int) {
		tasks, err := os.ReadDir("/proc/self/task")
		if err != nil {
			b.Fatal(err)
		}
		for _, t := range tasks {
			tid, err := strconv.Atoi(t.Name())
			if err != nil {
				continue
			}
			if err := syscall.Setpriority(syscall.PRIO_PROCESS, tid, prio); err != nil && !errors.Is(err, syscall.ESRCH) {
				b.Fatalf("setpriority: %v", err)
			}
		}
	}
	setAll(10)
	b.Cleanup(func() { setAll(0) })
}

// webhookHistogram scrapes the web process's webhook duration histogram:
// the cumulative count at each bucket's upper bound, in milliseconds.
func webhookHistogram(b *testing.B, url string) map[float64]float64 {
	b.Helper()
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		b.Fatal(err)
	}
	h := map[float64]float64{}
	for _, line := range strings.Split(string(raw), "\n") {
		rest, ok := strings.CutPrefix(line, `pushguard_webhook_duration_seconds_bucket{le="`)
		if !ok {
			continue
		}
		le, count, _ := strings.Cut(rest, `"} `)
		sec, err := strconv.ParseFloat(le, 64)
		if err != nil { // +Inf
			sec = math.Inf(1)
		}
		h[sec*1000], _ = strconv.ParseFloat(count, 64)
	}
	return h
}

// histogramQuantile is the upper bound (ms) of the bucket holding the
// q-quantile of the deliveries observed between two scrapes: the time the
// handler took, as the server measured it, without the time a request
// waited for the process to be scheduled or for a connection.
func histogramQuantile(before, after map[float64]float64, q float64) float64 {
	bounds := make([]float64, 0, len(after))
	for le := range after {
		bounds = append(bounds, le)
	}
	slices.Sort(bounds)
	total := after[math.Inf(1)] - before[math.Inf(1)]
	for _, le := range bounds {
		if after[le]-before[le] >= q*total {
			return le
		}
	}
	return math.Inf(1)
}

// traceTo writes an execution trace of this process (the senders and the
// fake GitHub) to path+"-"+the sub-benchmark's name until the returned func
// is called; nothing when path is empty. `go tool trace -pprof=sched` on it
// shows how long the senders waited for this process's CPUs.
func traceTo(b *testing.B, path string) (stop func()) {
	b.Helper()
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path + "-" + filepath.Base(b.Name()))
	if err != nil {
		b.Fatal(err)
	}
	if err := trace.Start(f); err != nil {
		b.Fatal(err)
	}
	return func() {
		trace.Stop()
		f.Close()
	}
}
