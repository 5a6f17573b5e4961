package store

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/internal/poll"
	"github.com/pushguard/pushguard/queue/queuetest"
)

// leaseTTL is short so that expiry takes a fraction of a second.
const leaseTTL = 300 * time.Millisecond

// leaseStore is a store on the test Redis (REDIS_URL, or a miniredis whose
// clock follows the wall clock, since leases expire by time).
func leaseStore(t *testing.T) *Store {
	t.Helper()
	var rdb redis.UniversalClient
	if os.Getenv(queuetest.EnvRedisURL) != "" {
		rdb = queuetest.Redis(t)
	} else {
		m := miniredis.RunT(t)
		stop := make(chan struct{})
		go func() {
			last := time.Now()
			for {
				select {
				case <-stop:
					return
				case now := <-time.After(5 * time.Millisecond):
					m.FastForward(now.Sub(last))
					last = now
				}
			}
		}()
		t.Cleanup(func() { close(stop) })
		rdb = redis.NewClient(&redis.Options{Addr: m.Addr()})
		t.Cleanup(func() { _ = rdb.Close() })
	}
	return New(rdb, queuetest.Name(t, rdb)+":")
}

// dead acquires a lease for holder and lets its holder die: the heartbeat
// stops (its context ends) and nothing releases it.
func dead(t *testing.T, s *Store, name, holder string) *Lease {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	l, err := s.Acquire(ctx, name, holder, leaseTTL)
	if err != nil {
		t.Fatalf("acquire %s: %v", holder, err)
	}
	cancel()
	<-l.done
	return l
}

func TestLeaseOfDeadHolderFreesWithinTTL(t *testing.T) {
	t.Parallel()
	s := leaseStore(t)
	ctx := context.Background()
	dead(t, s, "sha", "task-a")
	if _, err := s.Acquire(ctx, "sha", "task-b", leaseTTL); !errors.Is(err, ErrLocked) {
		t.Fatalf("acquire by another job at once = %v, want ErrLocked", err)
	}
	start := time.Now()
	var got *Lease
	poll.Until(t, 3*leaseTTL, func() bool {
		l, err := s.Acquire(ctx, "sha", "task-b", leaseTTL)
		if err != nil && !errors.Is(err, ErrLocked) {
			t.Fatal(err)
		}
		got = l
		return err == nil
	}, "the lease of a dead holder to be free")
	defer got.Release()
	t.Logf("free %s after its holder died (TTL %s)", time.Since(start).Round(time.Millisecond), leaseTTL)
	if got.TookOver {
		t.Error("another job's expired lease counted as taken over")
	}
}

func TestLeaseRenewedWhileHolderLives(t *testing.T) {
	t.Parallel()
	// A longer TTL than the other tests: the heartbeat renews every TTL/3,
	// and a loaded machine (the race detector, two cores) can delay one
	// renewal by a few hundred milliseconds; the test is about renewal
	// keeping the lease past its TTL, not about scheduling latency.
	const ttl = 2 * time.Second
	s := leaseStore(t)
	ctx := context.Background()
	l, err := s.Acquire(ctx, "sha", "task-a", ttl)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	for deadline := time.Now().Add(2 * ttl); time.Now().Before(deadline); time.Sleep(ttl / 5) {
		if _, err := s.Acquire(ctx, "sha", "task-b", ttl); !errors.Is(err, ErrLocked) {
			t.Fatalf("another job acquired a live holder's lease (err %v)", err)
		}
	}
	if l.Lost() || l.Hold() != nil {
		t.Errorf("a renewed lease was lost: %v", context.Cause(l.Context()))
	}
}

func TestLeaseOfEarlierTryTakenOver(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		alive bool // try 1's worker still runs (cut off from Redis past asynq's lease, say)
	}{{"earlier try died", false}, {"earlier try still running", true}} {
		t.Run(tc.name, func(t *testing.T) {
			s := leaseStore(t)
			var old *Lease
			if tc.alive {
				var err error
				if old, err = s.Acquire(context.Background(), "sha", "task-a", leaseTTL); err != nil {
					t.Fatal(err)
				}
			} else {
				old = dead(t, s, "sha", "task-a")
			}
			l, err := s.Acquire(context.Background(), "sha", "task-a", leaseTTL)
			if err != nil {
				t.Fatalf("try 2 of the same job: %v, want the lease taken over", err)
			}
			defer l.Release()
			if !l.TookOver {
				t.Error("tookOver = false, want true")
			}
			if err := old.Hold(); err == nil {
				t.Error("the earlier try's Hold succeeded after the takeover, want it fenced")
			}
			if tc.alive && !old.Lost() {
				t.Errorf("the earlier try's lease: cause %v, want ErrLeaseLost", context.Cause(old.Context()))
			}
			old.Release() // must not delete try 2's lease
			if err := l.Hold(); err != nil {
				t.Errorf("try 2's lease after the earlier try released: %v", err)
			}
		})
	}
}

func TestLeaseReleaseKeepsAnotherHoldersLease(t *testing.T) {
	t.Parallel()
	s := leaseStore(t)
	ctx := context.Background()
	old := dead(t, s, "sha", "task-a")
	var l *Lease
	poll.Until(t, 3*leaseTTL, func() bool {
		var err error
		l, err = s.Acquire(ctx, "sha", "task-b", leaseTTL)
		return err == nil
	}, "the lease of a dead holder to be free")
	defer l.Release()
	old.Release()
	if err := l.Hold(); err != nil {
		t.Fatalf("release by the old holder deleted the new holder's lease: %v", err)
	}
	if _, err := s.Acquire(ctx, "sha", "task-c", leaseTTL); !errors.Is(err, ErrLocked) {
		t.Errorf("acquire by a third job = %v, want ErrLocked", err)
	}
	l.Release()
	l2, err := s.Acquire(ctx, "sha", "task-c", leaseTTL)
	if err != nil {
		t.Fatalf("acquire after release: %v", err)
	}
	l2.Release()
}

func TestLeaseLostStopsTheWork(t *testing.T) {
	t.Parallel()
	s := leaseStore(t)
	l, err := s.Acquire(context.Background(), "sha", "task-a", leaseTTL)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	// Another holder got it (say this worker was cut off past the TTL).
	if err := s.rdb.Set(context.Background(), l.key, "task-b other", leaseTTL).Err(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-l.Context().Done():
	case <-time.After(3 * leaseTTL):
		t.Fatal("the lease's context did not end after the lease was lost")
	}
	if !l.Lost() || !errors.Is(context.Cause(l.Context()), ErrLeaseLost) {
		t.Errorf("cause = %v, want ErrLeaseLost", context.Cause(l.Context()))
	}
	if v := s.rdb.Get(context.Background(), l.key).Val(); v != "task-b other" {
		t.Errorf("lease value = %q, want the other holder's kept", v)
	}
}

func TestBusyCountResetsOnAcquire(t *testing.T) {
	t.Parallel()
	s := leaseStore(t)
	ctx := context.Background()
	for want := 1; want <= 3; want++ {
		if n, err := s.Busy(ctx, "task-a"); err != nil || n != want {
			t.Fatalf("busy = %d, %v; want %d", n, err, want)
		}
	}
	l, err := s.Acquire(ctx, "sha", "task-a", leaseTTL)
	if err != nil {
		t.Fatal(err)
	}
	l.Release()
	if n, err := s.Busy(ctx, "task-a"); err != nil || n != 1 {
		t.Errorf("busy after acquire = %d, %v; want 1", n, err)
	}
}
