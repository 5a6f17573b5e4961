package metrics

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/pushguard/pushguard/queue"
	"github.com/pushguard/pushguard/webhook"
)

// Metrics are the App's Prometheus metrics, on a registry of their own (no
// global state). They count; they never carry a secret or a finding's value.
type Metrics struct {
	reg              *prometheus.Registry
	webhooks         *prometheus.CounterVec
	webhookSeconds   prometheus.Histogram
	jobs             *prometheus.CounterVec
	jobSeconds       *prometheus.HistogramVec
	scanBytes        prometheus.Counter
	scanSeconds      prometheus.Histogram
	findings         *prometheus.CounterVec
	githubCalls      *prometheus.CounterVec
	rateRemaining    *prometheus.GaugeVec
	redeliveries     prometheus.Counter
	signatureFailure prometheus.Counter
	bodyErrors       *prometheus.CounterVec
	leases           *prometheus.CounterVec
	loop             loopMetrics
}

// Lease events, as counted by Lease.
const (
	LeaseBusy      = "busy"       // a job rescheduled: another holds its head SHA
	LeaseTakenOver = "taken_over" // from an earlier try of the same job
	LeaseLost      = "lost"       // the job stopped and is retried
)

// New registers the App's metrics, and the depth of q when it is not nil.
func New(q *queue.Queue) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		webhooks: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pushguard_webhooks_total",
			Help: "Webhook deliveries received, by event and outcome."}, []string{"event", "outcome"}),
		webhookSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "pushguard_webhook_duration_seconds",
			Help: "Time to answer a webhook delivery.", Buckets: prometheus.ExponentialBuckets(0.0001, 2, 16)}),
		jobs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pushguard_jobs_total",
			Help: "Tries of jobs, by kind and outcome (ok, retry, rescheduled, dead)."}, []string{"kind", "outcome"}),
		jobSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "pushguard_job_duration_seconds",
			Help: "Duration of one try of a job.", Buckets: prometheus.ExponentialBuckets(0.01, 2, 14)}, []string{"kind"}),
		scanBytes: prometheus.NewCounter(prometheus.CounterOpts{Name: "pushguard_scan_bytes_total",
			Help: "Bytes of added lines (and whole files) scanned."}),
		scanSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "pushguard_scan_duration_seconds",
			Help: "Time to scan one file's patch or content.", Buckets: prometheus.ExponentialBuckets(0.00001, 4, 12)}),
		findings: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pushguard_findings_total",
			Help: "Findings reported in check runs, by rule and provider (counts only)."}, []string{"rule", "provider"}),
		githubCalls: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pushguard_github_requests_total",
			Help: "GitHub API requests, by endpoint and status."}, []string{"method", "endpoint", "status"}),
		rateRemaining: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "pushguard_github_rate_limit_remaining",
			Help: "Last x-ratelimit-remaining seen, by installation (0 for the App itself)."}, []string{"installation"}),
		redeliveries: prometheus.NewCounter(prometheus.CounterOpts{Name: "pushguard_sweeper_redeliveries_total",
			Help: "Failed webhook deliveries the sweeper asked GitHub to redeliver."}),
		signatureFailure: prometheus.NewCounter(prometheus.CounterOpts{Name: "pushguard_webhook_signature_failures_total",
			Help: "Deliveries refused for a bad or missing signature."}),
		bodyErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pushguard_webhook_body_errors_total",
			Help: "Deliveries whose body could not be read whole (body_error: cut short; body_timeout: too slow), or that were refused unread because too many bytes of unverified bodies were in flight (overloaded)."},
			[]string{"outcome"}),
		leases: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pushguard_sha_leases_total",
			Help: "Per-head-SHA lease events: busy (job rescheduled, another holds it), taken_over (from an earlier try of the same job), lost (job stopped and retried)."}, []string{"event"}),
	}
	m.reg.MustRegister(m.webhooks, m.webhookSeconds, m.jobs, m.jobSeconds, m.scanBytes, m.scanSeconds,
		m.findings, m.githubCalls, m.rateRemaining, m.redeliveries, m.signatureFailure, m.bodyErrors, m.leases,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.loop = newLoopMetrics(m.reg)
	if q != nil {
		m.reg.MustRegister(queueCollector{q: q, desc: prometheus.NewDesc("pushguard_queue_jobs",
			"Jobs in the queue, by state (pending, active, scheduled, retry, dead).", []string{"state"}, nil)})
	}
	return m
}

// Handler serves /metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Webhook observes one delivery (the webhook package's Observer).
func (m *Metrics) Webhook(event, outcome string, took time.Duration) {
	m.webhooks.WithLabelValues(event, outcome).Inc()
	m.webhookSeconds.Observe(took.Seconds())
	switch outcome {
	case webhook.OutcomeBadSignature:
		m.signatureFailure.Inc()
	case webhook.OutcomeBodyError, webhook.OutcomeBodyTimeout, webhook.OutcomeOverloaded:
		m.bodyErrors.WithLabelValues(outcome).Inc()
	}
}

// JobDone observes one try of a job.
func (m *Metrics) JobDone(job queue.Job, err error, took time.Duration) {
	outcome := "ok"
	switch _, rescheduled := queue.RescheduledAt(err); {
	case rescheduled:
		outcome = "rescheduled"
	case err != nil:
		outcome = "retry"
	}
	m.jobs.WithLabelValues(string(job.Kind), outcome).Inc()
	m.jobSeconds.WithLabelValues(string(job.Kind)).Observe(took.Seconds())
}

// JobDead counts a job sent to the dead-letter store.
func (m *Metrics) JobDead(job queue.Job) {
	m.jobs.WithLabelValues(string(job.Kind), "dead").Inc()
}

// Lease counts one per-head-SHA lease event (LeaseBusy, ...).
func (m *Metrics) Lease(event string) { m.leases.WithLabelValues(event).Inc() }

// Finding counts one active finding reported in a check run: its rule and
// provider, never its value.
func (m *Metrics) Finding(rule, provider string) { m.findings.WithLabelValues(rule, provider).Inc() }

// Scanned observes the scan of one file's patch or content.
func (m *Metrics) Scanned(bytes int64, took time.Duration) {
	m.scanBytes.Add(float64(bytes))
	m.scanSeconds.Observe(took.Seconds())
}

// Redelivered counts one delivery the sweeper asked GitHub to redeliver.
func (m *Metrics) Redelivered() { m.redeliveries.Inc() }

// RateRemaining records the x-ratelimit-remaining an installation last saw.
func (m *Metrics) RateRemaining(installation int64, remaining int) {
	m.rateRemaining.WithLabelValues(strconv.FormatInt(installation, 10)).Set(float64(remaining))
}

// Transport counts every GitHub request made through base (token requests
// included) by endpoint and status; base is http.DefaultTransport when nil.
// It goes under ghinstallation.
func (m *Metrics) Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return countingTransport{base: base, m: m}
}

// queueCollector reads the queue's depth at scrape time.
type queueCollector struct {
	q    *queue.Queue
	desc *prometheus.Desc
}

func (c queueCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	st, err := c.q.Stats(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	for state, n := range map[string]int{"pending": st.Pending, "active": st.Active, "scheduled": st.Scheduled, "retry": st.Retry, "dead": st.Dead} {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n), state)
	}
}

// countingTransport counts every GitHub request (token requests included)
// by endpoint and status. It sits under ghinstallation.
type countingTransport struct {
	base http.RoundTripper
	m    *Metrics
}

func (t countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r)
	status := "error"
	if err == nil {
		status = strconv.Itoa(resp.StatusCode)
	}
	t.m.githubCalls.WithLabelValues(r.Method, endpointOf(r.URL.Path), status).Inc()
	return resp, err
}

// numSegment is a numeric path segment (an ID); SHAs are queue.ValidSHA's.
var numSegment = regexp.MustCompile(`^[0-9]+$`)

// endpointOf turns a request path into a low-cardinality endpoint name:
// /repos/{owner}/{repo}/commits/{sha}, /app/installations/{id}/access_tokens.
func endpointOf(path string) string {
	if i := strings.Index(path, "/api/v3/"); i >= 0 {
		path = path[i+len("/api/v3"):]
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i, s := range segs {
		switch {
		case segs[0] == "repos" && i == 1:
			segs[i] = "{owner}"
		case segs[0] == "repos" && i == 2:
			segs[i] = "{repo}"
		case i > 0 && (segs[i-1] == "contents" || (i > 3 && segs[3] == "contents")):
			segs = append(segs[:i], "{path}")
			return "/" + strings.Join(segs, "/")
		case queue.ValidSHA(s):
			segs[i] = "{sha}"
		case numSegment.MatchString(s):
			segs[i] = "{id}"
		case i > 0 && segs[i-1] == "compare":
			return "/" + strings.Join(append(segs[:i], "{basehead}"), "/") // a branch may hold slashes
		case i > 0 && (segs[i-1] == "collaborators" || segs[i-1] == "memberships"):
			segs[i] = "{user}"
		case segs[0] == "orgs" && (i == 1 || i == 3 && segs[2] == "teams"):
			segs[i] = "{name}"
		}
	}
	return "/" + strings.Join(segs, "/")
}
