package store

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

// Store keeps the App's state in Redis under one key prefix: per-commit
// scan results (redacted findings and fingerprints only), per-SHA leases,
// the annotations already posted on each check run, the commits each run
// covers, maintainers' command results and the sweeper's state. Nothing it
// stores holds a raw secret.
type Store struct {
	rdb    redis.UniversalClient
	prefix string
}

// New returns a store on rdb whose keys all start with prefix
// (DefaultKeyPrefix when empty).
func New(rdb redis.UniversalClient, prefix string) *Store {
	if prefix == "" {
		prefix = DefaultKeyPrefix
	}
	return &Store{rdb: rdb, prefix: prefix}
}

// Prefix is the prefix of the store's keys.
func (s *Store) Prefix() string { return s.prefix }

// Lifetimes of what the store keeps.
const (
	scanCacheTTL     = 30 * 24 * time.Hour
	annotatedTTL     = 30 * 24 * time.Hour
	commandResultTTL = 7 * 24 * time.Hour
)

// Key is the full Redis key of parts joined by ":" under the prefix. It is
// exported for tests that inspect or reset what the store keeps.
func (s *Store) Key(parts ...string) string {
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
func (s *Store) getJSON(ctx context.Context, key string, v any) (found bool, err error) {
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
func (s *Store) setJSON(ctx context.Context, key string, v any, ttl time.Duration) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	if err := s.rdb.Set(ctx, key, b, ttl).Err(); err != nil {
		return fmt.Errorf("redis set %s: %w", key, err)
	}
	return nil
}

// CommitScan loads the cached scan of a commit by a ruleset version into v
// (a JSON value of redacted findings); found is false on a miss.
func (s *Store) CommitScan(ctx context.Context, rulesVersion, repo, sha string, v any) (found bool, err error) {
	return s.getJSON(ctx, s.Key("scan", rulesVersion, repo, sha), v)
}

// SetCommitScan caches the scan of a commit by a ruleset version. v must
// hold redacted findings only.
func (s *Store) SetCommitScan(ctx context.Context, rulesVersion, repo, sha string, v any) error {
	return s.setJSON(ctx, s.Key("scan", rulesVersion, repo, sha), v, scanCacheTTL)
}

// CommandResult loads what a pull request comment's commands did into v;
// found is false when they have not run yet.
func (s *Store) CommandResult(ctx context.Context, commentID int64, v any) (found bool, err error) {
	return s.getJSON(ctx, s.Key("command", fmt.Sprint(commentID)), v)
}

// SetCommandResult records what a comment's commands did, so that a retried
// job answers again without applying them twice. v must hold no user input.
func (s *Store) SetCommandResult(ctx context.Context, commentID int64, v any) error {
	return s.setJSON(ctx, s.Key("command", fmt.Sprint(commentID)), v, commandResultTTL)
}

// releaseScript deletes a lock or lease only if it still holds our token.
var releaseScript = redis.NewScript(`if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`)

// Lock takes a lock that expires after ttl and is never renewed: a
// once-per-interval guard such as the sweeper's. Work that must hold a name
// for as long as it runs takes a lease instead (Acquire). ok is false when
// another worker holds it.
func (s *Store) Lock(ctx context.Context, name string, ttl time.Duration) (release func(), ok bool, err error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, false, err
	}
	token, key := hex.EncodeToString(b[:]), s.Key("lock", name)
	ok, err = s.rdb.SetNX(ctx, key, token, ttl).Result()
	if err != nil {
		return nil, false, fmt.Errorf("redis lock %s: %w", name, err)
	}
	if !ok {
		return nil, false, nil
	}
	return func() { releaseScript.Run(context.WithoutCancel(ctx), s.rdb, []string{key}, token) }, true, nil
}

// Annotated returns the annotation keys already posted on a check run.
func (s *Store) Annotated(ctx context.Context, runID int64) (map[string]bool, error) {
	members, err := s.rdb.SMembers(ctx, s.Key("annotated", fmt.Sprint(runID))).Result()
	if err != nil {
		return nil, fmt.Errorf("redis annotated %d: %w", runID, err)
	}
	out := make(map[string]bool, len(members))
	for _, m := range members {
		out[m] = true
	}
	return out, nil
}

// AddAnnotated records annotation keys posted on a check run.
func (s *Store) AddAnnotated(ctx context.Context, runID int64, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	k := s.Key("annotated", fmt.Sprint(runID))
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

// RunCommits returns the commits scanned for a check run so far, in the
// order they were first scanned.
func (s *Store) RunCommits(ctx context.Context, runID int64) ([]string, error) {
	shas, err := s.rdb.LRange(ctx, s.Key("runcommits", fmt.Sprint(runID)), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("redis run commits %d: %w", runID, err)
	}
	return shas, nil
}

// SetRunCommits records the commits a check run now covers.
func (s *Store) SetRunCommits(ctx context.Context, runID int64, shas []string) error {
	k := s.Key("runcommits", fmt.Sprint(runID))
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

// RunGaps reads into v (a slice of the caller's type) what a check run's
// earlier jobs could not scan (commits left out), so a job that reuses the
// run keeps naming them; found is false when none were recorded.
func (s *Store) RunGaps(ctx context.Context, runID int64, v any) (found bool, err error) {
	return s.getJSON(ctx, s.Key("rungaps", fmt.Sprint(runID)), v)
}

// SetRunGaps records what a check run's jobs could not scan so far.
func (s *Store) SetRunGaps(ctx context.Context, runID int64, v any) error {
	return s.setJSON(ctx, s.Key("rungaps", fmt.Sprint(runID)), v, annotatedTTL)
}
