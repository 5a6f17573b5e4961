package alert

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/internal/logkey"
)

// Defaults of Config.
const (
	// DefaultDedupeTTL is how long a sent incident is remembered: the same
	// secret found again in the same installation within it alerts no one.
	DefaultDedupeTTL = 90 * 24 * time.Hour
	// DefaultMaxAttempts bounds the tries of one alert to one receiver.
	DefaultMaxAttempts = 6
	// DefaultMaxElapsed bounds the time spent retrying one alert to one
	// receiver.
	DefaultMaxElapsed = 2 * time.Minute
	// DefaultBackoffBase and DefaultBackoffMax: the wait after try n is
	// base·2^(n-1), capped, less up to a half of jitter.
	DefaultBackoffBase = time.Second
	DefaultBackoffMax  = 30 * time.Second
	// DefaultClaimIdle is how long an alert read by a process may go
	// unfinished before another process takes it over (the first died).
	DefaultClaimIdle = 10 * time.Minute
	// DefaultMaxClaims bounds how often an alert is taken over: one that
	// keeps its processes from finishing is given up (and logged).
	DefaultMaxClaims = 5
	// DefaultWorkers is how many alerts one process delivers at once.
	DefaultWorkers = 2
	// DefaultBlock is how long a worker waits for a new alert per read; Run
	// returns at most this long after its context ends.
	DefaultBlock = 2 * time.Second
)

// group is the consumer group of the alert stream, shared by all processes.
const group = "alerters"

// Observer is told the outcome of each alert at each receiver, once: ok, or
// failed for good, after attempt tries. The app counts them in Prometheus.
type Observer interface {
	OnResult(sender string, ok bool, attempt int)
}

// ObserverFunc adapts a function to Observer.
type ObserverFunc func(sender string, ok bool, attempt int)

// OnResult calls f.
func (f ObserverFunc) OnResult(sender string, ok bool, attempt int) { f(sender, ok, attempt) }

// Config is what a Dispatcher needs; zero durations and counts take the
// defaults above.
type Config struct {
	Redis    redis.UniversalClient
	Prefix   string // key prefix, e.g. "pushguard:"
	Senders  []Sender
	Observer Observer     // may be nil
	Logger   *slog.Logger // slog.Default() when nil
	Consumer string       // this process in the consumer group; host-pid-random when empty

	DedupeTTL   time.Duration
	MaxAttempts int
	MaxElapsed  time.Duration
	BackoffBase time.Duration
	BackoffMax  time.Duration
	ClaimIdle   time.Duration
	MaxClaims   int
	Workers     int
	Block       time.Duration
}

// Dispatcher queues alerts in Redis and delivers them to its Senders.
type Dispatcher struct {
	cfg     Config
	rdb     redis.UniversalClient
	log     *slog.Logger
	enqueue *redis.Script
}

// enqueueScript remembers the incident (SET NX with a TTL) and queues the
// alert in one step, so that an incident is never marked sent without its
// alert being queued. KEYS: sent key, stream. ARGV: TTL (ms), alert JSON.
const enqueueScript = `
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then
  return redis.call('XADD', KEYS[2], '*', 'alert', ARGV[2])
end
return false`

// New checks cfg and returns a Dispatcher; Run delivers what Enqueue queues.
func New(cfg Config) (*Dispatcher, error) {
	if cfg.Redis == nil {
		return nil, errors.New("alert: no Redis client")
	}
	if len(cfg.Senders) == 0 {
		return nil, errors.New("alert: no receiver configured")
	}
	cfg = withDefaults(cfg)
	if cfg.ClaimIdle <= cfg.MaxElapsed {
		return nil, fmt.Errorf("alert: claim idle %s must exceed the retry time %s (plus a request's timeout)", cfg.ClaimIdle, cfg.MaxElapsed)
	}
	return &Dispatcher{cfg: cfg, rdb: cfg.Redis, log: cfg.Logger, enqueue: redis.NewScript(enqueueScript)}, nil
}

func withDefaults(c Config) Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.DedupeTTL, DefaultDedupeTTL)
	def(&c.MaxElapsed, DefaultMaxElapsed)
	def(&c.BackoffBase, DefaultBackoffBase)
	def(&c.BackoffMax, DefaultBackoffMax)
	def(&c.ClaimIdle, DefaultClaimIdle)
	def(&c.Block, DefaultBlock)
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = DefaultMaxAttempts
	}
	if c.MaxClaims <= 0 {
		c.MaxClaims = DefaultMaxClaims
	}
	if c.Workers <= 0 {
		c.Workers = DefaultWorkers
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Consumer == "" {
		host, _ := os.Hostname()
		c.Consumer = host + "-" + strconv.Itoa(os.Getpid()) + "-" + newID()[:8]
	}
	return c
}

// Keys share the {alert} hash tag so that the enqueue script's keys are in
// one slot of a Redis Cluster. None holds a secret: the fingerprint is a
// keyed hash, and queued alerts hold only the redacted value.
func (d *Dispatcher) sentKey(a Alert) string {
	return d.cfg.Prefix + "{alert}:sent:" + strconv.FormatInt(a.InstallationID, 10) + ":" + a.Fingerprint
}
func (d *Dispatcher) streamKey() string { return d.cfg.Prefix + "{alert}:pending" }
func (d *Dispatcher) doneKey(id string) string {
	return d.cfg.Prefix + "{alert}:done:" + id
}

// Enqueue queues a unless its incident (installation and fingerprint) was
// already alerted, and returns at once: it waits for Redis, never for a
// receiver. queued is false for a repeat. The error of an invalid alert
// wraps ErrInvalid.
func (d *Dispatcher) Enqueue(ctx context.Context, a Alert) (queued bool, err error) {
	if err := a.Validate(); err != nil {
		return false, err
	}
	a.ID = newID()
	if a.FirstSeen.IsZero() {
		a.FirstSeen = time.Now().UTC()
	}
	raw, err := json.Marshal(a)
	if err != nil {
		return false, fmt.Errorf("encode alert: %w", err)
	}
	keys := []string{d.sentKey(a), d.streamKey()}
	err = d.enqueue.Run(ctx, d.rdb, keys, d.cfg.DedupeTTL.Milliseconds(), raw).Err()
	if errors.Is(err, redis.Nil) {
		d.log.DebugContext(ctx, "alert already sent for this incident", attrs(a, "alert")...)
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("queue alert for %s: %w", a.Repository, err)
	}
	d.log.InfoContext(ctx, "alert queued", attrs(a, "alert")...)
	return true, nil
}

// attrs are the log attributes of an alert: never its redacted value.
func attrs(a Alert, component string) []any {
	fp := a.Fingerprint
	if len(fp) > 12 {
		fp = fp[:12]
	}
	return []any{logkey.Component, component, logkey.Installation, a.InstallationID, logkey.Repo, a.Repository, logkey.Fingerprint, fp, logkey.RuleID, a.RuleID}
}

// newID returns 16 random bytes in hex.
func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
