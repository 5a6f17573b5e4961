package metrics

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRevocationMetrics(t *testing.T) {
	m := New(nil)
	m.Revocations(2, 1)
	m.Revocations(0, 3)
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{`pushguard_revocations_total{outcome="revoked"} 2`, `pushguard_revocations_total{outcome="not_sent"} 4`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
