package store

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/internal/redistest"
)

// TestRedisCheck: one topology at a time, each with what it needs and
// nothing that belongs to another.
func TestRedisCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		r    Redis
		want string // "" when valid
	}{
		{"embedded", Redis{}, ""},
		{"single", Redis{URL: "rediss://:pw@r:6380/1"}, ""},
		{"sentinel", Redis{SentinelAddrs: []string{"s1:26379", "s2:26379"}, MasterName: "m", Password: "pw", TLS: true, DB: 2}, ""},
		{"cluster", Redis{ClusterAddrs: []string{"n1:7000"}, Password: "pw"}, ""},
		{"two topologies", Redis{URL: "redis://r", ClusterAddrs: []string{"n1:7000"}}, "not several"},
		{"sentinel without master", Redis{SentinelAddrs: []string{"s1:26379"}}, "REDIS_MASTER_NAME is required"},
		{"master without sentinels", Redis{URL: "redis://r", MasterName: "m"}, "go with REDIS_SENTINEL_ADDRS"},
		{"address without port", Redis{ClusterAddrs: []string{"n1"}}, `host:port, not "n1"`},
		{"password beside a URL", Redis{URL: "redis://r", Password: "pw"}, "REDIS_URL carries its own"},
		{"cluster DB", Redis{ClusterAddrs: []string{"n1:7000"}, DB: 1}, "only DB 0"},
		{"bad URL", Redis{URL: "http://r"}, "redis:// or rediss://"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.r.Check()
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("Check() = %v, want %q", err, tc.want)
			}
			probs := tc.r.Problems()
			if joined := errors.Join(probs...); (joined == nil) != (err == nil) || joined != nil && joined.Error() != err.Error() {
				t.Errorf("Problems() = %q, want what Check() says: %v", probs, err)
			}
		})
	}
}

// TestStoreOnCluster runs every store operation that writes more than one
// key, or a script, on a real three-master Redis Cluster through the client
// Connect builds: none may fail with CROSSSLOT, whatever slots the lease's
// name and its holder hash to.
func TestStoreOnCluster(t *testing.T) {
	t.Parallel()
	addrs := redistest.Cluster(t, 3)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rdb, closeFn, err := Connect(ctx, Redis{ClusterAddrs: addrs[:1]}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeFn)
	if _, ok := rdb.(*redis.ClusterClient); !ok {
		t.Fatalf("Connect built a %T for a cluster, want *redis.ClusterClient", rdb)
	}
	s := New(rdb, "pgtest:")
	for i, name := range []string{"octo/a@1", "octo/b@2", "octo/c@3", "octo/d@4"} {
		holder := "task-" + string(rune('a'+i))
		if _, err := s.Busy(ctx, holder); err != nil {
			t.Fatalf("busy: %v", err)
		}
		l, err := s.Acquire(ctx, name, holder, 3*time.Second)
		if err != nil {
			t.Fatalf("acquire %s for %s: %v", name, holder, err)
		}
		if err := l.Hold(); err != nil {
			t.Errorf("hold: %v", err)
		}
		if _, err := s.Acquire(ctx, name, "other", time.Second); !errors.Is(err, ErrLocked) {
			t.Errorf("second holder: %v, want ErrLocked", err)
		}
		l.Release()
		if n, err := s.Busy(ctx, holder); err != nil || n != 1 {
			t.Errorf("busy after acquire = %d, %v; want 1 (reset by Acquire)", n, err)
		}
	}
	if err := s.AddAnnotated(ctx, 7, []string{"a", "b"}); err != nil {
		t.Error(err)
	}
	if err := s.SetRunCommits(ctx, 7, []string{"c1", "c2"}); err != nil {
		t.Error(err)
	}
	if err := s.UpdatePendingDeliveries(ctx, []string{"g1"}, map[string][]byte{"g2": []byte("{}")}, time.Minute); err != nil {
		t.Error(err)
	}
	release, ok, err := s.Lock(ctx, "sweeper", time.Minute)
	if err != nil || !ok {
		t.Fatalf("lock: %v %v", ok, err)
	}
	release()
}
