package app

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/internal/redistest"
)

// commandCounter is a go-redis hook that counts the commands a client
// sends, by name, pipelines and transactions included.
type commandCounter struct {
	mu     sync.Mutex
	counts map[string]int
}

func (c *commandCounter) DialHook(next redis.DialHook) redis.DialHook { return next }

func (c *commandCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		c.add(cmd)
		return next(ctx, cmd)
	}
}

func (c *commandCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		for _, cmd := range cmds {
			c.add(cmd)
		}
		return next(ctx, cmds)
	}
}

func (c *commandCounter) add(cmd redis.Cmder) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts[strings.ToLower(cmd.Name())]++
}

// snapshot copies the counts so far.
func (c *commandCounter) snapshot() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.counts))
	for k, v := range c.counts {
		out[k] = v
	}
	return out
}

// netBytes reads the server's bytes received and sent so far.
func netBytes(b *testing.B, rdb *redis.Client) (in, out int64) {
	info, err := rdb.Info(context.Background(), "stats").Result()
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(info, "\n") {
		k, v, _ := strings.Cut(strings.TrimSpace(line), ":")
		n, _ := strconv.ParseInt(v, 10, 64)
		switch k {
		case "total_net_input_bytes":
			in = n
		case "total_net_output_bytes":
			out = n
		}
	}
	return in, out
}

// BenchmarkRedisOpsPerJob counts the Redis commands and bytes of one typical
// push (3 commits, 20 files, one secret), from the webhook's enqueue to the
// completed check run, on a redis-server of its own. The same wall time
// spent idle is measured after the pushes and subtracted, so that the
// workers' polling and heartbeats are not charged to the jobs. It logs the
// commands by name.
func BenchmarkRedisOpsPerJob(b *testing.B) {
	srv := redistest.Start(b)
	counter := &commandCounter{counts: map[string]int{}}
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr, ContextTimeoutEnabled: true})
	rdb.AddHook(counter)
	b.Cleanup(func() { rdb.Close() })
	e := startE2EWith(b, e2eConfig{rdb: rdb})
	secret := plant(b, 31).github
	prev := e.repo.Head()
	pushes := make([][]byte, b.N)
	heads := make([]string, b.N)
	for i := range pushes {
		pushes[i], heads[i] = e.typicalPush(i, secret, prev)
		prev = heads[i]
	}
	e.waitQuiet()
	b.ResetTimer()
	busy := measure(b, counter, rdb, func() {
		for i, body := range pushes {
			if got := e.send("push", body); got != http.StatusAccepted {
				b.Fatalf("status %d", got)
			}
			waitCompleted(b, e.gh, heads[i])
		}
	})
	b.StopTimer()
	idle := measure(b, counter, rdb, func() { time.Sleep(busy.took) })
	reportOps(b, busy, idle)
}

// window is what a client sent and the server moved during a stretch of time.
type window struct {
	took    time.Duration
	counts  map[string]int
	in, out int64
}

// measure runs f and returns the commands and bytes it took.
func measure(b *testing.B, c *commandCounter, rdb *redis.Client, f func()) window {
	before := c.snapshot()
	in0, out0 := netBytes(b, rdb)
	start := time.Now()
	f()
	w := window{took: time.Since(start), counts: c.snapshot()}
	in1, out1 := netBytes(b, rdb)
	w.in, w.out = in1-in0, out1-out0
	for k, v := range before {
		w.counts[k] -= v
	}
	return w
}

// reportOps reports busy minus idle per push.
func reportOps(b *testing.B, busy, idle window) {
	n := float64(b.N)
	total := 0.0
	var lines []string
	for name, v := range busy.counts {
		per := (float64(v) - float64(idle.counts[name])) / n
		if per >= 0.05 {
			lines = append(lines, fmt.Sprintf("%s=%.1f", name, per))
		}
		total += per
	}
	sort.Strings(lines)
	b.Logf("commands per push (busy minus idle, %d pushes, %v each way): %s", b.N, busy.took.Round(time.Millisecond), strings.Join(lines, " "))
	b.ReportMetric(total, "redis-cmds/push")
	b.ReportMetric(float64(busy.in-idle.in)/n, "redis-bytes-in/push")
	b.ReportMetric(float64(busy.out-idle.out)/n, "redis-bytes-out/push")
}
