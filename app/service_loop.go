package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/pushguard/pushguard/alert"
	"github.com/pushguard/pushguard/incident"
	"github.com/pushguard/pushguard/internal/logkey"
	"github.com/pushguard/pushguard/metrics"
	"github.com/pushguard/pushguard/validity"
	"github.com/pushguard/pushguard/worker"
)

// openIncidentsRefresh is how often the open-incidents gauge is recounted.
const openIncidentsRefresh = 30 * time.Second

// loopOptions are what tests change in closing the loop: where verifiers
// and alert receivers are reached. Production leaves them zero; nothing in
// a repository, a webhook or a diff can set them.
type loopOptions struct {
	// validityClient dials local fakes while URLs keep each provider's
	// official host (validity.Options.HTTPClient).
	validityClient *http.Client
	// validityGitHubURL replaces GITHUB_API_URL for the GitHub verifier
	// (the fake GitHub serves http, which the verifier refuses).
	validityGitHubURL string
	// validityTimeout bounds one check (validity.DefaultTimeout when 0).
	validityTimeout time.Duration
	// alertHTTP reaches the alert receivers (AllowHTTP for httptest).
	alertHTTP alert.HTTPOptions
}

// loopParts are the validity checker, the incident store and the alert
// dispatcher (nil when off) the worker is given.
type loopParts struct {
	validity  *validity.Checker
	incidents *incident.Store
	alerts    *alert.Dispatcher
}

// newLoop builds the parts of closing the loop from the configuration.
func (s *service) newLoop(o loopOptions) (loopParts, error) {
	var p loopParts
	var err error
	p.incidents, err = incident.New(incident.Config{Redis: s.rdb, Prefix: s.store.Prefix(),
		Observer: incident.ObserverFunc(func(provider string, to incident.State, d time.Duration) {
			s.metrics.IncidentClosed(provider, string(to), d)
		})})
	if err != nil {
		return p, err
	}
	lc := s.cfg.Loop
	if lc.ValidityChecks {
		gh := o.validityGitHubURL
		if gh == "" {
			gh = s.cfg.APIURL
		}
		if p.validity, err = validity.New(validity.Options{HTTPClient: o.validityClient, GitHubAPIURL: gh, Timeout: o.validityTimeout, Logger: s.log}); err != nil {
			return p, err
		}
	}
	senders, err := alertSenders(lc, o.alertHTTP)
	if err != nil || len(senders) == 0 {
		return p, err
	}
	p.alerts, err = alert.New(alert.Config{Redis: s.rdb, Prefix: s.store.Prefix(), Senders: senders, Logger: s.log,
		Observer: alert.ObserverFunc(s.metrics.AlertResult)})
	return p, err
}

// alertSenders are the configured receivers.
func alertSenders(lc LoopConfig, o alert.HTTPOptions) ([]alert.Sender, error) {
	var out []alert.Sender
	if lc.SlackWebhookURL != "" {
		sl, err := alert.NewSlack(lc.SlackWebhookURL, o)
		if err != nil {
			return nil, fmt.Errorf("PUSHGUARD_SLACK_WEBHOOK_URL: %w", err)
		}
		out = append(out, sl)
	}
	if lc.AlertWebhookURL != "" {
		wh, err := alert.NewWebhook(lc.AlertWebhookURL, string(lc.AlertWebhookSecret), o)
		if err != nil {
			return nil, fmt.Errorf("PUSHGUARD_ALERT_WEBHOOK_URL: %w", err)
		}
		out = append(out, wh)
	}
	return out, nil
}

// workerLoop fills the worker options of closing the loop.
func (p loopParts) workerLoop(o *worker.Options, level string) {
	o.Validity, o.Incidents, o.Alerts, o.AlertLevel = p.validity, p.incidents, p.alerts, level
}

// runLoop runs the alert dispatcher and keeps the open-incidents gauge
// current until ctx ends.
func (s *service) runLoop(ctx context.Context) {
	done := make(chan struct{})
	if s.loop.alerts != nil {
		go func() {
			defer close(done)
			if err := s.loop.alerts.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
				s.log.Error("alert dispatcher stopped", logkey.Error, err.Error())
			}
		}()
	} else {
		close(done)
	}
	t := time.NewTicker(openIncidentsRefresh)
	defer t.Stop()
	for {
		s.refreshOpenIncidents(ctx)
		select {
		case <-ctx.Done():
			<-done
			return
		case <-t.C:
		}
	}
}

// refreshOpenIncidents recounts the open incidents for the gauge.
func (s *service) refreshOpenIncidents(ctx context.Context) {
	counts, err := s.loop.incidents.OpenCounts(ctx)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Warn("count open incidents", logkey.Error, err.Error())
		}
		return
	}
	cells := make([]metrics.OpenIncident, len(counts))
	for i, c := range counts {
		cells[i] = metrics.OpenIncident{Provider: c.Provider, Validity: c.Validity, Count: c.Count}
	}
	s.metrics.SetOpenIncidents(cells)
}
