package app

import (
	"strings"

	"github.com/pushguard/pushguard/alert"
	"github.com/pushguard/pushguard/worker"
)

// LoopConfig is the configuration of closing the loop on a leak: validity
// checks, and alerts to the security team.
type LoopConfig struct {
	// ValidityChecks (PUSHGUARD_VALIDITY_CHECKS) asks each key's provider
	// whether the key is live; off by default. A repository may still opt
	// out with validity: false.
	ValidityChecks bool
	// SlackWebhookURL (PUSHGUARD_SLACK_WEBHOOK_URL[_FILE]) is a Slack
	// incoming webhook; it is a credential, so it may come from a file.
	SlackWebhookURL string
	// AlertWebhookURL (PUSHGUARD_ALERT_WEBHOOK_URL) receives signed JSON
	// alerts; AlertWebhookSecret (PUSHGUARD_ALERT_WEBHOOK_SECRET[_FILE]) signs
	// them and is required with it.
	AlertWebhookURL    string
	AlertWebhookSecret []byte
	// AlertLevel (PUSHGUARD_ALERT_LEVEL): worker.AlertLevelLive or
	// worker.AlertLevelAny. Default: live with validity checks on, else any.
	AlertLevel string
}

// Alerting reports whether any alert receiver is configured.
func (c LoopConfig) Alerting() bool { return c.SlackWebhookURL != "" || c.AlertWebhookURL != "" }

// loop reads the LoopConfig, recording every problem.
func (r *envReader) loop() LoopConfig {
	var c LoopConfig
	c.ValidityChecks = r.bool("PUSHGUARD_VALIDITY_CHECKS", []string{"true", "1"}, []string{"false", "0"})
	c.SlackWebhookURL = string(r.secret("PUSHGUARD_SLACK_WEBHOOK_URL", false))
	c.AlertWebhookURL = r.str("PUSHGUARD_ALERT_WEBHOOK_URL", "")
	c.AlertWebhookSecret = r.secret("PUSHGUARD_ALERT_WEBHOOK_SECRET", c.AlertWebhookURL != "")
	r.check(c.AlertWebhookURL != "" || len(c.AlertWebhookSecret) == 0,
		"PUSHGUARD_ALERT_WEBHOOK_SECRET is set but PUSHGUARD_ALERT_WEBHOOK_URL is not")
	if c.SlackWebhookURL != "" {
		_, err := alert.NewSlack(c.SlackWebhookURL, alert.HTTPOptions{})
		r.ok(err)
	}
	if c.AlertWebhookURL != "" && len(c.AlertWebhookSecret) > 0 {
		_, err := alert.NewWebhook(c.AlertWebhookURL, string(c.AlertWebhookSecret), alert.HTTPOptions{})
		r.ok(err)
	}
	def := worker.AlertLevelAny
	if c.ValidityChecks {
		def = worker.AlertLevelLive
	}
	c.AlertLevel = strings.ToLower(r.str("PUSHGUARD_ALERT_LEVEL", def))
	r.check(c.AlertLevel == worker.AlertLevelLive || c.AlertLevel == worker.AlertLevelAny,
		"PUSHGUARD_ALERT_LEVEL must be live or any, not %q", c.AlertLevel)
	r.check(c.AlertLevel != worker.AlertLevelLive || c.ValidityChecks || !c.Alerting(),
		"PUSHGUARD_ALERT_LEVEL=live needs PUSHGUARD_VALIDITY_CHECKS=true: without checks no key is ever live, so no alert would be sent")
	return c
}
