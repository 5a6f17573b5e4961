package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/queue"
)

// DefaultKeyPrefix prefixes every key pushguard keeps in Redis.
const DefaultKeyPrefix = "pushguard:"

// Connect opens the Redis at url (redis:// or rediss:// with TLS and a
// password; go-redis honours the context's deadlines), or, when url is
// empty, starts an embedded in-memory Redis and says loudly that nothing
// will survive a restart. closeFn closes the client (and stops the embedded
// server); call it last.
func Connect(ctx context.Context, url string, log *slog.Logger) (rdb redis.UniversalClient, closeFn func(), err error) {
	if url != "" {
		opt, err := queue.RedisOptions(url)
		if err != nil {
			return nil, nil, fmt.Errorf("REDIS_URL: %w", err)
		}
		c := redis.NewClient(opt)
		return c, func() { c.Close() }, nil
	}
	mr, err := miniredis.Run()
	if err != nil {
		return nil, nil, fmt.Errorf("start embedded redis: %w", err)
	}
	log.WarnContext(ctx, "REDIS_URL is not set: running on an embedded in-memory Redis. "+
		"Queued jobs, scan results and maintainers' decisions are lost when this process stops. "+
		"Set REDIS_URL for production.")
	c := redis.NewClient(&redis.Options{Addr: mr.Addr(), ContextTimeoutEnabled: true})
	return c, func() { c.Close(); mr.Close() }, nil
}

// CheckURL checks a REDIS_URL when set: redis:// or rediss:// (TLS).
func CheckURL(v string) error {
	if v == "" {
		return nil
	}
	if u, err := url.Parse(v); err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") {
		return errors.New("REDIS_URL must be a redis:// or rediss:// URL")
	}
	return nil
}
