//go:build faults

package app

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/pushguard/pushguard/internal/poll"
	"github.com/pushguard/pushguard/internal/redistest"
	"github.com/pushguard/pushguard/queue"
	"github.com/pushguard/pushguard/store"
)

// sentinelPushes is how many pushes the failover test delivers.
const sentinelPushes = 60

// TestE2ESentinelFailover runs the App on a master, a replica and three
// sentinels (quorum 2) through REDIS_SENTINEL_ADDRS's failover client, and
// SIGKILLs the master while pushes are being delivered and scanned. The
// sender acts as GitHub's redelivery does: a delivery answered 503 (Redis
// unreachable) is sent again under the same delivery ID. When the replica
// has been promoted every push has exactly one completed check run, no job
// is dead, and nothing is left pending, running or waiting.
func TestE2ESentinelFailover(t *testing.T) {
	g := redistest.Sentinel(t)
	e := startE2E(t, e2eConfig{redis: store.Redis{SentinelAddrs: g.Sentinels, MasterName: redistest.MasterName}, workers: 4})
	shas := make([]string, sentinelPushes)
	prev := e.repo.Head()
	for i := range shas {
		shas[i] = e.repo.Commit(fmt.Sprintf("change %d", i), map[string]string{fmt.Sprintf("f%d.txt", i): "clean\n"})
	}
	oldMaster := g.Master.Addr
	start := time.Now()
	var wg sync.WaitGroup
	var out outage
	killed := make(chan struct{})
	for i, sha := range shas {
		if i == sentinelPushes/3 {
			g.Master.Kill() // mid-load: jobs queued, running and done
			close(killed)
		}
		before := prev
		prev = sha
		wg.Add(1)
		go func() {
			defer wg.Done()
			deliverUntilAccepted(t, e, &out, fmt.Sprintf("failover-%d", i), e.push("refs/heads/main", before, sha, false, false, sha))
		}()
		time.Sleep(20 * time.Millisecond)
	}
	wg.Wait()
	<-killed
	for _, sha := range shas {
		if run := e.waitRun(sha); run.Conclusion != "success" {
			t.Errorf("%s: conclusion %q, want success", sha[:8], run.Conclusion)
		}
	}
	e.waitQuiet()
	t.Logf("%d pushes delivered and scanned across a failover in %v; webhooks refused (503) for %v, %d times",
		sentinelPushes, time.Since(start).Round(time.Millisecond), out.last.Sub(out.first).Round(time.Millisecond), out.refused)
	for _, sha := range shas {
		if runs := e.runsOn(sha); len(runs) != 1 {
			t.Errorf("%s: %d check runs, want exactly 1", sha[:8], len(runs))
		}
	}
	q := queue.New(e.rdb, queue.Options{Name: e.qname})
	if st, err := q.Stats(context.Background()); err != nil || st.Dead != 0 {
		t.Errorf("after the failover: %+v, %v; want no dead job", st, err)
	}
	if now := g.CurrentMaster(context.Background()); now == oldMaster || now == "" {
		t.Errorf("the sentinels' master is %q, want the promoted replica %s", now, g.Replica.Addr)
	}
}

// outage records the webhook answers other than 202.
type outage struct {
	mu          sync.Mutex
	first, last time.Time
	refused     int
}

func (o *outage) add(at time.Time) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.first.IsZero() {
		o.first = at
	}
	o.last = at
	o.refused++
}

// deliverUntilAccepted sends a webhook delivery until pushguard answers 202,
// under the same delivery ID each time, as GitHub's redelivery would (the
// sweeper asks for it); it fails the test after 45 s.
func deliverUntilAccepted(t *testing.T, e *e2e, out *outage, delivery string, body []byte) {
	status := 0
	poll.Wait(45*time.Second, func() bool {
		status = e.sendAs("push", delivery, body)
		if status != http.StatusAccepted {
			out.add(time.Now())
			time.Sleep(200 * time.Millisecond)
		}
		return status == http.StatusAccepted
	})
	if status != http.StatusAccepted {
		t.Errorf("delivery %s: status %d after 45 s", delivery, status)
	}
}
