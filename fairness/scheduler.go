package fairness

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/queue"
)

// Defaults for Options.
const (
	// DefaultPerInstallation is how many jobs of one installation run at
	// once across all replicas: half of one replica's default workers, so
	// that one organisation never takes a whole replica.
	DefaultPerInstallation = 4
	// DefaultLease is how long a running job's slot lasts without renewal;
	// a worker that dies frees its slots after this.
	DefaultLease = time.Minute
	// DefaultBusyDelay is how long a job handed back waits at least.
	DefaultBusyDelay = time.Second
	// MaxBusyDelay bounds the wait of a job handed back (see busyDelay).
	MaxBusyDelay = 30 * time.Second
)

// Sentinel errors, for errors.Is on a handed-back job's error.
var (
	// ErrBusy means the job's installation had all its slots taken.
	ErrBusy = errors.New("installation at its concurrency cap")
	// ErrPaused means the installation is paused for GitHub's rate limit.
	ErrPaused = errors.New("installation paused for GitHub's rate limit")
)

// Options configure a Scheduler. Zero fields take the defaults.
type Options struct {
	// KeyPrefix prefixes every key (the queue's prefix, say).
	KeyPrefix string
	// PerInstallation is each installation's cap of running jobs.
	PerInstallation int
	// Lease is how long a slot lasts unless renewed (every third of it).
	Lease time.Duration
	// BusyDelay is how long a job waits when handed back for the cap, when
	// few of its installation's jobs wait (see busyDelay).
	BusyDelay time.Duration
}

// Scheduler admits jobs per installation. It is safe for concurrent use.
type Scheduler struct {
	rdb  redis.UniversalClient
	opts Options
	now  func() time.Time
}

// NewScheduler returns a Scheduler on rdb.
func NewScheduler(rdb redis.UniversalClient, opts Options) *Scheduler {
	if opts.PerInstallation <= 0 {
		opts.PerInstallation = DefaultPerInstallation
	}
	if opts.Lease <= 0 {
		opts.Lease = DefaultLease
	}
	if opts.BusyDelay <= 0 {
		opts.BusyDelay = DefaultBusyDelay
	}
	return &Scheduler{rdb: rdb, opts: opts, now: time.Now}
}

// acquireScript takes a slot for ARGV[4] unless the installation is paused
// (KEYS[2]) or at its cap (ARGV[3]). It returns {1, 0, 0} when taken,
// {0, until, 0} when paused until that Unix ms, and {0, 0, waiting} when at
// the cap, where waiting counts the installation's jobs handed back within
// the last ARGV[5] ms (KEYS[3], this one included).
var acquireScript = redis.NewScript(`
local now = tonumber(ARGV[1])
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > now then return {0, paused, 0} end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[4]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[4])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  redis.call('ZREM', KEYS[3], ARGV[4])
  return {1, 0, 0}
end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - tonumber(ARGV[5]))
redis.call('ZADD', KEYS[3], now, ARGV[4])
redis.call('PEXPIRE', KEYS[3], ARGV[5])
return {0, 0, redis.call('ZCARD', KEYS[3])}`)

// renewScript extends a slot that is still held.
var renewScript = redis.NewScript(`
if redis.call('ZADD', KEYS[1], 'XX', 'CH', ARGV[1], ARGV[2]) == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
return 0`)

// Handler wraps h: a job runs only while its installation has a free slot
// and is not paused, and is otherwise handed back with queue.RetryAt (which
// uses none of its retries). Jobs without an installation run at once.
func (s *Scheduler) Handler(h queue.Handler) queue.Handler {
	return func(ctx context.Context, job queue.Job) error {
		if job.InstallationID == 0 {
			return h(ctx, job)
		}
		k := keysFor(s.opts.KeyPrefix, job.InstallationID)
		member := queue.TaskID(ctx) + ":" + job.DeliveryID
		if err := s.acquire(ctx, k, member); err != nil {
			return err
		}
		stop := s.hold(ctx, k, member)
		defer stop()
		return h(ctx, job)
	}
}

// acquire takes a slot, or returns the error that hands the job back.
func (s *Scheduler) acquire(ctx context.Context, k keys, member string) error {
	now := s.now()
	res, err := acquireScript.Run(ctx, s.rdb, []string{k.slots, k.pause, k.waiting},
		now.UnixMilli(), s.opts.Lease.Milliseconds(), s.opts.PerInstallation, member,
		(2 * MaxBusyDelay).Milliseconds()).Int64Slice()
	if err != nil {
		return fmt.Errorf("take an installation slot: %w", err)
	}
	switch {
	case res[0] == 1:
		return nil
	case res[1] > 0:
		return queue.RetryAt(ErrPaused, time.UnixMilli(res[1]))
	}
	return queue.RetryAt(ErrBusy, now.Add(s.busyDelay(res[2])))
}

// busyDelay is how long a job handed back for the cap waits: BusyDelay for
// each round of the cap its installation's waiting jobs fill (they will
// not all run sooner), up to MaxBusyDelay, plus up to a half at random so
// that jobs handed back together come back apart. A burst of 500 thus
// costs a requeue every 30 s or so per job, not every second.
func (s *Scheduler) busyDelay(waiting int64) time.Duration {
	rounds := max(waiting/int64(s.opts.PerInstallation), 1)
	d := min(time.Duration(rounds)*s.opts.BusyDelay, max(MaxBusyDelay, s.opts.BusyDelay))
	return d + rand.N(d/2+1)
}

// hold renews the slot every third of the lease until the returned stop is
// called, which frees it.
func (s *Scheduler) hold(ctx context.Context, k keys, member string) (stop func()) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(s.opts.Lease / 3)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				expiry := strconv.FormatInt(s.now().Add(s.opts.Lease).UnixMilli(), 10)
				_ = renewScript.Run(ctx, s.rdb, []string{k.slots}, expiry, member, s.opts.Lease.Milliseconds()).Err()
			}
		}
	}()
	return func() {
		cancel()
		<-done
		rctx, rcancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer rcancel()
		// A slot not freed here expires with its lease.
		_ = s.rdb.ZRem(rctx, k.slots, member).Err()
	}
}

// Running reports how many jobs of an installation hold a slot now.
func (s *Scheduler) Running(ctx context.Context, installation int64) (int64, error) {
	k := keysFor(s.opts.KeyPrefix, installation)
	n, err := s.rdb.ZCount(ctx, k.slots, strconv.FormatInt(s.now().UnixMilli(), 10), "+inf").Result()
	if err != nil {
		return 0, fmt.Errorf("count installation %d's slots: %w", installation, err)
	}
	return n, nil
}
