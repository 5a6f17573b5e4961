package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// loopMetrics are those of closing the loop on a leak (issue 10): alerts,
// open incidents and how long incidents stay open.
type loopMetrics struct {
	alerts        *prometheus.CounterVec
	alertAttempts *prometheus.HistogramVec
	openIncidents *prometheus.GaugeVec
	timeToClose   *prometheus.HistogramVec
}

func newLoopMetrics(reg *prometheus.Registry) loopMetrics {
	l := loopMetrics{
		alerts: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pushguard_alerts_total",
			Help: "Alerts to the security team, by receiver (slack, webhook) and outcome (sent, failed: given up after retries)."},
			[]string{"sender", "outcome"}),
		alertAttempts: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "pushguard_alert_attempts",
			Help: "Tries one alert took at one receiver, sent or given up.", Buckets: []float64{1, 2, 3, 4, 6, 10}}, []string{"sender"}),
		openIncidents: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "pushguard_incidents_open",
			Help: "Open incidents (leaked values not yet revoked, resolved or dismissed), by provider and latest validity. Every process reports the same count: aggregate with max."},
			[]string{"provider", "validity"}),
		timeToClose: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "pushguard_incident_time_to_close_seconds",
			Help:    "Seconds from an incident's first sighting to its revocation or resolution, by provider and state.",
			Buckets: []float64{60, 300, 900, 3600, 4 * 3600, 24 * 3600, 3 * 24 * 3600, 7 * 24 * 3600, 30 * 24 * 3600}},
			[]string{"provider", "state"}),
	}
	reg.MustRegister(l.alerts, l.alertAttempts, l.openIncidents, l.timeToClose)
	return l
}

// AlertResult counts the outcome of one alert at one receiver after
// attempts tries (alert.Observer).
func (m *Metrics) AlertResult(sender string, ok bool, attempts int) {
	outcome := "failed"
	if ok {
		outcome = "sent"
	}
	m.loop.alerts.WithLabelValues(sender, outcome).Inc()
	m.loop.alertAttempts.WithLabelValues(sender).Observe(float64(attempts))
}

// IncidentClosed observes the time from an incident's first sighting to
// its closing as state (revoked or resolved).
func (m *Metrics) IncidentClosed(provider, state string, sinceFirstSeen time.Duration) {
	m.loop.timeToClose.WithLabelValues(provider, state).Observe(sinceFirstSeen.Seconds())
}

// OpenIncident is one cell of the open-incidents gauge.
type OpenIncident struct {
	Provider, Validity string
	Count              int
}

// SetOpenIncidents replaces the open-incidents gauge with counts (a
// provider and validity absent from counts has none open).
func (m *Metrics) SetOpenIncidents(counts []OpenIncident) {
	m.loop.openIncidents.Reset()
	for _, c := range counts {
		m.loop.openIncidents.WithLabelValues(c.Provider, c.Validity).Set(float64(c.Count))
	}
}
