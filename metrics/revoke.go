package metrics

import "github.com/prometheus/client_golang/prometheus"

// revokeMetrics count GitHub tokens pushguard revoked through GitHub's API,
// and those it could not (a prefix the server does not take, the hourly
// budget spent, a refusal): a rising not_sent is the operator's cue.
type revokeMetrics struct {
	tokens *prometheus.CounterVec
}

func newRevokeMetrics(reg *prometheus.Registry) revokeMetrics {
	r := revokeMetrics{
		tokens: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pushguard_revocations_total",
			Help: "GitHub tokens handed to GitHub's revocation API, by outcome (revoked: accepted with 202; not_sent: not sent or refused)."},
			[]string{"outcome"}),
	}
	reg.MustRegister(r.tokens)
	return r
}

// Revocations counts one revocation's outcome.
func (m *Metrics) Revocations(revoked, notSent int) {
	m.revoke.tokens.WithLabelValues("revoked").Add(float64(revoked))
	m.revoke.tokens.WithLabelValues("not_sent").Add(float64(notSent))
}
