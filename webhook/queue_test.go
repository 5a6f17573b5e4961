package webhook

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"testing"
	"time"

	"github.com/pushguard/pushguard/queue"
	"github.com/pushguard/pushguard/queue/queuetest"
)

// realQueue is the queue on the test Redis (REDIS_URL, or miniredis).
func realQueue(t testing.TB) *queue.Queue {
	rdb := queuetest.Redis(t)
	name := queuetest.Name(t, rdb)
	return queue.New(rdb, queue.Options{Name: name, KeyPrefix: name + ":"})
}

// TestRealQueue runs deliveries into the real queue: a redelivered webhook
// makes one job, and an unreachable Redis answers 503.
func TestRealQueue(t *testing.T) {
	t.Parallel()
	q := realQueue(t)
	h := newHandler(t, q)
	body := payload(t, "push/with-new-branch.payload.json")
	for i := 0; i < 3; i++ {
		if got := serve(h, delivery("push", "redelivered", body)); got != http.StatusAccepted {
			t.Fatalf("status %d", got)
		}
	}
	st, err := q.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Pending != 1 {
		t.Errorf("%d pending jobs for one delivery, want 1", st.Pending)
	}

	down := queue.New(queuetest.Unreachable(t), queue.Options{Name: "down"})
	if got := serve(newHandler(t, down), delivery("push", "d-down", body)); got != http.StatusServiceUnavailable {
		t.Errorf("status %d with Redis down, want 503", got)
	}
}

// FuzzEvents feeds arbitrary payloads to every event decoder: none panics,
// and every job it makes is valid.
func FuzzEvents(f *testing.F) {
	// Small seeds shaped like GitHub's payloads (the real ones are tested in
	// TestRealPayloads; at 10-30 KB they slow the fuzzer to a crawl).
	for _, seed := range []string{
		`{"ref":"refs/heads/main","before":"0000","after":"abc","created":true,"commits":[{"id":"abc"}],"repository":{"name":"r","owner":{"name":"o"}},"installation":{"id":1}}`,
		`{"action":"opened","number":2,"pull_request":{"head":{"sha":"abc","repo":{"full_name":"f/r"}},"base":{"sha":"def"}},"repository":{"id":3,"name":"r","full_name":"o/r","owner":{"login":"o"}},"installation":{"id":1}}`,
		`{"action":"requested_action","check_run":{"id":4,"head_sha":"abc","pull_requests":[{"number":2,"base":{"repo":{"id":3}}}]},"requested_action":{"identifier":"rescan"},"repository":{"id":3,"name":"r","owner":{"login":"o"}},"installation":{"id":1},"sender":{"login":"u"}}`,
		`{"action":"created","issue":{"number":2,"pull_request":{}},"comment":{"id":5,"user":{"type":"User"}},"repository":{"name":"r","owner":{"login":"o"}},"installation":{"id":1},"sender":{"login":"u","type":"User"}}`,
		`{"action":"created","installation":{"id":1,"account":{"login":"o"}}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for name, fn := range events() {
			jobs, err := fn("d", body)
			if err != nil {
				continue
			}
			for _, j := range jobs {
				if j.Kind == queue.KindInstallation {
					continue
				}
				if j.InstallationID == 0 || j.Owner == "" || j.Repo == "" {
					t.Fatalf("%s made an unusable job %+v", name, j)
				}
			}
		}
	})
}

// BenchmarkWebhook measures one signed push delivery, from request to job
// enqueued in Redis (signature, decoding, enqueue: one Redis round trip),
// with allocations and the latency percentiles; once with logging off (the
// per-delivery line below the level) and once with the JSON line production
// writes at LOG_LEVEL=info. Against real Redis with REDIS_URL set:
//
//	REDIS_URL=redis://127.0.0.1:6379/0 go test -run '^$' -bench BenchmarkWebhook -benchmem ./webhook
func BenchmarkWebhook(b *testing.B) {
	for _, tc := range []struct {
		name string
		log  *slog.Logger
	}{
		{"log-off", nil},
		{"log-info-json", slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))},
	} {
		b.Run(tc.name, func(b *testing.B) {
			h, err := New([]byte(testSecret), realQueue(b), tc.log, nil)
			if err != nil {
				b.Fatal(err)
			}
			benchDeliveries(b, h)
		})
	}
}

// benchDeliveries sends b.N distinct push deliveries to h one at a time.
func benchDeliveries(b *testing.B, h *Handler) {
	body := payload(b, "push/with-new-branch.payload.json")
	lat := make([]time.Duration, 0, b.N)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := delivery("push", fmt.Sprintf("bench-%d", i), body)
		w := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(w, r)
		lat = append(lat, time.Since(start))
		if w.Code != http.StatusAccepted {
			b.Fatalf("status %d", w.Code)
		}
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}
