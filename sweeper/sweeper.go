package sweeper

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/pushguard/pushguard/ghapp"
	"github.com/pushguard/pushguard/internal/logkey"
	"github.com/pushguard/pushguard/internal/wait"
	"github.com/pushguard/pushguard/store"
)

// GitHub does not retry a webhook delivery that
// failed (our 503 while Redis is down, a timeout, a proxy's 502), so the
// sweeper reads the App's delivery log and asks GitHub to redeliver every
// delivery none of whose attempts succeeded. A redelivery keeps its GUID
// (X-GitHub-Delivery), so the queue's delivery dedupe makes it idempotent.
//
// State in Redis, under the store's prefix:
//   - lock:sweeper            one sweep per interval across all replicas
//   - sweeper:mark            newest delivered_at seen: where the next sweep stops reading
//   - sweeper:pending         GUID -> failed delivery not yet known delivered, so that
//     one that falls behind the mark is still retried
//   - sweeper:paused          set while GitHub rate-limits us
//   - redelivered:GUID        at most one redelivery per GUID per hour

// Defaults and limits of the redelivery sweeper.
const (
	// DefaultSweepInterval is how often failed webhook deliveries are
	// looked for (PUSHGUARD_SWEEP_INTERVAL; 0 turns the sweeper off).
	DefaultSweepInterval = 2 * time.Minute
	// MinSweepInterval is the shortest interval allowed.
	MinSweepInterval = 10 * time.Second
	// defaultSweepLookback is how far back a delivery is worth redelivering:
	// GitHub redelivers deliveries of the last 3 days only.
	defaultSweepLookback = 72 * time.Hour
	// sweepStartDelay is the wait before the first sweep, once the server
	// is up.
	sweepStartDelay = 5 * time.Second
	// sweepOverlap re-reads the log a little before the mark: GitHub logs a
	// slow attempt (a 10 s timeout) after faster, later ones.
	sweepOverlap = 5 * time.Minute
	// redeliverEvery spaces the redeliveries of one GUID.
	redeliverEvery = time.Hour
	// maxRedeliveriesPerSweep bounds one sweep's POSTs; the rest wait for
	// the next sweep.
	maxRedeliveriesPerSweep = 100
	// redeliveryGap is the wait between two redeliveries: GitHub asks for a
	// second between mutating requests.
	redeliveryGap = time.Second
	// maxSweepFailures ends a sweep whose redeliveries keep failing.
	maxSweepFailures = 3
	// deliveriesPerPage is the delivery log's largest page.
	deliveriesPerPage = 100
)

// Sweeper asks GitHub to redeliver failed webhook deliveries.
type Sweeper struct {
	app      *github.Client // authenticated as the App
	store    *store.Store
	log      *slog.Logger
	interval time.Duration // between sweeps; also the sweep lock's lifetime
	lookback time.Duration // how old a delivery may be and still be redelivered
	now      func() time.Time
	start    time.Duration // wait before the first sweep
	gap      time.Duration // wait between two redeliveries
	max      int           // redeliveries per sweep
	// redelivered, when set, counts each redelivery (a metric).
	redelivered func()
}

// New builds a sweeper that reads the delivery log with app (a client
// authenticated as the App) every interval, keeping its state in st.
// redelivered, when not nil, is called for each redelivery (a metric).
func New(app *github.Client, st *store.Store, log *slog.Logger, interval time.Duration, redelivered func()) *Sweeper {
	return &Sweeper{
		app: app, store: st, log: log,
		interval: interval, lookback: defaultSweepLookback, now: time.Now,
		start: sweepStartDelay, gap: redeliveryGap, max: maxRedeliveriesPerSweep,
		redelivered: redelivered,
	}
}

// Run sweeps shortly after it starts, then every interval, until ctx ends.
func (s *Sweeper) Run(ctx context.Context) {
	if s.interval <= 0 {
		return
	}
	t := time.NewTimer(s.start)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := s.sweep(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("redelivery sweep failed", logkey.Error, err.Error())
		}
		// Counted from the end of a sweep, so the next one always finds the
		// previous sweep's lock expired.
		t.Reset(s.interval)
	}
}

// sweepStats are one sweep's counts, logged in its summary line.
type sweepStats struct {
	listed, failed, redelivered, throttled, gaveUp, errors int
	rateLimited                                            bool
}

// sweep reads the delivery log back to the previous sweep's mark and
// redelivers the failed deliveries. It does nothing when another replica
// swept within the interval or while GitHub rate-limits the App.
func (s *Sweeper) sweep(ctx context.Context) (redelivered int, err error) {
	if paused, err := s.paused(ctx); err != nil || paused {
		return 0, err
	}
	// The lock is left to expire: it also spaces sweeps across replicas.
	if _, ok, err := s.store.Lock(ctx, "sweeper", s.interval); err != nil || !ok {
		if err == nil {
			s.log.Debug("redelivery sweep skipped: another replica swept recently")
		}
		return 0, err
	}
	ctx, cancel := context.WithTimeout(ctx, s.interval)
	defer cancel()
	var st sweepStats
	defer func() { s.logSummary(st, err) }()
	pending, err := s.refresh(ctx, &st)
	if err != nil || st.rateLimited {
		return 0, err
	}
	err = s.redeliverAll(ctx, pending, &st)
	return st.redelivered, err
}

// refresh reads the new part of the delivery log, records what it says in
// the pending set and moves the mark. It returns the pending deliveries.
func (s *Sweeper) refresh(ctx context.Context, st *sweepStats) (map[string]pendingDelivery, error) {
	now := s.now()
	mark, err := s.store.SweepMark(ctx)
	if err != nil {
		return nil, err
	}
	oldest := now.Add(-s.lookback)
	list, err := s.list(ctx, ghapp.Latest(mark.Add(-sweepOverlap), oldest))
	if err != nil {
		return nil, s.rateLimited(ctx, err, st)
	}
	st.listed = len(list)
	delivered, failed, newest := groupDeliveries(list, oldest)
	pending, err := s.updatePending(ctx, delivered, failed)
	if err != nil {
		return nil, err
	}
	st.failed = len(pending)
	if newest.After(mark) {
		if err := s.store.SetSweepMark(ctx, newest, s.lookback); err != nil {
			return nil, err
		}
	}
	return pending, nil
}

// list reads the delivery log, newest first, down to the first page that
// reaches since.
func (s *Sweeper) list(ctx context.Context, since time.Time) ([]*github.HookDelivery, error) {
	var out []*github.HookDelivery
	opts := &github.ListCursorOptions{PerPage: deliveriesPerPage}
	for {
		page, resp, err := s.app.Apps.ListHookDeliveries(ctx, opts)
		if err != nil {
			return nil, fmt.Errorf("list hook deliveries: %w", err)
		}
		out = append(out, page...)
		if len(page) == 0 || resp.Cursor == "" || page[len(page)-1].GetDeliveredAt().Before(since) {
			return out, nil
		}
		opts.Cursor = resp.Cursor
	}
}

// pendingDelivery is a delivery none of whose attempts seen so far
// succeeded.
type pendingDelivery struct {
	ID    int64     `json:"id"` // the newest failed attempt: the one to redeliver
	Event string    `json:"event"`
	First time.Time `json:"first"` // the oldest failed attempt seen
	Last  time.Time `json:"last"`  // the newest failed attempt seen
}

// merge combines what two views of the log say about one GUID.
func (p pendingDelivery) merge(q pendingDelivery) pendingDelivery {
	if p.ID == 0 {
		return q
	}
	if q.Last.After(p.Last) || q.Last.Equal(p.Last) && q.ID > p.ID {
		p.ID, p.Event, p.Last = q.ID, q.Event, q.Last
	}
	if q.First.Before(p.First) {
		p.First = q.First
	}
	return p
}

// succeeded reports whether GitHub's attempt reached us and we took it: a
// 2xx answer. 0 is a timeout or a connection failure.
func succeeded(statusCode int) bool { return statusCode >= 200 && statusCode < 300 }

// groupDeliveries groups attempts by GUID, ignoring those before oldest: the
// GUIDs with a successful attempt, those whose every attempt failed, and the
// newest delivered_at in the list.
func groupDeliveries(list []*github.HookDelivery, oldest time.Time) (delivered map[string]bool, failed map[string]pendingDelivery, newest time.Time) {
	delivered, failed = map[string]bool{}, map[string]pendingDelivery{}
	for _, d := range list {
		at := d.GetDeliveredAt().Time
		newest = ghapp.Latest(newest, at)
		guid := d.GetGUID()
		if guid == "" || at.Before(oldest) {
			continue
		}
		if succeeded(d.GetStatusCode()) {
			delivered[guid] = true
			continue
		}
		failed[guid] = failed[guid].merge(pendingDelivery{ID: d.GetID(), Event: d.GetEvent(), First: at, Last: at})
	}
	for guid := range delivered {
		delete(failed, guid)
	}
	return delivered, failed, newest
}

// updatePending records the log's news in the pending set and returns it.
func (s *Sweeper) updatePending(ctx context.Context, delivered map[string]bool, failed map[string]pendingDelivery) (map[string]pendingDelivery, error) {
	raw, err := s.store.PendingDeliveries(ctx)
	if err != nil {
		return nil, err
	}
	pending := make(map[string]pendingDelivery, len(raw))
	var drop []string
	put := map[string][]byte{}
	for guid, v := range raw {
		var p pendingDelivery
		if json.Unmarshal([]byte(v), &p) != nil || delivered[guid] {
			drop = append(drop, guid)
			continue
		}
		pending[guid] = p
	}
	for guid, f := range failed {
		p := pending[guid].merge(f)
		if p != pending[guid] {
			put[guid], _ = json.Marshal(p)
			pending[guid] = p
		}
	}
	if err := s.store.UpdatePendingDeliveries(ctx, drop, put, s.lookback); err != nil {
		return nil, err
	}
	return pending, nil
}

// redeliverAll asks GitHub to redeliver the pending deliveries, oldest
// first, each at most once an hour and at most s.max of them.
func (s *Sweeper) redeliverAll(ctx context.Context, pending map[string]pendingDelivery, st *sweepStats) error {
	guids := make([]string, 0, len(pending))
	for guid := range pending {
		guids = append(guids, guid)
	}
	slices.SortFunc(guids, func(a, b string) int {
		return cmp.Or(pending[a].First.Compare(pending[b].First), cmp.Compare(a, b))
	})
	oldest := s.now().Add(-s.lookback)
	for _, guid := range guids {
		p := pending[guid]
		if p.First.Before(oldest) {
			s.giveUp(ctx, guid, p, st)
			continue
		}
		if st.redelivered >= s.max || st.errors >= maxSweepFailures {
			return nil
		}
		err := s.redeliver(ctx, guid, p, st)
		if err != nil || st.rateLimited {
			return err
		}
	}
	return nil
}

// redeliver redelivers one GUID's newest attempt unless it was redelivered
// within the hour.
func (s *Sweeper) redeliver(ctx context.Context, guid string, p pendingDelivery, st *sweepStats) error {
	ok, err := s.store.MarkRedelivered(ctx, guid, p.ID, redeliverEvery)
	if err != nil {
		return err
	}
	if !ok {
		st.throttled++
		return nil
	}
	if st.redelivered+st.errors > 0 && !wait.Sleep(ctx, s.gap) {
		s.store.UnmarkRedelivered(context.WithoutCancel(ctx), guid)
		return nil
	}
	if err = s.post(ctx, p.ID); err != nil {
		if _, limited := ghapp.RateLimitUntil(err, s.now()); limited || ctx.Err() != nil {
			// Not this delivery's fault: let the next sweep try it.
			s.store.UnmarkRedelivered(context.WithoutCancel(ctx), guid)
			return s.rateLimited(ctx, err, st)
		}
		st.errors++
		s.log.Warn("redelivery failed; retried in an hour", logkey.Delivery, guid, logkey.Event, p.Event, logkey.Error, err.Error())
		return nil
	}
	st.redelivered++
	if s.redelivered != nil {
		s.redelivered()
	}
	s.log.Info("webhook delivery redelivered", logkey.Delivery, guid, logkey.Event, p.Event)
	return nil
}

// post asks GitHub to redeliver one attempt. GitHub answers 202, which
// go-github reports as an *AcceptedError.
func (s *Sweeper) post(ctx context.Context, id int64) error {
	_, _, err := s.app.Apps.RedeliverHookDelivery(ctx, id)
	if _, accepted := errors.AsType[*github.AcceptedError](err); accepted {
		return nil
	}
	if err != nil {
		return fmt.Errorf("redeliver hook delivery %d: %w", id, err)
	}
	return nil
}

// giveUp forgets a delivery older than GitHub redelivers.
func (s *Sweeper) giveUp(ctx context.Context, guid string, p pendingDelivery, st *sweepStats) {
	st.gaveUp++
	s.store.DropPendingDelivery(ctx, guid)
	s.log.Warn("webhook delivery never succeeded and is now too old to redeliver", logkey.Delivery, guid, logkey.Event, p.Event)
}

// rateLimited pauses sweeping until GitHub accepts requests again when err
// is a rate limit (and then reports no error), and ends the sweep quietly
// when its context ended. Other errors are returned as they are.
func (s *Sweeper) rateLimited(ctx context.Context, err error, st *sweepStats) error {
	until, ok := ghapp.RateLimitUntil(err, s.now())
	if !ok {
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			return nil
		}
		return err
	}
	st.rateLimited = true
	ttl := max(until.Sub(s.now()), time.Second)
	if err := s.store.PauseSweeps(ctx, until, ttl); err != nil {
		return err
	}
	s.log.Warn("rate limited by GitHub; redelivery sweeps paused", logkey.RetryAt, until)
	return nil
}

// paused reports whether a rate limit pauses sweeping.
func (s *Sweeper) paused(ctx context.Context) (bool, error) { return s.store.SweepsPaused(ctx) }

// logSummary logs one line per sweep, counts only.
func (s *Sweeper) logSummary(st sweepStats, err error) {
	s.log.Info("redelivery sweep", "listed", st.listed, "failed", st.failed, "redelivered", st.redelivered,
		"throttled", st.throttled, "gave_up", st.gaveUp, "errors", st.errors, "rate_limited", st.rateLimited, "ok", err == nil)
}
