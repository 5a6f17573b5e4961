package store

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/internal/logkey"
)

// redisLogger hands go-redis's own log lines (failed dials, pool and
// handshake trouble) to slog, so that LOG_FORMAT=json stays JSON. It
// implements go-redis's internal.Logging.
type redisLogger struct{ log *slog.Logger }

// Printf logs one go-redis line as a warning: the library logs only what
// went wrong.
func (l redisLogger) Printf(ctx context.Context, format string, v ...any) {
	l.log.WarnContext(ctx, fmt.Sprintf(format, v...), logkey.Component, "go-redis")
}

// RouteRedisLogs sends go-redis's log lines to log. redis.SetLogger is the
// library's only hook and is package-global: this is the one exception to
// "no package-level mutable state", made once per process by the serve and
// worker commands (the app's wiring), never by a library package.
func RouteRedisLogs(log *slog.Logger) { redis.SetLogger(redisLogger{log: log}) }
