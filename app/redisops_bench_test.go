package app

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/queue/queuetest"
)

// redisCounter is a go-redis hook that counts commands and the bytes of
// their arguments.
type redisCounter struct {
	cmds, bytes atomic.Int64
}

func (c *redisCounter) DialHook(next redis.DialHook) redis.DialHook { return next }

func (c *redisCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		c.count(cmd)
		return next(ctx, cmd)
	}
}

func (c *redisCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		for _, cmd := range cmds {
			c.count(cmd)
		}
		return next(ctx, cmds)
	}
}

func (c *redisCounter) count(cmd redis.Cmder) {
	c.cmds.Add(1)
	for _, a := range cmd.Args() {
		c.bytes.Add(int64(len(fmt.Sprint(a))))
	}
}

// snapshot is the counts so far.
func (c *redisCounter) snapshot() (cmds, bytes int64) { return c.cmds.Load(), c.bytes.Load() }

// BenchmarkRedisPerPush counts the Redis commands and bytes sent per push
// of 3 commits (webhook, queue, worker: one process), less what the idle
// service sends in the same time (asynq's polling and heartbeats, measured
// first), and the memory the push leaves in Redis (MEMORY USAGE of every
// key the run made: completed jobs kept for deduplication, scan cache).
func BenchmarkRedisPerPush(b *testing.B) {
	rdb := queuetest.Redis(b)
	c := &redisCounter{}
	rdb.AddHook(c)
	e := startE2EWith(b, e2eConfig{rdb: rdb})
	secret := plant(b, 31).github
	idleCmds, idleBytes := c.snapshot()
	idleStart := time.Now()
	time.Sleep(2 * time.Second)
	cmds, bytes := c.snapshot()
	idle := time.Since(idleStart)
	idleCmdRate, idleByteRate := float64(cmds-idleCmds)/idle.Seconds(), float64(bytes-idleBytes)/idle.Seconds()
	prev := e.repo.Head()
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		var shas []string
		for k := range 3 {
			files := map[string]string{fmt.Sprintf("svc/f%d_%d.go", i, k): goFile(i*3 + k)}
			if k == 2 {
				files["config/app.env"] = fmt.Sprintf("ITER=%d\nGITHUB_TOKEN=%s\n", i, secret)
			}
			shas = append(shas, e.repo.Commit(fmt.Sprintf("push %d commit %d", i, k), files))
		}
		if got := e.send("push", e.push("refs/heads/main", prev, shas[2], false, false, shas...)); got != http.StatusAccepted {
			b.Fatalf("status %d", got)
		}
		e.waitRun(shas[2])
		prev = shas[2]
	}
	took := time.Since(start)
	b.StopTimer()
	cmds2, bytes2 := c.snapshot()
	n := float64(b.N)
	b.ReportMetric((float64(cmds2-cmds)-idleCmdRate*took.Seconds())/n, "redis-cmds/push")
	b.ReportMetric((float64(bytes2-bytes)-idleByteRate*took.Seconds())/n, "redis-bytes-sent/push")
	b.ReportMetric(idleCmdRate, "idle-redis-cmds/s")
	b.ReportMetric(float64(keptBytes(b, rdb, e.qname))/n, "redis-bytes-kept/push")
}

// keptBytes adds up MEMORY USAGE of the run's keys: its queue's and those
// under its prefix.
func keptBytes(b *testing.B, rdb redis.UniversalClient, name string) int64 {
	ctx := context.Background()
	var total int64
	for _, pattern := range []string{"asynq:{" + name + "}:*", name + ":*"} {
		iter := rdb.Scan(ctx, 0, pattern, 1000).Iterator()
		for iter.Next(ctx) {
			n, err := rdb.MemoryUsage(ctx, iter.Val()).Result()
			if err != nil {
				b.Fatalf("MEMORY USAGE %s: %v", iter.Val(), err)
			}
			total += n
		}
	}
	return total
}
