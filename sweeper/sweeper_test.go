package sweeper

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/ghapp"
	"github.com/pushguard/pushguard/internal/fakegithub"
	"github.com/pushguard/pushguard/internal/logkey"
	"github.com/pushguard/pushguard/queue/queuetest"
	"github.com/pushguard/pushguard/store"
)

// sweepEnv is a fake GitHub and a Redis for sweepers to share.
type sweepEnv struct {
	t     *testing.T
	gh    *fakegithub.Server
	rdb   redis.UniversalClient
	store *store.Store
	logs  *sweepLog
}

func newSweepEnv(t *testing.T) *sweepEnv {
	t.Helper()
	gh := fakegithub.New(t, fakegithub.Options{})
	rdb := queuetest.Redis(t)
	prefix := queuetest.Name(t, rdb) + ":"
	return &sweepEnv{t: t, gh: gh, rdb: rdb, store: store.New(rdb, prefix), logs: &sweepLog{}}
}

// sweeper is a sweeper as the service builds it, without its waits.
func (e *sweepEnv) sweeper() *Sweeper {
	e.t.Helper()
	g, err := ghapp.New(e.gh.AppID(), e.gh.PrivateKeyPEM(), e.gh.URL(), nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return &Sweeper{app: g.App(), store: e.store, log: slog.New(e.logs), interval: time.Minute,
		lookback: defaultSweepLookback, now: time.Now, max: maxRedeliveriesPerSweep}
}

// sweep runs one sweep as if the previous one's interval had passed.
func (e *sweepEnv) sweep(s *Sweeper) int {
	e.t.Helper()
	e.del(e.store.Key("lock", "sweeper"))
	n, err := s.sweep(context.Background())
	if err != nil {
		e.t.Fatalf("sweep: %v", err)
	}
	return n
}

func (e *sweepEnv) del(key string) {
	e.t.Helper()
	if err := e.rdb.Del(context.Background(), key).Err(); err != nil {
		e.t.Fatal(err)
	}
}

// listRequests counts the requests for the delivery log.
func (e *sweepEnv) listRequests() int {
	n := 0
	for _, r := range e.gh.Requests() {
		if r.OperationID == "apps/list-webhook-deliveries" {
			n++
		}
	}
	return n
}

func (e *sweepEnv) wantRedeliveries(want ...int64) {
	e.t.Helper()
	if got := e.gh.Redeliveries(); !slices.Equal(got, want) {
		e.t.Errorf("redelivered %v, want %v", got, want)
	}
}

func failed(guid string, at time.Time) fakegithub.Delivery {
	return fakegithub.Delivery{GUID: guid, Event: "push", StatusCode: http.StatusServiceUnavailable, DeliveredAt: at}
}

func TestSweepRedeliversOnlyFailedDeliveries(t *testing.T) {
	t.Parallel()
	now := time.Now()
	redelivery := func(d fakegithub.Delivery, code int, at time.Time) fakegithub.Delivery {
		d.Redelivery, d.StatusCode, d.DeliveredAt = true, code, at
		return d
	}
	a := failed("guid-a", now.Add(-30*time.Minute))
	tests := []struct {
		name       string
		deliveries []fakegithub.Delivery
		want       []int // indexes in deliveries of the attempts redelivered
	}{
		{"a 503 is redelivered", []fakegithub.Delivery{a}, []int{0}},
		{"a 504 is redelivered", []fakegithub.Delivery{redelivery(a, http.StatusGatewayTimeout, a.DeliveredAt)}, []int{0}},
		{"failed then delivered is not", []fakegithub.Delivery{a, redelivery(a, http.StatusAccepted, now.Add(-20*time.Minute))}, nil},
		{"delivered then failed is not", []fakegithub.Delivery{redelivery(a, http.StatusAccepted, a.DeliveredAt), redelivery(a, 503, now)}, nil},
		{"the newest failed attempt is redelivered", []fakegithub.Delivery{a, redelivery(a, http.StatusBadGateway, now.Add(-20*time.Minute))}, []int{1}},
		{"delivered is not", []fakegithub.Delivery{redelivery(a, http.StatusOK, a.DeliveredAt)}, nil},
		{"older than the lookback is not", []fakegithub.Delivery{failed("old", now.Add(-defaultSweepLookback-time.Hour))}, nil},
		{"every failed GUID, oldest first", []fakegithub.Delivery{
			failed("b", now.Add(-time.Minute)), redelivery(failed("ok", now), http.StatusAccepted, now), a,
		}, []int{2, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newSweepEnv(t)
			var ids []int64
			for _, d := range tt.deliveries {
				ids = append(ids, e.gh.AddDelivery(d).ID)
			}
			var want []int64
			for _, i := range tt.want {
				want = append(want, ids[i])
			}
			if got := e.sweep(e.sweeper()); got != len(want) {
				t.Errorf("sweep redelivered %d, want %d", got, len(want))
			}
			e.wantRedeliveries(want...)
			if n := e.logs.count(slog.LevelWarn); n > 0 {
				t.Errorf("%d warnings logged, want none", n)
			}
		})
	}
}

func TestSweepCountsOnly2xxAsDelivered(t *testing.T) {
	t.Parallel()
	for code, want := range map[int]bool{0: false, 200: true, 202: true, 299: true, 302: false, 400: false, 503: false} {
		if got := succeeded(code); got != want {
			t.Errorf("succeeded(%d) = %v, want %v", code, got, want)
		}
	}
}

func TestSweepLogsTheGUIDOfEachRedelivery(t *testing.T) {
	t.Parallel()
	e := newSweepEnv(t)
	e.gh.AddDelivery(failed("guid-logged", time.Now()))
	e.sweep(e.sweeper())
	if got := e.logs.values("webhook delivery redelivered", logkey.Delivery); !slices.Equal(got, []string{"guid-logged"}) {
		t.Errorf("redeliveries logged with delivery_id %q, want [guid-logged]", got)
	}
	if got := e.logs.values("redelivery sweep", "redelivered"); !slices.Equal(got, []string{"1"}) {
		t.Errorf("summary lines say redelivered %q, want [1]", got)
	}
}

func TestSweepRedeliversAGUIDOnceAnHour(t *testing.T) {
	t.Parallel()
	e := newSweepEnv(t)
	d := e.gh.AddDelivery(failed("guid-a", time.Now()))
	s := e.sweeper()
	if got := e.sweep(s); got != 1 {
		t.Fatalf("first sweep redelivered %d, want 1", got)
	}
	if got := e.sweep(s); got != 0 {
		t.Errorf("second sweep within the hour redelivered %d, want 0", got)
	}
	e.wantRedeliveries(d.ID)
}

// A redelivery that fails again is retried an hour later, even when the
// delivery log has moved on past the sweeper's mark.
func TestSweepRetriesAFailedRedeliveryAfterTheMarkMoved(t *testing.T) {
	t.Parallel()
	e := newSweepEnv(t)
	now := time.Now()
	first := e.gh.AddDelivery(failed("lost", now.Add(-time.Hour)))
	s := e.sweeper()
	e.sweep(s)
	again := failed("lost", now.Add(-50*time.Minute))
	again.Redelivery = true
	again = e.gh.AddDelivery(again)
	for range deliveriesPerPage { // a page of later deliveries, well past the mark
		e.gh.AddDelivery(fakegithub.Delivery{Event: "push", DeliveredAt: now.Add(-10 * time.Minute)})
	}
	e.gh.AddDelivery(fakegithub.Delivery{Event: "push", DeliveredAt: now})
	if got := e.sweep(s); got != 0 {
		t.Fatalf("sweep within the hour redelivered %d, want 0", got)
	}

	e.del(e.store.Key("redelivered", "lost")) // an hour later
	lists := e.listRequests()
	if got := e.sweep(s); got != 1 {
		t.Errorf("sweep an hour later redelivered %d, want 1", got)
	}
	e.wantRedeliveries(first.ID, again.ID)
	if got := e.listRequests() - lists; got != 1 {
		t.Errorf("sweep read %d pages of the log, want 1 (down to its mark)", got)
	}
}

func TestSweepCapsRedeliveriesPerSweep(t *testing.T) {
	t.Parallel()
	e := newSweepEnv(t)
	now := time.Now()
	for i := range maxRedeliveriesPerSweep + 1 {
		e.gh.AddDelivery(failed(fmt.Sprintf("guid-%03d", i), now.Add(time.Duration(i-200)*time.Second)))
	}
	s := e.sweeper()
	if got := e.sweep(s); got != maxRedeliveriesPerSweep {
		t.Errorf("first sweep redelivered %d, want %d", got, maxRedeliveriesPerSweep)
	}
	if got := e.sweep(s); got != 1 {
		t.Errorf("second sweep redelivered %d, want the 1 left", got)
	}
	if got := len(e.gh.Redeliveries()); got != maxRedeliveriesPerSweep+1 {
		t.Errorf("%d redeliveries in all, want %d", got, maxRedeliveriesPerSweep+1)
	}
}

func TestSweepLockLetsOneReplicaSweep(t *testing.T) {
	t.Parallel()
	e := newSweepEnv(t)
	d := e.gh.AddDelivery(failed("guid-a", time.Now()))
	replicas := []*Sweeper{e.sweeper(), e.sweeper()}
	counts := make([]int, len(replicas))
	var wg sync.WaitGroup
	for i, s := range replicas {
		wg.Go(func() {
			n, err := s.sweep(context.Background())
			if err != nil {
				t.Errorf("sweep: %v", err)
			}
			counts[i] = n
		})
	}
	wg.Wait()
	if counts[0]+counts[1] != 1 {
		t.Errorf("replicas redelivered %v, want 1 in all", counts)
	}
	e.wantRedeliveries(d.ID)
	if got := e.listRequests(); got != 1 {
		t.Errorf("the delivery log was read %d times, want once", got)
	}
}

func TestSweepStopsOnRateLimit(t *testing.T) {
	t.Parallel()
	t.Run("listing", func(t *testing.T) {
		e := newSweepEnv(t)
		e.gh.AddDelivery(failed("guid-a", time.Now()))
		e.gh.Inject(fakegithub.PrimaryRateLimit(`^/app/hook/deliveries$`, 0, time.Now().Add(time.Hour)))
		s := e.sweeper()
		if got := e.sweep(s); got != 0 {
			t.Errorf("sweep redelivered %d, want 0", got)
		}
		lists := e.listRequests()
		if got := e.sweep(s); got != 0 {
			t.Errorf("sweep while paused redelivered %d, want 0", got)
		}
		if got := e.listRequests() - lists; got != 0 {
			t.Errorf("sweep while paused made %d requests, want none", got)
		}
		e.wantRedeliveries()
		if n := e.logs.count(slog.LevelWarn); n != 1 {
			t.Errorf("%d warnings or errors logged, want 1", n)
		}
	})
	t.Run("redelivering", func(t *testing.T) {
		e := newSweepEnv(t)
		a := e.gh.AddDelivery(failed("guid-a", time.Now().Add(-time.Minute)))
		b := e.gh.AddDelivery(failed("guid-b", time.Now()))
		e.gh.Inject(fakegithub.SecondaryRateLimit(`/attempts$`, 1, http.StatusTooManyRequests, time.Minute))
		s := e.sweeper()
		if got := e.sweep(s); got != 0 {
			t.Errorf("sweep redelivered %d, want 0", got)
		}
		if n := e.logs.count(slog.LevelWarn); n != 1 {
			t.Errorf("%d warnings or errors logged, want 1", n)
		}
		e.del(e.store.Key("sweeper", "paused")) // a minute later
		if got := e.sweep(s); got != 2 {
			t.Errorf("sweep after the limit redelivered %d, want 2", got)
		}
		e.wantRedeliveries(a.ID, b.ID)
	})
}

func TestSweepRunSweepsUntilCancelled(t *testing.T) {
	t.Parallel()
	e := newSweepEnv(t)
	d := e.gh.AddDelivery(failed("guid-a", time.Now()))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		e.sweeper().Run(ctx)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for len(e.gh.Redeliveries()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("run did not stop when its context ended")
	}
	e.wantRedeliveries(d.ID)
}

// sweepLog is a slog.Handler keeping every record.
type sweepLog struct {
	mu      sync.Mutex
	records []slog.Record
}

func (l *sweepLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *sweepLog) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *sweepLog) WithGroup(string) slog.Handler            { return l }

func (l *sweepLog) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.records = append(l.records, r.Clone())
	return nil
}

// count counts the records at level or above.
func (l *sweepLog) count(level slog.Level) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, r := range l.records {
		if r.Level >= level {
			n++
		}
	}
	return n
}

// values returns key's value in each record with message msg.
func (l *sweepLog) values(msg, key string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, r := range l.records {
		r.Attrs(func(a slog.Attr) bool {
			if r.Message == msg && a.Key == key {
				out = append(out, a.Value.String())
			}
			return true
		})
	}
	return out
}
