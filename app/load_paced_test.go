package app

import (
	"strconv"
	"testing"
	"time"

	"github.com/pushguard/pushguard/internal/fakegithub"
)

// BenchmarkLoadPaced is BenchmarkLoad's paced phase alone, in under a
// minute: deliveries at loadRate a second to `serve --no-workers`, first
// with no worker process, then while a `worker` process drains a backlog
// (the burst, sent unmeasured first), then the same with the worker process
// at a lower OS priority (nice 10), as the deploy docs run it on a shared
// host. It reports the webhook's p50/p99 from each delivery's scheduled
// time and the web process's CPU per delivery:
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
		name    string
		workers bool
		nice    int
	}{
		{"web-only", false, 0},
		{"workers-draining", true, 0},
		{"workers-draining-nice10", true, 10},
	} {
		b.Run(tc.name, func(b *testing.B) {
			l.b = b
			redisURL := loadBenchRedis(b)
			web := startProcess(b, bin, redisURL, gh, nil, "serve", "--no-workers")
			if tc.workers {
				env := []string{
					"PUSHGUARD_WORKERS=" + strconv.Itoa(loadWorkers),
					"PUSHGUARD_INSTALLATION_CONCURRENCY=" + strconv.Itoa(2*loadWorkers/loadInstallations),
					"PUSHGUARD_GITHUB_WRITES_PER_MINUTE=1000000",
				}
				startNiced(b, tc.nice, bin, redisURL, gh, env, "worker")
				l.sendAll(web.url, l.burst, &latencies{}) // the backlog the workers drain
			}
			b.ResetTimer()
			paced := &latencies{}
			cpu0 := web.stats(b).cpu
			start := time.Now()
			accepted := l.sendPaced(web.url, l.paced, paced)
			sent := time.Since(start)
			cpu := web.stats(b).cpu - cpu0
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
