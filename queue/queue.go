package queue

import (
	"context"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
)

// Defaults for Options.
const (
	DefaultName      = "pushguard"
	DefaultKeyPrefix = "pushguard:"
	DefaultMaxRetry  = 8
	// DefaultDedupeTTL covers GitHub's redeliveries, which it offers for 3 days.
	DefaultDedupeTTL = 72 * time.Hour
	// DefaultTimeout is how long one try of a job may run.
	DefaultTimeout = 30 * time.Minute
)

// Options configures a Queue. Zero fields take the defaults above.
type Options struct {
	// Name is the asynq queue name.
	Name string
	// KeyPrefix prefixes the keys this package writes itself. Since
	// deliveries are deduplicated by their jobs' IDs there are none today;
	// it is kept so that callers' isolation (tests, tenants) keeps working.
	KeyPrefix string
	// MaxRetry is how many times a failed job is retried before it is dead.
	MaxRetry int
	// DedupeTTL is how long a delivery's job is kept after it succeeded, so
	// that GitHub's redeliveries of it are duplicates; until it succeeds (or
	// while it is dead) the job is kept anyway.
	DedupeTTL time.Duration
	// Timeout is how long one try of a job may run before its context ends.
	Timeout time.Duration
	// Backoff returns the delay before the next try of a job that has been
	// retried n times so far; DefaultBackoff when nil.
	Backoff func(retried int) time.Duration
	// Logger receives the queue's logs; nothing is logged when nil.
	Logger *slog.Logger
}

// withDefaults fills in the zero fields.
func (o Options) withDefaults() Options {
	if o.Name == "" {
		o.Name = DefaultName
	}
	if o.KeyPrefix == "" {
		o.KeyPrefix = DefaultKeyPrefix
	}
	if o.MaxRetry <= 0 {
		o.MaxRetry = DefaultMaxRetry
	}
	if o.DedupeTTL <= 0 {
		o.DedupeTTL = DefaultDedupeTTL
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Backoff == nil {
		o.Backoff = DefaultBackoff
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Queue is a Redis-backed job queue. It is safe for concurrent use. It does
// not own the Redis client: the caller closes it after the queue's last use.
type Queue struct {
	rdb       redis.UniversalClient
	opts      Options
	client    *asynq.Client
	inspector *asynq.Inspector
}

// New returns a Queue on rdb. The caller builds rdb (redis.ParseURL handles
// rediss:// and passwords) and closes it after the queue's last use.
func New(rdb redis.UniversalClient, opts Options) *Queue {
	return &Queue{
		rdb:       rdb,
		opts:      opts.withDefaults(),
		client:    asynq.NewClientFromRedisClient(rdb),
		inspector: asynq.NewInspectorFromRedisClient(rdb),
	}
}

// Ping checks that Redis answers.
func (q *Queue) Ping(ctx context.Context) error {
	if err := q.rdb.Ping(ctx).Err(); err != nil {
		return unavailable("ping redis", err)
	}
	return nil
}

// taskOptions are the asynq options of every task this queue enqueues.
//
// asynq is told one retry more than MaxRetry: our worker archives a job that
// fails after MaxRetry retries itself (see processTask), which leaves asynq
// free to reschedule a RetryAt on the last try instead of archiving it.
func (q *Queue) taskOptions() []asynq.Option {
	return []asynq.Option{
		asynq.Queue(q.opts.Name),
		asynq.MaxRetry(q.opts.MaxRetry + 1),
		asynq.Timeout(q.opts.Timeout),
	}
}

// RedisOptions parses a redis:// or rediss:// URL (password, DB and TLS
// included) into client options fit for the queue: context deadlines are
// honoured, which go-redis v9 only does with ContextTimeoutEnabled (without
// it a call on a frozen Redis waits out ReadTimeout on every retry, 5 to 10
// s, whatever the caller's deadline).
func RedisOptions(url string) (*redis.Options, error) {
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, err
	}
	opts.ContextTimeoutEnabled = true
	return opts, nil
}
