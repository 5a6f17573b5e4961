// Package queuetest gives tests a Redis to run the queue on: the server named
// by REDIS_URL when it is set (CI), otherwise an embedded miniredis. Tests
// that share a real Redis stay apart by using a unique name from Name as
// their asynq queue name and key prefix; only that name's keys are deleted
// afterwards, never the whole database.
package queuetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// EnvRedisURL names the environment variable that points tests at a real
// Redis, e.g. redis://127.0.0.1:6379/0.
const EnvRedisURL = "REDIS_URL"

// asynqQueuesKey is the set in which asynq lists every queue it knows.
const asynqQueuesKey = "asynq:queues"

// Redis returns a client for the test Redis: REDIS_URL when set, otherwise a
// fresh miniredis for this test. The client (and the miniredis) is closed
// when the test ends.
func Redis(t testing.TB) redis.UniversalClient {
	t.Helper()
	rdb := redis.NewClient(Options(t))
	t.Cleanup(func() { _ = rdb.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		t.Fatalf("queuetest: ping test redis: %v", err)
	}
	return rdb
}

// Options returns connection options for the test Redis, as Redis does. Use
// it to open a second client to the same server, or to hand the address to a
// child process.
func Options(t testing.TB) *redis.Options {
	t.Helper()
	if url := os.Getenv(EnvRedisURL); url != "" {
		opts, err := redis.ParseURL(url)
		if err != nil {
			t.Fatalf("queuetest: parse %s: %v", EnvRedisURL, err)
		}
		return opts
	}
	m := miniredis.RunT(t)
	return &redis.Options{Addr: m.Addr()}
}

// Unreachable returns a client whose server is gone, for tests of what
// happens when Redis is down.
func Unreachable(t testing.TB) redis.UniversalClient {
	t.Helper()
	m := miniredis.RunT(t)
	addr := m.Addr()
	m.Close()
	rdb := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialTimeout: time.Second})
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

// Name returns a name unique to this test run, valid as an asynq queue name
// and, with a ":" appended, as a key prefix. When the test ends it deletes
// the keys of that queue ("asynq:{name}:*"), the keys under the prefix
// ("name:*") and the queue's entry in asynq's list of queues, using rdb.
// Call it after Redis so that the clean-up runs before the client closes.
func Name(t testing.TB, rdb redis.UniversalClient) string {
	t.Helper()
	name := "pgtest-" + slug(t.Name()) + "-" + randomHex(t)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		for _, pattern := range []string{"asynq:{" + name + "}:*", name + ":*"} {
			if err := deleteMatching(ctx, rdb, pattern); err != nil {
				t.Errorf("queuetest: clean up %s: %v", pattern, err)
			}
		}
		if err := rdb.SRem(ctx, asynqQueuesKey, name).Err(); err != nil {
			t.Errorf("queuetest: clean up queue %s: %v", name, err)
		}
	})
	return name
}

// deleteMatching deletes every key matching pattern, a SCAN batch at a time.
func deleteMatching(ctx context.Context, rdb redis.UniversalClient, pattern string) error {
	iter := rdb.Scan(ctx, 0, pattern, 100).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		return err
	}
	for _, k := range keys {
		// One key at a time: on Redis Cluster the keys may live in different slots.
		if err := rdb.Del(ctx, k).Err(); err != nil {
			return err
		}
	}
	return nil
}

// slug turns a test name into lower-case letters, digits and dashes, at most
// 40 of them.
func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if b.Len() == 40 {
			break
		}
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}

// randomHex returns 8 random hex digits.
func randomHex(t testing.TB) string {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("queuetest: random name: %v", err)
	}
	return hex.EncodeToString(b[:])
}

// ForgetServer removes a killed worker process (pid, on this host) from
// asynq's lists of servers and workers, which a clean shutdown would have
// done; crash tests call it after SIGKILL. (The keys the lists point to
// expire by themselves.)
func ForgetServer(t testing.TB, rdb redis.UniversalClient, pid int) {
	t.Helper()
	ctx := context.Background()
	host, _ := os.Hostname()
	prefix := fmt.Sprintf("{%s:%d:", host, pid)
	for _, set := range []string{"asynq:servers", "asynq:workers"} {
		members, err := rdb.ZRange(ctx, set, 0, -1).Result()
		if err != nil {
			t.Errorf("list %s: %v", set, err)
			continue
		}
		for _, m := range members {
			if strings.HasPrefix(m, set+":"+prefix) {
				if err := rdb.ZRem(ctx, set, m).Err(); err != nil {
					t.Errorf("forget %s: %v", m, err)
				}
			}
		}
	}
}
