package incident

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/queue/queuetest"
	"github.com/pushguard/pushguard/scanner"
)

// plantedSecret looks like a live GitHub token (random, never issued). It
// is only in this file: incidents get its fingerprint and redacted form.
const plantedSecret = "ghp_R7vXq2LmN9pK4sT8wZ1yB6cD3fG5hJ0aE2iU"

// t0 is the time of the first sighting in the tests.
var t0 = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

// testStore is a Store on the test Redis (REDIS_URL or a miniredis) under a
// prefix of its own, with its client for inspecting keys.
func testStore(t testing.TB, obs Observer) (*Store, redis.UniversalClient, string) {
	t.Helper()
	rdb := queuetest.Redis(t)
	prefix := queuetest.Name(t, rdb) + ":"
	s, err := New(Config{Redis: rdb, Prefix: prefix, Observer: obs})
	if err != nil {
		t.Fatal(err)
	}
	return s, rdb, prefix
}

// fingerprint of the planted secret under rule (a test key).
func fingerprint(rule string) string {
	return scanner.Fingerprint([]byte("incident-test-key"), rule, plantedSecret)
}

// sighting of the planted secret in installation inst at line line of
// commit sha.
func sighting(inst int64, sha string, line int, at time.Time) Sighting {
	return Sighting{
		Installation: inst,
		Fingerprint:  fingerprint("github-pat"),
		RuleID:       "github-pat",
		Provider:     "GitHub",
		Redacted:     scanner.Redact(plantedSecret),
		Place: Place{
			Repository: "octo-org/payments",
			Commit:     sha,
			Path:       "config/prod.env",
			Line:       line,
			Ref:        "refs/heads/main",
			Pusher:     "octocat",
			At:         at,
		},
	}
}

// sha is a commit SHA numbered n.
func sha(n int) string { return fmt.Sprintf("%040x", n+0xabc) }

// mustSight records si or fails the test.
func mustSight(t testing.TB, s *Store, si Sighting) (Incident, bool) {
	t.Helper()
	inc, first, err := s.Sight(context.Background(), si)
	if err != nil {
		t.Fatalf("sight: %v", err)
	}
	return inc, first
}

// closed records the observer's calls.
type closed struct {
	provider string
	to       State
	after    time.Duration
}

// readKey is the content of key, whatever its type, as one string.
func readKey(t testing.TB, rdb redis.UniversalClient, key string) string {
	t.Helper()
	ctx := context.Background()
	var vals []string
	var err error
	switch typ := rdb.Type(ctx, key).Val(); typ {
	case "string":
		vals = []string{rdb.Get(ctx, key).Val()}
	case "set":
		vals, err = rdb.SMembers(ctx, key).Result()
	case "zset":
		vals, err = rdb.ZRange(ctx, key, 0, -1).Result()
	case "hash":
		var m map[string]string
		m, err = rdb.HGetAll(ctx, key).Result()
		for k, v := range m {
			vals = append(vals, k, v)
		}
	default:
		t.Fatalf("key %s has unexpected type %s", key, typ)
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(vals, "\n")
}
