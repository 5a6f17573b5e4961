package store

import (
	"context"
	"net"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/internal/poll"
)

// redisWithAOF runs a redis-server of the test's own, keeping its data in
// an append-only file in dir (fsync on every write), on port; it returns a
// function that SIGKILLs it.
func redisWithAOF(t *testing.T, dir, port string) (kill func()) {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("redis-server is not installed: the Redis-restart test needs a server of its own to SIGKILL")
	}
	cmd := exec.Command(bin, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes",
		"--appendfsync", "always", "--dir", dir)
	if err := cmd.Start(); err != nil {
		t.Fatalf("start redis-server: %v", err)
	}
	kill = func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }
	t.Cleanup(kill)
	probe := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + port})
	defer probe.Close()
	poll.Until(t, 10*time.Second, func() bool { return probe.Ping(context.Background()).Err() == nil }, "redis-server to answer")
	return kill
}

// TestLeaseAfterRedisRestart reproduces jobs stuck after Redis was
// SIGKILLed and restarted from its append-only file: the lock the job's try
// held came back with the data, its release had failed while Redis was
// down, and with a lifetime of half an hour it kept every later try
// waiting. A lease comes back too, but nobody renews it: the job's retry
// takes it over at once (same task), and any other job gets it within one
// short TTL.
func TestLeaseAfterRedisRestart(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	dir := t.TempDir()
	kill := redisWithAOF(t, dir, port)
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + port, MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	t.Cleanup(func() { _ = rdb.Close() })
	s := New(rdb, "restart-test:")
	const ttl = 2 * time.Second
	ctx := context.Background()

	var held []*Lease
	for _, sha := range []string{"sha-retried", "sha-other"} {
		l, err := s.Acquire(ctx, sha, "task-a", ttl)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, l)
	}
	kill()
	// The try that held them fails with Redis gone: its heartbeats stop and
	// its releases cannot reach Redis, so the keys stay in the AOF.
	for _, l := range held {
		l.Release()
	}
	redisWithAOF(t, dir, port)
	if n, err := rdb.Exists(ctx, s.Key("lock", "sha-other")).Result(); err != nil || n != 1 {
		t.Fatalf("the lease did not come back with Redis's data (%d, %v): the test would prove nothing", n, err)
	}
	retry, err := s.Acquire(ctx, "sha-retried", "task-a", ttl)
	if err != nil {
		t.Fatalf("the job's retry could not take its own lease back after the restart: %v", err)
	}
	defer retry.Release()
	var other *Lease
	poll.Until(t, 4*ttl, func() bool {
		l, err := s.Acquire(ctx, "sha-other", "task-b", ttl)
		other = l
		return err == nil
	}, "another job to get a lease nobody renews after Redis restarted")
	defer other.Release()
}
