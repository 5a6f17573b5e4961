package revoke

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// GitHub's limits on the revocation API.
const (
	// HourlyLimit is how many requests GitHub takes from one caller an hour.
	HourlyLimit = 60
	// MaxBatch is how many credentials one request may carry.
	MaxBatch = 1000
	// budgetWindow is the length of GitHub's rate-limit window.
	budgetWindow = time.Hour
)

// takeScript reserves one request of a host's hourly budget. The window
// starts with its first request, as GitHub's does. It returns {1, ttl ms}
// when a request was reserved, {0, ttl ms} when the budget is spent.
var takeScript = redis.NewScript(`
local n = redis.call("INCR", KEYS[1])
local ttl = redis.call("PTTL", KEYS[1])
if ttl < 0 then
  redis.call("PEXPIRE", KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
if n > tonumber(ARGV[1]) then
  redis.call("DECR", KEYS[1])
  return {0, ttl}
end
return {1, ttl}`)

// budget is the hourly request budget of each GitHub host, shared by every
// replica through Redis.
type budget struct {
	rdb    redis.UniversalClient
	prefix string
	limit  int
	now    func() time.Time
}

func (b *budget) key(host string) string {
	return b.prefix + "revoke:budget:" + strings.ToLower(host)
}

// take reserves one request to host. When the budget is spent it returns
// false and the time it is renewed.
func (b *budget) take(ctx context.Context, host string) (bool, time.Time, error) {
	res, err := takeScript.Run(ctx, b.rdb, []string{b.key(host)}, b.limit, budgetWindow.Milliseconds()).Int64Slice()
	if err != nil {
		return false, time.Time{}, fmt.Errorf("reserve revocation budget for %s: %w", host, err)
	}
	if len(res) != 2 {
		return false, time.Time{}, fmt.Errorf("reserve revocation budget for %s: unexpected answer %v", host, res)
	}
	return res[0] == 1, b.now().Add(time.Duration(res[1]) * time.Millisecond), nil
}

// spend marks host's budget spent until reset, as GitHub said it is.
func (b *budget) spend(ctx context.Context, host string, reset time.Time) error {
	ttl := reset.Sub(b.now())
	if ttl <= 0 {
		return nil
	}
	if err := b.rdb.Set(ctx, b.key(host), b.limit, ttl).Err(); err != nil {
		return fmt.Errorf("record spent revocation budget for %s: %w", host, err)
	}
	return nil
}
