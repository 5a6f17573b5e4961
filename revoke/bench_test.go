package revoke_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pushguard/pushguard/queue/queuetest"
	"github.com/pushguard/pushguard/revoke"
)

// BenchmarkRevokeBatch measures one full batch of MaxBatch tokens: the
// budget's Redis round trip, encoding and one request to a server that
// answers 202.
func BenchmarkRevokeBatch(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	rdb := queuetest.Redis(b)
	c, err := revoke.New(revoke.Options{APIURL: srv.URL + "/", Prefixes: revoke.DotComPrefixes(), Redis: rdb,
		KeyPrefix: queuetest.Name(b, rdb) + ":", Limit: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	tokens := make([]revoke.Token, revoke.MaxBatch)
	for i := range tokens {
		tokens[i] = token("ghp_", i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if out := c.Revoke(context.Background(), tokens); len(out.Revoked) != revoke.MaxBatch {
			b.Fatalf("revoked %d", len(out.Revoked))
		}
	}
	b.ReportMetric(float64(b.N*revoke.MaxBatch)/b.Elapsed().Seconds(), "tokens/s")
}
