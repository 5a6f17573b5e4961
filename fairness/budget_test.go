package fairness

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pushguard/pushguard/ghapp"
	"github.com/pushguard/pushguard/internal/fakegithub"
	"github.com/pushguard/pushguard/queue"
)

// TestBudgetPausesOnlyTheThrottledInstallation: after GitHub refuses one
// installation for a rate limit (the fake's faults), that installation's
// jobs wait until GitHub's time, and another installation's run on.
func TestBudgetPausesOnlyTheThrottledInstallation(t *testing.T) {
	t.Parallel()
	reset := time.Now().Add(10 * time.Minute).Truncate(time.Second)
	tests := []struct {
		name  string
		fault fakegithub.Fault
		until func(now time.Time) time.Time
	}{
		{name: "primary 403", fault: fakegithub.PrimaryRateLimit("^/repos/octo/a$", 1, reset), until: func(time.Time) time.Time { return reset }},
		{name: "secondary 429", fault: fakegithub.SecondaryRateLimit("^/repos/octo/a$", 1, http.StatusTooManyRequests, 30*time.Second),
			until: func(now time.Time) time.Time { return now.Add(30 * time.Second) }},
		{name: "secondary 403", fault: fakegithub.SecondaryRateLimit("^/repos/octo/a$", 1, http.StatusForbidden, 90*time.Second),
			until: func(now time.Time) time.Time { return now.Add(90 * time.Second) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, b := newScheduler(t, Options{})
			gh := fakegithub.New(t, fakegithub.Options{})
			gh.AddRepo("octo", "a", 1)
			gh.AddRepo("octo", "b", 2)
			gh.Inject(tc.fault)
			app, err := ghapp.New(gh.AppID(), gh.PrivateKeyPEM(), gh.URL(), nil)
			if err != nil {
				t.Fatal(err)
			}
			app.WrapInstallation(b.Transport)
			ctx := context.Background()
			before := time.Now()
			if _, _, err := app.Installation(1).Repositories.Get(ctx, "octo", "a"); err == nil {
				t.Fatal("the fault did not refuse the request")
			}
			after := time.Now()
			if _, _, err := app.Installation(2).Repositories.Get(ctx, "octo", "b"); err != nil {
				t.Fatal(err)
			}
			got, err := b.PausedUntil(ctx, 1)
			if err != nil {
				t.Fatal(err)
			}
			if lo, hi := tc.until(before).Add(-time.Millisecond), tc.until(after).Add(time.Millisecond); got.Before(lo) || got.After(hi) {
				t.Errorf("installation 1 paused until %s, want %s", got, tc.until(before))
			}
			if other, err := b.PausedUntil(ctx, 2); err != nil || !other.IsZero() {
				t.Errorf("installation 2 paused until %s (%v), want not paused", other, err)
			}
			run := s.Handler(func(context.Context, queue.Job) error { return nil })
			if err := run(ctx, jobOf(1, "a1")); !errors.Is(err, ErrPaused) {
				t.Errorf("installation 1's job: %v, want ErrPaused", err)
			}
			if err := run(ctx, jobOf(2, "b1")); err != nil {
				t.Errorf("installation 2's job: %v", err)
			}
		})
	}
}

// headerTransport answers every request with 200 and the given rate-limit
// headers, counting the requests.
type headerTransport struct {
	remaining int
	reset     time.Time
	mu        sync.Mutex
	methods   []string
}

func (h *headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	h.mu.Lock()
	h.methods = append(h.methods, r.Method)
	h.mu.Unlock()
	hd := http.Header{}
	hd.Set("X-Ratelimit-Remaining", strconv.Itoa(h.remaining))
	hd.Set("X-Ratelimit-Reset", strconv.FormatInt(h.reset.Unix(), 10))
	return &http.Response{StatusCode: http.StatusOK, Header: hd, Body: io.NopCloser(strings.NewReader("{}")), Request: r}, nil
}

// TestBudgetPausesBeforeGitHubRefuses: an answer that leaves less than the
// reserve pauses the installation until the reset; one with room does not.
func TestBudgetPausesBeforeGitHubRefuses(t *testing.T) {
	t.Parallel()
	reset := time.Now().Add(20 * time.Minute).Truncate(time.Second)
	tests := []struct {
		name      string
		remaining int
		want      time.Time
	}{
		{name: "below the reserve", remaining: DefaultReserve - 1, want: reset},
		{name: "room to spare", remaining: DefaultReserve},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, b := newScheduler(t, Options{})
			c := &http.Client{Transport: b.Transport(7, &headerTransport{remaining: tc.remaining, reset: reset})}
			resp, err := c.Get("http://github.invalid/repos/octo/a")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			got, err := b.PausedUntil(context.Background(), 7)
			if err != nil || !got.Equal(tc.want) {
				t.Errorf("paused until %s (%v), want %s", got, err, tc.want)
			}
		})
	}
}

// TestBudgetSpacesContentCreation: past the minute's cap a content-creating
// request waits for the next minute; reads are never counted.
func TestBudgetSpacesContentCreation(t *testing.T) {
	t.Parallel()
	_, b := newScheduler(t, Options{})
	b.opts.WritesPerMinute = 3
	now := time.Date(2026, 12, 3, 12, 0, 10, 0, time.UTC)
	var slept []time.Duration
	b.now = func() time.Time { return now }
	b.sleep = func(_ context.Context, d time.Duration) error {
		slept = append(slept, d)
		now = now.Add(d)
		return nil
	}
	base := &headerTransport{remaining: 5000, reset: now.Add(time.Hour)}
	c := &http.Client{Transport: b.Transport(9, base)}
	send := func(method string) {
		req, _ := http.NewRequest(method, "http://github.invalid/repos/octo/a/check-runs", nil)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	for range 5 {
		send(http.MethodGet)
	}
	for range 3 {
		send(http.MethodPost)
	}
	if len(slept) != 0 {
		t.Fatalf("waited %v within the minute's cap", slept)
	}
	send(http.MethodPatch)
	if len(slept) != 1 || slept[0] != 50*time.Second {
		t.Errorf("the fourth write waited %v, want one wait of 50s (to the next minute)", slept)
	}
	if len(base.methods) != 9 {
		t.Errorf("%d requests reached GitHub, want 9", len(base.methods))
	}
}

// TestBudgetWriteWaitEndsWithContext: a write waiting for the next minute
// gives up when its job's context ends.
func TestBudgetWriteWaitEndsWithContext(t *testing.T) {
	t.Parallel()
	_, b := newScheduler(t, Options{})
	b.opts.WritesPerMinute = 1
	base := &headerTransport{remaining: 5000, reset: time.Now().Add(time.Hour)}
	rt := b.Transport(9, base)
	ctx, cancel := context.WithCancel(context.Background())
	first, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://github.invalid/x", nil)
	if _, err := rt.RoundTrip(first); err != nil {
		t.Fatal(err)
	}
	cancel()
	second, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://github.invalid/x", nil)
	if _, err := rt.RoundTrip(second); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}
