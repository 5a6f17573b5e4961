package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// store keeps the worker's state in Redis under one key prefix: per-commit
// scan results (redacted findings and fingerprints only), per-SHA locks, and
// the annotations already posted on each check run. Nothing it stores holds a
// raw secret.
type store struct {
	rdb    redis.UniversalClient
	prefix string
}

// Lifetimes of what the store keeps.
const (
	scanCacheTTL = 30 * 24 * time.Hour
	annotatedTTL = 30 * 24 * time.Hour
)

func (s *store) key(parts ...string) string {
	k := s.prefix
	for i, p := range parts {
		if i > 0 {
			k += ":"
		}
		k += p
	}
	return k
}

// getJSON loads a JSON value; found is false when the key does not exist.
func (s *store) getJSON(ctx context.Context, key string, v any) (found bool, err error) {
	b, err := s.rdb.Get(ctx, key).Bytes()
	if errors.Is(err, redis.Nil) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("redis get %s: %w", key, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("decode %s: %w", key, err)
	}
	return true, nil
}

// setJSON stores a JSON value with a lifetime.
func (s *store) setJSON(ctx context.Context, key string, v any, ttl time.Duration) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	if err := s.rdb.Set(ctx, key, b, ttl).Err(); err != nil {
		return fmt.Errorf("redis set %s: %w", key, err)
	}
	return nil
}

// releaseScript deletes a lock or lease only if it still holds our token.
var releaseScript = redis.NewScript(`if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`)

// lock takes a lock that expires after ttl and is never renewed: a
// once-per-interval guard such as the sweeper's. Work that must hold a name
// for as long as it runs takes a lease instead (acquire). ok is false when
// another worker holds it.
func (s *store) lock(ctx context.Context, name string, ttl time.Duration) (release func(), ok bool, err error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, false, err
	}
	token, key := hex.EncodeToString(b[:]), s.key("lock", name)
	ok, err = s.rdb.SetNX(ctx, key, token, ttl).Result()
	if err != nil {
		return nil, false, fmt.Errorf("redis lock %s: %w", name, err)
	}
	if !ok {
		return nil, false, nil
	}
	return func() { releaseScript.Run(context.WithoutCancel(ctx), s.rdb, []string{key}, token) }, true, nil
}

// annotated returns the annotation keys already posted on a check run.
func (s *store) annotated(ctx context.Context, runID int64) (map[string]bool, error) {
	members, err := s.rdb.SMembers(ctx, s.key("annotated", fmt.Sprint(runID))).Result()
	if err != nil {
		return nil, fmt.Errorf("redis annotated %d: %w", runID, err)
	}
	out := make(map[string]bool, len(members))
	for _, m := range members {
		out[m] = true
	}
	return out, nil
}

// addAnnotated records annotation keys posted on a check run.
func (s *store) addAnnotated(ctx context.Context, runID int64, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	k := s.key("annotated", fmt.Sprint(runID))
	members := make([]any, len(keys))
	for i, key := range keys {
		members[i] = key
	}
	pipe := s.rdb.TxPipeline()
	pipe.SAdd(ctx, k, members...)
	pipe.Expire(ctx, k, annotatedTTL)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("redis annotated %d: %w", runID, err)
	}
	return nil
}

// runCommits returns the commits scanned for a check run so far, in the
// order they were first scanned.
func (s *store) runCommits(ctx context.Context, runID int64) ([]string, error) {
	shas, err := s.rdb.LRange(ctx, s.key("runcommits", fmt.Sprint(runID)), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("redis run commits %d: %w", runID, err)
	}
	return shas, nil
}

// addRunCommits records the commits a check run now covers.
func (s *store) addRunCommits(ctx context.Context, runID int64, shas []string) error {
	k := s.key("runcommits", fmt.Sprint(runID))
	pipe := s.rdb.TxPipeline()
	pipe.Del(ctx, k)
	if len(shas) > 0 {
		members := make([]any, len(shas))
		for i, sha := range shas {
			members[i] = sha
		}
		pipe.RPush(ctx, k, members...)
	}
	pipe.Expire(ctx, k, annotatedTTL)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("redis run commits %d: %w", runID, err)
	}
	return nil
}
