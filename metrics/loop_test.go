package metrics

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestLoopMetrics(t *testing.T) {
	m := New(nil)
	m.AlertResult("slack", true, 1)
	m.AlertResult("webhook", false, 6)
	m.IncidentClosed("GitHub", "revoked", 90*time.Minute)
	m.SetOpenIncidents([]OpenIncident{{"GitHub", "live", 2}, {"AWS", "unchecked", 1}})
	m.SetOpenIncidents([]OpenIncident{{"GitHub", "live", 1}}) // AWS closed since
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	text := string(body)
	for _, want := range []string{
		`pushguard_alerts_total{outcome="sent",sender="slack"} 1`,
		`pushguard_alerts_total{outcome="failed",sender="webhook"} 1`,
		`pushguard_incidents_open{provider="GitHub",validity="live"} 1`,
		`pushguard_incident_time_to_close_seconds_sum{provider="GitHub",state="revoked"} 5400`,
		`pushguard_alert_attempts_sum{sender="webhook"} 6`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(text, `provider="AWS"`) {
		t.Error("a provider with no open incident is still in the gauge")
	}
}
