package webhook

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/internal/poll"
	"github.com/pushguard/pushguard/queue"
)

// privateRedis starts a redis-server of the test's own on a free loopback
// port, so that the test may freeze it (SIGSTOP) without touching anyone
// else's Redis. It returns the process and its redis:// URL; the server is
// woken and killed when the test ends.
func privateRedis(t *testing.T) (*exec.Cmd, string) {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("redis-server is not installed: the frozen-Redis test needs a server of its own to SIGSTOP")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	cmd := exec.Command(bin, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	if err := cmd.Start(); err != nil {
		t.Fatalf("start redis-server: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGCONT)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	url := "redis://127.0.0.1:" + port + "/0"
	probe := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + port})
	defer probe.Close()
	poll.Until(t, 10*time.Second, func() bool { return probe.Ping(context.Background()).Err() == nil }, "redis-server to answer")
	return cmd, url
}

// stallDeliveries are real payloads, one job each, cycled over the test's
// deliveries.
var stallDeliveries = []string{
	"push/with-new-branch.payload.json",
	"pull_request/opened.payload.json",
	"pull_request/synchronize.payload.json",
	"check_suite/requested.payload.json",
	"check_run/rerequested.payload.json",
	"check_run/requested_action.payload.json",
	"installation/created.payload.json",
}

// TestFrozenRedisLosesNoDelivery freezes Redis while GitHub delivers: every
// delivery is answered 503 well within GitHub's 10 s, and once Redis is
// back each redelivery ends with exactly one job in the queue, whether the
// first try's command reached Redis (a duplicate with its job) or not (a new
// job). Issue 8, defect 5: 3 of 20 answered "duplicate" with no job.
func TestFrozenRedisLosesNoDelivery(t *testing.T) {
	t.Parallel()
	cmd, url := privateRedis(t)
	opts, err := queue.RedisOptions(url)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	t.Cleanup(func() { _ = rdb.Close() })
	q := queue.New(rdb, queue.Options{Name: "stall", KeyPrefix: "stall:"})
	h := newHandler(t, q)
	if got := serve(h, delivery("push", "warm-up", payload(t, stallDeliveries[0]))); got != http.StatusAccepted {
		t.Fatalf("warm-up delivery: status %d", got)
	}

	const n = 20
	send := func(i int) (int, time.Duration) {
		file := stallDeliveries[i%len(stallDeliveries)]
		event := strings.SplitN(file, "/", 2)[0]
		start := time.Now()
		return serve(h, delivery(event, fmt.Sprintf("stall-%d", i), payload(t, file))), time.Since(start)
	}
	if err := cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		slowest time.Duration
	)
	for i := range n {
		wg.Go(func() {
			status, took := send(i)
			mu.Lock()
			slowest = max(slowest, took)
			mu.Unlock()
			if status != http.StatusServiceUnavailable || took > 5*time.Second {
				t.Errorf("delivery %d with Redis frozen: status %d after %v, want 503 within 5 s", i, status, took)
			}
		})
	}
	wg.Wait()
	if err := cmd.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}

	inspector := asynq.NewInspectorFromRedisClient(rdb)
	late := 0 // first tries that Redis ran once it woke
	for i := range n {
		if _, err := inspector.GetTaskInfo("stall", fmt.Sprintf("stall-%d", i)); err == nil {
			late++
		}
	}
	t.Logf("Redis frozen: slowest 503 after %v; %d of %d first tries ran when Redis woke", slowest, late, n)
	for i := range n { // GitHub's redelivery, same delivery IDs
		if status, _ := send(i); status != http.StatusAccepted {
			t.Errorf("redelivery %d: status %d, want 202", i, status)
		}
	}
	for i := range n {
		id := fmt.Sprintf("stall-%d", i)
		if _, err := inspector.GetTaskInfo("stall", id); err != nil {
			t.Errorf("delivery %s has no job after its redelivery (lost): %v", id, err)
		}
	}
	info, err := inspector.GetQueueInfo("stall")
	if err != nil {
		t.Fatal(err)
	}
	if info.Pending != n+1 {
		t.Errorf("%d pending jobs, want %d (one per delivery)", info.Pending, n+1)
	}
}
