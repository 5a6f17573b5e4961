package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// A Lease is a lock in Redis that lives only as long as its holder: it
// expires after a short TTL unless the holder's heartbeat renews it, so a
// worker that dies (SIGKILL, a lost node, a Redis restart) frees what it held
// within seconds. Its value is "holder token": the holder is the job's own
// identity (its task ID, the same on every try), the token is new on every
// try. A try that finds a lease left by an earlier try of the same job takes
// it over; renewals and release compare the whole value, so a try never
// extends or deletes a lease that is no longer its own.
type Lease struct {
	s          *Store
	key, value string
	ttl        time.Duration
	// TookOver is true when an earlier try of the same job still held it.
	TookOver bool

	ctx    context.Context // ends when the lease is lost or released
	cancel context.CancelCauseFunc
	stop   chan struct{}
	done   chan struct{}
	once   sync.Once
}

// Errors of leases.
var (
	// ErrLocked: another job holds the lease.
	ErrLocked = errors.New("lease held by another job")
	// ErrLeaseLost: the lease expired or passed to another holder while its
	// job ran; the job must stop writing and be tried again.
	ErrLeaseLost = errors.New("lease lost while the job ran")
)

// acquireScript takes KEYS[1] when it is free or held by ARGV[1] (the
// holder, followed by a space); ARGV[2] is the new value, ARGV[3] the TTL in
// ms. It returns 0 when another holder has it, 1 when taken, 2 when taken
// over. It touches one key, so it runs on a Redis Cluster whatever slots
// the lease's name and its holder hash to (the holder's busy count is reset
// by a separate command: only the holder's own tries write it).
var acquireScript = redis.NewScript(`
local v = redis.call("GET", KEYS[1])
if v and string.sub(v, 1, string.len(ARGV[1])) ~= ARGV[1] then return 0 end
redis.call("SET", KEYS[1], ARGV[2], "PX", ARGV[3])
if v then return 2 end
return 1`)

// renewScript extends KEYS[1] by ARGV[2] ms if it still holds ARGV[1].
var renewScript = redis.NewScript(`if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("PEXPIRE", KEYS[1], ARGV[2]) end return 0`)

// Acquire takes the lease on name for holder, or returns ErrLocked. While
// held, a heartbeat renews it every ttl/3 until release or ctx ends; the
// lease's context (Context) ends with ErrLeaseLost as its cause as soon as a
// renewal finds the lease gone, or cannot reach Redis before the lease would
// expire.
func (s *Store) Acquire(ctx context.Context, name, holder string, ttl time.Duration) (*Lease, error) {
	if holder == "" || strings.Contains(holder, " ") {
		return nil, fmt.Errorf("lease %s: bad holder %q", name, holder)
	}
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, err
	}
	l := &Lease{s: s, key: s.Key("lock", name), value: holder + " " + hex.EncodeToString(b[:]), ttl: ttl,
		stop: make(chan struct{}), done: make(chan struct{})}
	got, err := acquireScript.Run(ctx, s.rdb, []string{l.key}, holder+" ", l.value, ttl.Milliseconds()).Int()
	if err != nil {
		return nil, fmt.Errorf("redis lease %s: %w", name, err)
	}
	if got == 0 {
		return nil, ErrLocked
	}
	if err := s.rdb.Del(ctx, s.busyKey(holder)).Err(); err != nil {
		releaseScript.Run(context.WithoutCancel(ctx), s.rdb, []string{l.key}, l.value)
		return nil, fmt.Errorf("redis lease %s: reset busy count: %w", name, err)
	}
	l.TookOver = got == 2
	l.ctx, l.cancel = context.WithCancelCause(ctx)
	go l.heartbeat(time.Now())
	return l, nil
}

// Context is the context to do the leased work under: it ends when the
// lease is lost (context.Cause is ErrLeaseLost) or released.
func (l *Lease) Context() context.Context { return l.ctx }

// heartbeat renews the lease every ttl/3 until it is released, its context
// ends, or it is lost.
func (l *Lease) heartbeat(renewed time.Time) {
	defer close(l.done)
	tick := time.NewTicker(l.ttl / 3)
	defer tick.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-l.ctx.Done():
			return
		case <-tick.C:
		}
		err := l.renew()
		switch {
		case err == nil:
			renewed = time.Now()
		case errors.Is(err, ErrLeaseLost) || time.Since(renewed) > l.ttl-l.ttl/3:
			// Gone, or Redis has not confirmed it for so long that it may
			// expire before the next try: stop the work now.
			l.cancel(ErrLeaseLost)
			return
		}
	}
}

// renew extends the lease by its TTL if it is still ours.
func (l *Lease) renew() error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(l.ctx), l.ttl/3)
	defer cancel()
	ok, err := renewScript.Run(ctx, l.s.rdb, []string{l.key}, l.value, l.ttl.Milliseconds()).Int()
	if err != nil {
		return fmt.Errorf("redis renew lease %s: %w", l.key, err)
	}
	if ok == 0 {
		return ErrLeaseLost
	}
	return nil
}

// Hold checks, just before a write that must not happen twice, that the
// lease is still ours, and extends it. When it is not, the lease's context
// ends and Hold returns an error wrapping ErrLeaseLost.
func (l *Lease) Hold() error {
	if err := context.Cause(l.ctx); err != nil {
		return fmt.Errorf("lease %s: %w", l.key, err)
	}
	if err := l.renew(); err != nil {
		if errors.Is(err, ErrLeaseLost) {
			l.cancel(ErrLeaseLost)
		}
		return err
	}
	return nil
}

// Lost reports whether the lease was lost while held.
func (l *Lease) Lost() bool { return errors.Is(context.Cause(l.ctx), ErrLeaseLost) }

// Release stops the heartbeat and deletes the lease if it is still ours.
// It is safe to call more than once.
func (l *Lease) Release() {
	l.once.Do(func() {
		close(l.stop)
		<-l.done
		l.cancel(context.Canceled)
		ctx, cancel := context.WithTimeout(context.WithoutCancel(l.ctx), 5*time.Second)
		defer cancel()
		_ = releaseScript.Run(ctx, l.s.rdb, []string{l.key}, l.value).Err()
	})
}

// busyKey counts a holder's reschedules while others held its lease.
func (s *Store) busyKey(holder string) string { return s.Key("lockwait", holder) }

// Busy records one more reschedule of holder because its lease was taken,
// and returns how many in a row there have been. The count resets when the
// holder acquires a lease.
func (s *Store) Busy(ctx context.Context, holder string) (int, error) {
	k := s.busyKey(holder)
	pipe := s.rdb.TxPipeline()
	n := pipe.Incr(ctx, k)
	pipe.Expire(ctx, k, time.Hour)
	if _, err := pipe.Exec(ctx); err != nil {
		return 0, fmt.Errorf("redis busy count: %w", err)
	}
	return int(n.Val()), nil
}
