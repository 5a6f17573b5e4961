package alert

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/internal/poll"
	"github.com/pushguard/pushguard/queue/queuetest"
	"github.com/pushguard/pushguard/scanner"
)

// plantedSecret looks like a live Stripe key (random, never issued). It is
// only ever in this file: alerts carry scanner.Redact of it.
const plantedSecret = "sk_live_51Hq8ZtLm4RvX2pKc9WnEaYdJ7uFgTbS3oQiV6h"

// testFingerprint is a fingerprint as scanner.Fingerprint renders one.
var testFingerprint = scanner.Fingerprint([]byte("test-fingerprint-key"), "stripe-secret-key", plantedSecret)

// sampleAlert is an alert of the planted secret.
func sampleAlert() Alert {
	return Alert{
		InstallationID: 42,
		Repository:     "octo-org/payments",
		Ref:            "refs/heads/feature/billing",
		Commit:         "3f2c1e9a8b7d6c5e4f3a2b1c0d9e8f7a6b5c4d3e",
		Pusher:         "octocat",
		Provider:       "Stripe",
		RuleID:         "stripe-secret-key",
		Redacted:       scanner.Redact(plantedSecret),
		Fingerprint:    testFingerprint,
		Validity:       ValidityLive,
		CheckRunURL:    "https://github.com/octo-org/payments/runs/123",
		FirstSeen:      time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC),
	}
}

// request is what a receiver got.
type request struct {
	Header http.Header
	Body   []byte
}

// receiver is an httptest server that answers with codes in turn (the last
// one thereafter) and records every request. hold, when set, is waited on
// before the first answer.
type receiver struct {
	srv   *httptest.Server
	mu    sync.Mutex
	codes []int
	reqs  []request
	hold  chan struct{}
	held  chan struct{} // closed when the first request is being held
}

func newReceiver(t *testing.T, codes ...int) *receiver {
	t.Helper()
	r := &receiver{codes: codes, held: make(chan struct{})}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	n := len(r.reqs)
	r.reqs = append(r.reqs, request{Header: req.Header.Clone(), Body: body})
	code := http.StatusOK
	if len(r.codes) > 0 {
		code = r.codes[min(n, len(r.codes)-1)]
	}
	hold := r.hold
	r.mu.Unlock()
	if hold != nil && n == 0 {
		close(r.held)
		select {
		case <-hold:
		case <-req.Context().Done():
			return
		}
	}
	w.WriteHeader(code)
}

func (r *receiver) requests() []request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]request(nil), r.reqs...)
}

// result is one Observer.OnResult call.
type result struct {
	Sender  string
	OK      bool
	Attempt int
}

// observer records results.
type observer struct {
	mu      sync.Mutex
	results []result
}

func (o *observer) OnResult(sender string, ok bool, attempt int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.results = append(o.results, result{sender, ok, attempt})
}

func (o *observer) got() []result {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]result(nil), o.results...)
}

// syncBuffer is a log sink safe for many goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// fixture is a Dispatcher on the test Redis with a Slack and a webhook
// receiver, fast retries, and its log and results recorded.
type fixture struct {
	d       *Dispatcher
	rdb     redis.UniversalClient
	prefix  string
	slack   *receiver
	webhook *receiver
	obs     *observer
	logs    *syncBuffer
}

const testWebhookSecret = "whsec-test-0123456789abcdef"

func testHTTP() HTTPOptions { return HTTPOptions{AllowHTTP: true, Timeout: 5 * time.Second} }

// newFixture builds the fixture; tune may change the config before New.
func newFixture(t *testing.T, slack, webhook *receiver, tune func(*Config)) *fixture {
	t.Helper()
	rdb := queuetest.Redis(t)
	f := &fixture{rdb: rdb, prefix: queuetest.Name(t, rdb) + ":", slack: slack, webhook: webhook, obs: &observer{}, logs: &syncBuffer{}}
	s, err := NewSlack(slack.srv.URL+"/services/T000/B000/slacktokenXYZ", testHTTP())
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewWebhook(webhook.srv.URL+"/hook", testWebhookSecret, testHTTP())
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{
		Redis: rdb, Prefix: f.prefix, Senders: []Sender{s, w}, Observer: f.obs,
		Logger:      slog.New(slog.NewJSONHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		BackoffBase: 20 * time.Millisecond, BackoffMax: 100 * time.Millisecond,
		MaxElapsed: 3 * time.Second, ClaimIdle: 10 * time.Second, Block: 50 * time.Millisecond,
	}
	if tune != nil {
		tune(&cfg)
	}
	f.d, err = New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// run runs the dispatcher until the test ends (or stop is called).
func (f *fixture) run(t *testing.T) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.d.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run: %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Errorf("Run did not return within 10s of its context's end")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// waitResults waits until the observer has n results.
func (f *fixture) waitResults(t *testing.T, n int) []result {
	t.Helper()
	poll.Until(t, 10*time.Second, func() bool { return len(f.obs.got()) >= n }, "alert results")
	return f.obs.got()
}

// queueLen is how many alerts wait in the stream, delivered or not.
func (f *fixture) queueLen(t *testing.T) int64 {
	t.Helper()
	n, err := f.rdb.XLen(context.Background(), f.d.streamKey()).Result()
	if err != nil && err != redis.Nil {
		t.Fatal(err)
	}
	return n
}

// redisDump renders every key under the fixture's prefix and its value.
func (f *fixture) redisDump(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	keys, err := f.rdb.Keys(ctx, f.prefix+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		b.WriteString(k + "\n")
		switch f.rdb.Type(ctx, k).Val() {
		case "string":
			b.WriteString(f.rdb.Get(ctx, k).Val())
		case "hash":
			for hk, hv := range f.rdb.HGetAll(ctx, k).Val() {
				b.WriteString(hk + "=" + hv + "\n")
			}
		case "stream":
			for _, m := range f.rdb.XRange(ctx, k, "-", "+").Val() {
				for mk, mv := range m.Values {
					b.WriteString(mk + "=" + mv.(string) + "\n")
				}
			}
		}
	}
	return b.String()
}
