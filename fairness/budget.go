package fairness

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/ghapp"
	"github.com/pushguard/pushguard/internal/wait"
)

// Defaults for BudgetOptions.
const (
	// DefaultReserve is the x-ratelimit-remaining below which an
	// installation pauses until its reset: room for the jobs already
	// running to finish (GitHub's smallest budget is 5,000 an hour).
	DefaultReserve = 250
	// DefaultWritesPerMinute keeps under GitHub's secondary limit of 80
	// content-creating requests a minute (and 900 points per endpoint), with
	// room for clocks that differ.
	DefaultWritesPerMinute = 75
)

// BudgetOptions configure a Budget. Zero fields take the defaults.
type BudgetOptions struct {
	// KeyPrefix prefixes every key; use the Scheduler's, which reads the
	// pauses a Budget writes.
	KeyPrefix string
	// Reserve is the remaining primary budget at which to pause.
	Reserve int
	// WritesPerMinute caps content-creating requests per installation.
	WritesPerMinute int
}

// Budget keeps each installation's GitHub budget in Redis, shared by every
// replica. It is safe for concurrent use.
type Budget struct {
	rdb   redis.UniversalClient
	opts  BudgetOptions
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

// NewBudget returns a Budget on rdb.
func NewBudget(rdb redis.UniversalClient, opts BudgetOptions) *Budget {
	if opts.Reserve <= 0 {
		opts.Reserve = DefaultReserve
	}
	if opts.WritesPerMinute <= 0 {
		opts.WritesPerMinute = DefaultWritesPerMinute
	}
	return &Budget{rdb: rdb, opts: opts, now: time.Now, sleep: sleepCtx}
}

// Transport wraps an installation's transport (see
// ghapp.App.WrapInstallation): it spaces that installation's
// content-creating requests and pauses the installation when GitHub's
// answers say its budget is spent or nearly so.
func (b *Budget) Transport(installation int64, base http.RoundTripper) http.RoundTripper {
	return budgetTransport{b: b, k: keysFor(b.opts.KeyPrefix, installation), base: base}
}

// budgetTransport is one installation's Budget transport.
type budgetTransport struct {
	b    *Budget
	k    keys
	base http.RoundTripper
}

func (t budgetTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if createsContent(r.Method) {
		if err := t.b.takeWrite(r.Context(), t.k); err != nil {
			return nil, err
		}
	}
	resp, err := t.base.RoundTrip(r)
	if err == nil {
		// A pause not recorded here is found again by the next answer.
		_ = t.b.observe(r.Context(), t.k, resp)
	}
	return resp, err
}

// createsContent reports whether GitHub counts a request against its
// secondary limit on content creation.
func createsContent(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// takeWrite counts a content-creating request in the current minute,
// waiting for the next minute while this one is full.
func (b *Budget) takeWrite(ctx context.Context, k keys) error {
	for {
		now := b.now()
		minute := now.Truncate(time.Minute)
		key := k.write + strconv.FormatInt(minute.Unix(), 10)
		pipe := b.rdb.TxPipeline()
		n := pipe.Incr(ctx, key)
		pipe.Expire(ctx, key, 2*time.Minute)
		if _, err := pipe.Exec(ctx); err != nil {
			return fmt.Errorf("count a content-creating request: %w", err)
		}
		if n.Val() <= int64(b.opts.WritesPerMinute) {
			return nil
		}
		if err := b.sleep(ctx, minute.Add(time.Minute).Sub(now)); err != nil {
			return fmt.Errorf("wait for GitHub's content-creation budget: %w", err)
		}
	}
}

// observe pauses the installation when resp is a rate-limit refusal, or
// when the primary budget left is below the reserve. An answer with
// budget to spare costs no Redis command.
func (b *Budget) observe(ctx context.Context, k keys, resp *http.Response) error {
	now := b.now()
	until, limited := ghapp.LimitedUntil(resp.StatusCode, resp.Header, now)
	if !limited {
		remaining, err := strconv.Atoi(resp.Header.Get("X-Ratelimit-Remaining"))
		if err != nil || remaining >= b.opts.Reserve {
			return nil
		}
		reset, err := strconv.ParseInt(resp.Header.Get("X-Ratelimit-Reset"), 10, 64)
		if err != nil {
			return nil
		}
		until = time.Unix(reset, 0)
	}
	if !until.After(now) {
		return nil
	}
	return b.pause(ctx, k, until)
}

// pauseScript sets KEYS[1] to ARGV[1] (Unix ms) unless it holds a later
// time, expiring it then.
var pauseScript = redis.NewScript(`
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
local untilMs = tonumber(ARGV[1])
if untilMs > cur then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', math.max(untilMs - tonumber(ARGV[2]), 1))
end
return 0`)

// pause holds the installation's new jobs back until until.
func (b *Budget) pause(ctx context.Context, k keys, until time.Time) error {
	if err := pauseScript.Run(ctx, b.rdb, []string{k.pause}, until.UnixMilli(), b.now().UnixMilli()).Err(); err != nil {
		return fmt.Errorf("pause an installation: %w", err)
	}
	return nil
}

// PausedUntil reports until when an installation's jobs wait (zero when
// they do not).
func (b *Budget) PausedUntil(ctx context.Context, installation int64) (time.Time, error) {
	ms, err := b.rdb.Get(ctx, keysFor(b.opts.KeyPrefix, installation).pause).Int64()
	if errors.Is(err, redis.Nil) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("read installation %d's pause: %w", installation, err)
	}
	return time.UnixMilli(ms), nil
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if !wait.Sleep(ctx, d) {
		return ctx.Err()
	}
	return nil
}
