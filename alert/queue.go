package alert

import (
	"context"

	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/internal/logkey"
)

// ack removes a finished alert from the queue, and its record of which
// receivers had it.
func (d *Dispatcher) ack(ctx context.Context, entry, alertID string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), handBackTimeout)
	defer cancel()
	_, err := d.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.XAck(ctx, d.streamKey(), group, entry)
		p.XDel(ctx, d.streamKey(), entry)
		if alertID != "" {
			p.Del(ctx, d.doneKey(alertID))
		}
		return nil
	})
	if err != nil {
		// The alert stays pending and is taken over after ClaimIdle; its
		// receivers that had it are not sent it again.
		d.log.WarnContext(ctx, "remove delivered alert from queue", logkey.Component, "alert", logkey.JobID, entry, logkey.Error, err)
	}
}

// handBack queues an unfinished alert again, at once, for another process
// or the next start; if Redis fails, the entry is taken over after
// ClaimIdle instead.
func (d *Dispatcher) handBack(ctx context.Context, entry, raw string, a Alert) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), handBackTimeout)
	defer cancel()
	_, err := d.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.XAdd(ctx, &redis.XAddArgs{Stream: d.streamKey(), Values: []string{"alert", raw}})
		p.XAck(ctx, d.streamKey(), group, entry)
		p.XDel(ctx, d.streamKey(), entry)
		return nil
	})
	if err != nil {
		d.log.WarnContext(ctx, "hand unfinished alert back to the queue", append(attrs(a, "alert"), logkey.Error, err)...)
		return
	}
	d.log.InfoContext(ctx, "unfinished alert handed back to the queue", attrs(a, "alert")...)
}

// overClaimed reports whether entry has been read more than MaxClaims
// times: processes keep dying on it.
func (d *Dispatcher) overClaimed(ctx context.Context, entry string) bool {
	p, err := d.rdb.XPendingExt(ctx, &redis.XPendingExtArgs{
		Stream: d.streamKey(), Group: group, Start: entry, End: entry, Count: 1,
	}).Result()
	return err == nil && len(p) == 1 && p[0].RetryCount > int64(d.cfg.MaxClaims)
}

// giveUp reports an alert that was taken over too often as failed at every
// receiver that had not had it.
func (d *Dispatcher) giveUp(ctx context.Context, a Alert) {
	done, _ := d.rdb.HGetAll(ctx, d.doneKey(a.ID)).Result()
	for _, s := range d.cfg.Senders {
		if done[s.Name()] == "" {
			d.log.ErrorContext(ctx, "alert not delivered; gave up after its deliveries kept stopping", append(attrs(a, "alert/"+s.Name()), logkey.Attempt, d.cfg.MaxClaims)...)
			d.report(s.Name(), false, 0)
		}
	}
}
