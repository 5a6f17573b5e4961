package alert

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/internal/logkey"
	"github.com/pushguard/pushguard/internal/wait"
)

// handBackTimeout bounds the Redis calls that hand an unfinished alert back
// to the queue when Run stops.
const handBackTimeout = 5 * time.Second

// Run delivers queued alerts until ctx ends, with Config.Workers alerts at
// once, and returns then (within Config.Block). An alert still being
// delivered when ctx ends is handed back to the queue, so another process
// or the next start sends it; receivers that already had it are not sent it
// again. Run errs only when it cannot start (Redis unreachable).
func (d *Dispatcher) Run(ctx context.Context) error {
	err := d.rdb.XGroupCreateMkStream(ctx, d.streamKey(), group, "0").Err()
	if err != nil && !strings.HasPrefix(err.Error(), "BUSYGROUP") {
		return fmt.Errorf("create alert consumer group: %w", err)
	}
	var wg sync.WaitGroup
	for range d.cfg.Workers {
		wg.Go(func() { d.loop(ctx) })
	}
	wg.Wait()
	return nil
}

// loop takes alerts one at a time and delivers each.
func (d *Dispatcher) loop(ctx context.Context) {
	for ctx.Err() == nil {
		msg, ok, err := d.next(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			d.log.WarnContext(ctx, "read queued alerts", logkey.Component, "alert", logkey.Error, err)
			wait.Sleep(ctx, d.cfg.Block)
			continue
		}
		if ok {
			d.handle(ctx, msg)
		}
	}
}

// next returns an alert to deliver: first one that a dead process left
// unfinished for ClaimIdle, else a new one (waiting up to Block).
func (d *Dispatcher) next(ctx context.Context) (redis.XMessage, bool, error) {
	claimed, _, err := d.rdb.XAutoClaim(ctx, &redis.XAutoClaimArgs{
		Stream: d.streamKey(), Group: group, Consumer: d.cfg.Consumer,
		MinIdle: d.cfg.ClaimIdle, Start: "0-0", Count: 1,
	}).Result()
	if err != nil {
		return redis.XMessage{}, false, fmt.Errorf("claim alerts: %w", err)
	}
	if len(claimed) > 0 {
		return claimed[0], true, nil
	}
	streams, err := d.rdb.XReadGroup(ctx, &redis.XReadGroupArgs{
		Group: group, Consumer: d.cfg.Consumer, Streams: []string{d.streamKey(), ">"},
		Count: 1, Block: d.cfg.Block,
	}).Result()
	if errors.Is(err, redis.Nil) {
		return redis.XMessage{}, false, nil
	}
	if err != nil {
		return redis.XMessage{}, false, fmt.Errorf("read alerts: %w", err)
	}
	for _, s := range streams {
		if len(s.Messages) > 0 {
			return s.Messages[0], true, nil
		}
	}
	return redis.XMessage{}, false, nil
}

// handle delivers one queued alert to every receiver that has not had it,
// then removes it from the queue, or hands it back if ctx ended first.
func (d *Dispatcher) handle(ctx context.Context, msg redis.XMessage) {
	raw, _ := msg.Values["alert"].(string)
	var a Alert
	if err := json.Unmarshal([]byte(raw), &a); err != nil || a.ID == "" {
		d.log.ErrorContext(ctx, "queued alert unreadable; dropped", logkey.Component, "alert", logkey.JobID, msg.ID, logkey.Error, fmt.Sprint(err))
		d.ack(ctx, msg.ID, "")
		return
	}
	if d.overClaimed(ctx, msg.ID) {
		d.giveUp(ctx, a)
		d.ack(ctx, msg.ID, a.ID)
		return
	}
	done, _ := d.rdb.HGetAll(ctx, d.doneKey(a.ID)).Result()
	var wg sync.WaitGroup
	for _, s := range d.cfg.Senders {
		if done[s.Name()] != "" {
			continue
		}
		wg.Go(func() { d.deliverOne(ctx, s, a) })
	}
	wg.Wait()
	if ctx.Err() != nil {
		d.handBack(ctx, msg.ID, raw, a)
		return
	}
	d.ack(ctx, msg.ID, a.ID)
}

// deliverOne sends a to s with retries and reports the outcome, unless ctx
// ended before s had it (the alert is then handed back and reported later).
func (d *Dispatcher) deliverOne(ctx context.Context, s Sender, a Alert) {
	attempts, err := d.deliver(ctx, s, a)
	log := append(attrs(a, "alert/"+s.Name()), logkey.Attempt, attempts)
	if err != nil {
		if ctx.Err() != nil {
			return
		}
		d.log.ErrorContext(ctx, "alert not delivered; gave up", append(log, logkey.Error, err.Error())...)
		d.report(s.Name(), false, attempts)
		return
	}
	// Remember the receiver had it, so a hand-back does not send it twice,
	// even when Run is stopping.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), handBackTimeout)
	defer cancel()
	if err := d.rdb.HSet(rctx, d.doneKey(a.ID), s.Name(), "1").Err(); err == nil {
		d.rdb.Expire(rctx, d.doneKey(a.ID), 2*d.cfg.ClaimIdle*time.Duration(d.cfg.MaxClaims))
	}
	d.log.InfoContext(ctx, "alert delivered", log...)
	d.report(s.Name(), true, attempts)
}

// deliver tries s until it accepts a, the error is not retryable, or the
// attempts or the time are used up; it returns the number of tries.
func (d *Dispatcher) deliver(ctx context.Context, s Sender, a Alert) (int, error) {
	start := time.Now()
	for attempt := 1; ; attempt++ {
		err := s.Send(ctx, a)
		if err == nil || ctx.Err() != nil {
			return attempt, err
		}
		if !Retryable(err) {
			return attempt, fmt.Errorf("not retryable: %w", err)
		}
		if attempt >= d.cfg.MaxAttempts {
			return attempt, fmt.Errorf("%d attempts: %w", attempt, err)
		}
		pause := d.backoff(attempt, err)
		if time.Since(start)+pause > d.cfg.MaxElapsed {
			return attempt, fmt.Errorf("retries would pass %s: %w", d.cfg.MaxElapsed, err)
		}
		d.log.WarnContext(ctx, "alert delivery failed; will retry", append(attrs(a, "alert/"+s.Name()), logkey.Attempt, attempt, logkey.RetryAt, time.Now().Add(pause), logkey.Error, err.Error())...)
		if !wait.Sleep(ctx, pause) {
			return attempt, ctx.Err()
		}
	}
}

// backoff is the wait after failed try n: BackoffBase·2^(n-1) capped at
// BackoffMax, less a random part of up to a half; at least the receiver's
// Retry-After (capped too).
func (d *Dispatcher) backoff(n int, err error) time.Duration {
	w := d.cfg.BackoffMax
	if n <= 30 && d.cfg.BackoffBase<<(n-1) < w {
		w = d.cfg.BackoffBase << (n - 1)
	}
	w -= rand.N(w/2 + 1)
	var se *StatusError
	if errors.As(err, &se) && se.RetryAfter > w {
		w = min(se.RetryAfter, d.cfg.BackoffMax)
	}
	return w
}

func (d *Dispatcher) report(sender string, ok bool, attempts int) {
	if d.cfg.Observer != nil {
		d.cfg.Observer.OnResult(sender, ok, attempts)
	}
}
