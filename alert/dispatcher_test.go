package alert

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/internal/poll"
	"github.com/pushguard/pushguard/queue/queuetest"
	"github.com/pushguard/pushguard/scanner"
)

func TestDeliveredToBothReceivers(t *testing.T) {
	f := newFixture(t, newReceiver(t), newReceiver(t), nil)
	f.run(t)
	if queued, err := f.d.Enqueue(context.Background(), sampleAlert()); err != nil || !queued {
		t.Fatalf("Enqueue = %v, %v; want queued", queued, err)
	}
	got := f.waitResults(t, 2)
	for _, r := range got {
		if !r.OK || r.Attempt != 1 {
			t.Errorf("result %+v, want ok at the first attempt", r)
		}
	}
	poll.Until(t, 5*time.Second, func() bool { return f.queueLen(t) == 0 }, "the delivered alert to leave the queue")
	if len(f.slack.requests()) != 1 || len(f.webhook.requests()) != 1 {
		t.Errorf("slack got %d, webhook %d requests; want 1 each", len(f.slack.requests()), len(f.webhook.requests()))
	}
	if id := f.webhook.requests()[0].Header.Get(HeaderDelivery); len(id) != 32 {
		t.Errorf("%s = %q, want the alert's ID", HeaderDelivery, id)
	}
}

func TestSameIncidentAlertsOnce(t *testing.T) {
	f := newFixture(t, newReceiver(t), newReceiver(t), nil)
	ctx := context.Background()
	first := sampleAlert()
	again := sampleAlert() // the same key pushed again, in another commit
	again.Commit = "0000000000000000000000000000000000000001"
	again.Ref = "refs/heads/other"
	otherInstallation := sampleAlert()
	otherInstallation.InstallationID = 43
	tests := []struct {
		name string
		a    Alert
		want bool
	}{
		{"first", first, true},
		{"same key again", again, false},
		{"same key, other installation", otherInstallation, true},
	}
	for _, tt := range tests {
		queued, err := f.d.Enqueue(ctx, tt.a)
		if err != nil || queued != tt.want {
			t.Errorf("%s: Enqueue = %v, %v; want %v", tt.name, queued, err, tt.want)
		}
	}
	if n := f.queueLen(t); n != 2 {
		t.Fatalf("queue holds %d alerts, want 2", n)
	}
	f.run(t)
	f.waitResults(t, 4)
	poll.Until(t, 5*time.Second, func() bool { return f.queueLen(t) == 0 }, "the queue to empty")
	if n := len(f.slack.requests()); n != 2 {
		t.Errorf("slack got %d alerts, want 2 (one per installation)", n)
	}
	if queued, _ := f.d.Enqueue(ctx, again); queued {
		t.Error("after delivery, the same key queued again")
	}
	ttl := f.rdb.PTTL(ctx, f.d.sentKey(first)).Val()
	if ttl <= 0 || ttl > DefaultDedupeTTL {
		t.Errorf("dedupe key TTL = %s, want (0, %s]", ttl, DefaultDedupeTTL)
	}
}

func TestFailingReceiverRetriedWithBackoff(t *testing.T) {
	webhook := newReceiver(t, 500, 500, 200)
	f := newFixture(t, newReceiver(t), webhook, nil)
	f.run(t)
	if _, err := f.d.Enqueue(context.Background(), sampleAlert()); err != nil {
		t.Fatal(err)
	}
	got := f.waitResults(t, 2)
	want := map[string]result{"slack": {"slack", true, 1}, "webhook": {"webhook", true, 3}}
	for _, r := range got {
		if r != want[r.Sender] {
			t.Errorf("result %+v, want %+v", r, want[r.Sender])
		}
	}
	reqs := webhook.requests()
	if len(reqs) != 3 {
		t.Fatalf("webhook got %d requests, want 3 (500, 500, 200)", len(reqs))
	}
	for _, r := range reqs[1:] {
		if r.Header.Get(HeaderDelivery) != reqs[0].Header.Get(HeaderDelivery) || string(r.Body) != string(reqs[0].Body) {
			t.Error("a retry differs from the first delivery: want the same ID and body")
		}
	}
	if !strings.Contains(f.logs.String(), "will retry") {
		t.Error("no log line for the retries")
	}
}

func TestBackoffGrowsAndIsBounded(t *testing.T) {
	d := &Dispatcher{cfg: withDefaults(Config{BackoffBase: 100 * time.Millisecond, BackoffMax: time.Second})}
	tests := []struct {
		n        int
		err      error
		min, max time.Duration
	}{
		{1, errors.New("x"), 50 * time.Millisecond, 100 * time.Millisecond},
		{2, errors.New("x"), 100 * time.Millisecond, 200 * time.Millisecond},
		{3, errors.New("x"), 200 * time.Millisecond, 400 * time.Millisecond},
		{10, errors.New("x"), 500 * time.Millisecond, time.Second},
		{64, errors.New("x"), 500 * time.Millisecond, time.Second},
		{1, &StatusError{Code: 429, RetryAfter: 700 * time.Millisecond}, 700 * time.Millisecond, 700 * time.Millisecond},
		{1, &StatusError{Code: 429, RetryAfter: time.Hour}, time.Second, time.Second},
	}
	for _, tt := range tests {
		for range 20 {
			if got := d.backoff(tt.n, tt.err); got < tt.min || got > tt.max {
				t.Errorf("backoff(%d, %v) = %s, want in [%s, %s]", tt.n, tt.err, got, tt.min, tt.max)
			}
		}
	}
}

func TestReceiverDownForGoodIsReported(t *testing.T) {
	tests := []struct {
		name      string
		code      int
		attempts  int
		wantTries int
	}{
		{"5xx until the attempts run out", http.StatusServiceUnavailable, 3, 3},
		{"404 is not retried", http.StatusNotFound, 3, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			slack := newReceiver(t, tt.code)
			f := newFixture(t, slack, newReceiver(t), func(c *Config) { c.MaxAttempts = tt.attempts })
			f.run(t)
			if _, err := f.d.Enqueue(context.Background(), sampleAlert()); err != nil {
				t.Fatal(err)
			}
			f.waitResults(t, 2)
			poll.Until(t, 5*time.Second, func() bool { return f.queueLen(t) == 0 }, "the alert to leave the queue")
			for _, r := range f.obs.got() {
				if r.Sender == "slack" && (r.OK || r.Attempt != tt.wantTries) {
					t.Errorf("slack result %+v, want failed after %d tries", r, tt.wantTries)
				}
				if r.Sender == "webhook" && !r.OK {
					t.Errorf("webhook result %+v: one receiver down must not fail the other", r)
				}
			}
			if n := len(slack.requests()); n != tt.wantTries {
				t.Errorf("slack got %d requests, want %d", n, tt.wantTries)
			}
			logs := f.logs.String()
			if !strings.Contains(logs, `"level":"ERROR","msg":"alert not delivered; gave up"`) || !strings.Contains(logs, `"repo":"octo-org/payments"`) {
				t.Errorf("no error log naming the undelivered alert:\n%s", logs)
			}
		})
	}
}

func TestRetriesBoundedInTime(t *testing.T) {
	slack := newReceiver(t, http.StatusBadGateway)
	f := newFixture(t, slack, newReceiver(t), func(c *Config) {
		c.MaxAttempts = 100
		c.BackoffBase, c.BackoffMax, c.MaxElapsed = 50*time.Millisecond, 50*time.Millisecond, 200*time.Millisecond
	})
	f.run(t)
	if _, err := f.d.Enqueue(context.Background(), sampleAlert()); err != nil {
		t.Fatal(err)
	}
	f.waitResults(t, 2)
	// Waits of at least 25 ms within 200 ms: at most 9 tries.
	if n := len(slack.requests()); n < 2 || n > 9 {
		t.Errorf("slack got %d requests, want 2 to 9 within MaxElapsed", n)
	}
}

func TestPlantedSecretNeverLeaves(t *testing.T) {
	f := newFixture(t, newReceiver(t, 500, 200), newReceiver(t, 500, 200), nil)
	f.run(t)
	ctx := context.Background()
	if _, err := f.d.Enqueue(ctx, sampleAlert()); err != nil {
		t.Fatal(err)
	}
	leaky := sampleAlert()
	leaky.Fingerprint = strings.Repeat("ab", 32)
	leaky.Redacted = plantedSecret
	_, err := f.d.Enqueue(ctx, leaky)
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("Enqueue of an alert holding the secret = %v, want ErrInvalid", err)
	}
	f.waitResults(t, 2)
	var out []string
	out = append(out, err.Error(), f.logs.String(), f.redisDump(t))
	for _, r := range append(f.slack.requests(), f.webhook.requests()...) {
		out = append(out, string(r.Body))
		for k, v := range r.Header {
			out = append(out, k+": "+strings.Join(v, ","))
		}
	}
	all := strings.Join(out, "\n")
	for _, part := range []string{plantedSecret, plantedSecret[8:20], "slacktokenXYZ", testWebhookSecret} {
		if strings.Contains(all, part) {
			t.Errorf("%q found in a request, a log line, an error or Redis", part)
		}
	}
	if !strings.Contains(all, scanner.Redact(plantedSecret)) {
		t.Error("the redacted value was not sent: the search above proves nothing")
	}
}

func TestEnqueueDoesNotWaitForReceivers(t *testing.T) {
	slack := newReceiver(t)
	slack.hold = make(chan struct{})
	f := newFixture(t, slack, newReceiver(t), nil)
	f.run(t)
	ctx := context.Background()
	if _, err := f.d.Enqueue(ctx, sampleAlert()); err != nil {
		t.Fatal(err)
	}
	<-slack.held // the first alert is stuck at Slack
	second := sampleAlert()
	second.Fingerprint = strings.Repeat("cd", 32)
	done := make(chan error, 1)
	go func() {
		_, err := f.d.Enqueue(ctx, second)
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Enqueue did not return while a receiver was stuck")
	}
	close(slack.hold)
	f.waitResults(t, 4)
}

func TestShutdownHandsBackUnfinishedAlert(t *testing.T) {
	slack := newReceiver(t)
	slack.hold = make(chan struct{})
	f := newFixture(t, slack, newReceiver(t), func(c *Config) { c.Workers = 1 })
	stop := f.run(t)
	if _, err := f.d.Enqueue(context.Background(), sampleAlert()); err != nil {
		t.Fatal(err)
	}
	<-slack.held
	poll.Until(t, 5*time.Second, func() bool { return len(f.obs.got()) == 1 }, "the webhook's delivery")
	stop() // Slack still holds its request
	if got := f.obs.got(); len(got) != 1 || got[0].Sender != "webhook" {
		t.Fatalf("results after stop = %+v, want the webhook's only (Slack's is not an outcome yet)", got)
	}
	next, err := New(f.d.cfg) // another process
	if err != nil {
		t.Fatal(err)
	}
	next.cfg.Consumer = "second-process"
	f.d = next
	f.run(t)
	got := f.waitResults(t, 2)
	if got[1] != (result{"slack", true, 1}) {
		t.Errorf("result after restart = %+v, want Slack delivered", got[1])
	}
	if n := len(f.webhook.requests()); n != 1 {
		t.Errorf("webhook got %d requests, want 1: it had the alert before the stop", n)
	}
}

func TestAlertOfDeadProcessTakenOver(t *testing.T) {
	f := newFixture(t, newReceiver(t), newReceiver(t), func(c *Config) {
		c.ClaimIdle, c.MaxElapsed = 300*time.Millisecond, 100*time.Millisecond
	})
	ctx := context.Background()
	if _, err := f.d.Enqueue(ctx, sampleAlert()); err != nil {
		t.Fatal(err)
	}
	// A process reads the alert and dies before it delivers it.
	if err := f.rdb.XGroupCreateMkStream(ctx, f.d.streamKey(), group, "0").Err(); err != nil {
		t.Fatal(err)
	}
	read, err := f.rdb.XReadGroup(ctx, &redis.XReadGroupArgs{Group: group, Consumer: "dead", Streams: []string{f.d.streamKey(), ">"}, Count: 1}).Result()
	if err != nil || len(read) != 1 || len(read[0].Messages) != 1 {
		t.Fatalf("read as the dead process: %v, %v", read, err)
	}
	f.run(t)
	got := f.waitResults(t, 2)
	for _, r := range got {
		if !r.OK {
			t.Errorf("result %+v, want delivered by the process that took over", r)
		}
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	rcv := newReceiver(t)
	s, _ := NewSlack(rcv.srv.URL, testHTTP())
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	defer rdb.Close()
	tests := []struct {
		name string
		cfg  Config
	}{
		{"no redis", Config{Senders: []Sender{s}}},
		{"no sender", Config{Redis: rdb}},
		{"claim idle under retry time", Config{Redis: rdb, Senders: []Sender{s}, ClaimIdle: time.Second, MaxElapsed: time.Minute}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(tt.cfg); err == nil {
				t.Error("New: no error, want one")
			}
		})
	}
}

func TestValidate(t *testing.T) {
	ok := sampleAlert()
	tests := []struct {
		name   string
		change func(*Alert)
		valid  bool
	}{
		{"scanner's redacted form", func(*Alert) {}, true},
		{"short secret redacted", func(a *Alert) { a.Redacted = scanner.Redact("abc") }, true},
		{"the secret itself", func(a *Alert) { a.Redacted = plantedSecret }, false},
		{"secret with a redacted tail", func(a *Alert) { a.Redacted = plantedSecret + "… (48 chars)" }, false},
		{"no installation", func(a *Alert) { a.InstallationID = 0 }, false},
		{"no repository", func(a *Alert) { a.Repository = "" }, false},
		{"fingerprint not hex", func(a *Alert) { a.Fingerprint = plantedSecret }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ok
			tt.change(&a)
			err := a.Validate()
			if (err == nil) != tt.valid {
				t.Fatalf("Validate = %v, want valid=%v", err, tt.valid)
			}
			if err != nil && (!errors.Is(err, ErrInvalid) || strings.Contains(err.Error(), plantedSecret[:12])) {
				t.Errorf("error %q: want ErrInvalid, without the value", err)
			}
		})
	}
}

func TestUnreadableQueuedAlertIsLoggedAndDropped(t *testing.T) {
	f := newFixture(t, newReceiver(t), newReceiver(t), nil)
	ctx := context.Background()
	if err := f.rdb.XAdd(ctx, &redis.XAddArgs{Stream: f.d.streamKey(), Values: []string{"alert", "{not json"}}).Err(); err != nil {
		t.Fatal(err)
	}
	f.run(t)
	poll.Until(t, 5*time.Second, func() bool { return f.queueLen(t) == 0 }, "the unreadable alert to leave the queue")
	if !strings.Contains(f.logs.String(), `"level":"ERROR","msg":"queued alert unreadable; dropped"`) {
		t.Errorf("no error log for the unreadable alert:\n%s", f.logs.String())
	}
}

func BenchmarkSlackPayload(b *testing.B) {
	a := sampleAlert()
	for b.Loop() {
		if _, err := SlackPayload(a); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEnqueue(b *testing.B) {
	rdb := queuetest.Redis(b)
	d, err := New(Config{Redis: rdb, Prefix: queuetest.Name(b, rdb) + ":", Senders: []Sender{&Slack{}}})
	if err != nil {
		b.Fatal(err)
	}
	a := sampleAlert()
	ctx := context.Background()
	i := 0
	for b.Loop() {
		i++
		a.Fingerprint = fmt.Sprintf("%064x", i)
		if _, err := d.Enqueue(ctx, a); err != nil {
			b.Fatal(err)
		}
	}
}
