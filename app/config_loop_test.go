package app

import (
	"maps"
	"strings"
	"testing"

	"github.com/pushguard/pushguard/worker"
)

func TestLoadLoopConfig(t *testing.T) {
	t.Parallel()
	base := map[string]string{"GITHUB_APP_ID": "12", "GITHUB_PRIVATE_KEY": "PEM", "GITHUB_WEBHOOK_SECRET": "s"}
	tests := []struct {
		name    string
		env     map[string]string
		want    LoopConfig
		wantErr []string
	}{
		{"off by default, level any", nil, LoopConfig{AlertLevel: worker.AlertLevelAny}, nil},
		{"validity on: level live", map[string]string{"PUSHGUARD_VALIDITY_CHECKS": "true"},
			LoopConfig{ValidityChecks: true, AlertLevel: worker.AlertLevelLive}, nil},
		{"webhook with secret, level any", map[string]string{"PUSHGUARD_VALIDITY_CHECKS": "1", "PUSHGUARD_ALERT_LEVEL": "any",
			"PUSHGUARD_ALERT_WEBHOOK_URL": "https://hooks.example.com/pg", "PUSHGUARD_ALERT_WEBHOOK_SECRET": "sign-me"},
			LoopConfig{ValidityChecks: true, AlertLevel: worker.AlertLevelAny, AlertWebhookURL: "https://hooks.example.com/pg", AlertWebhookSecret: []byte("sign-me")}, nil},
		{"webhook without secret", map[string]string{"PUSHGUARD_ALERT_WEBHOOK_URL": "https://hooks.example.com/pg"},
			LoopConfig{}, []string{"PUSHGUARD_ALERT_WEBHOOK_SECRET (or PUSHGUARD_ALERT_WEBHOOK_SECRET_FILE) is required"}},
		{"blank secret", map[string]string{"PUSHGUARD_ALERT_WEBHOOK_URL": "https://hooks.example.com/pg", "PUSHGUARD_ALERT_WEBHOOK_SECRET": "   "},
			LoopConfig{}, []string{"PUSHGUARD_ALERT_WEBHOOK_SECRET is blank"}},
		{"secret without webhook", map[string]string{"PUSHGUARD_ALERT_WEBHOOK_SECRET": "sign-me"},
			LoopConfig{}, []string{"PUSHGUARD_ALERT_WEBHOOK_URL is not"}},
		{"plain http slack, bad level, bad switch", map[string]string{"PUSHGUARD_SLACK_WEBHOOK_URL": "http://hooks.slack.com/services/x",
			"PUSHGUARD_ALERT_LEVEL": "all", "PUSHGUARD_VALIDITY_CHECKS": "yes"},
			LoopConfig{}, []string{"slack URL must be https", "PUSHGUARD_ALERT_LEVEL must be live or any", "PUSHGUARD_VALIDITY_CHECKS must be true or false"}},
		{"level live without checks", map[string]string{"PUSHGUARD_SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/x", "PUSHGUARD_ALERT_LEVEL": "live"},
			LoopConfig{}, []string{"PUSHGUARD_ALERT_LEVEL=live needs PUSHGUARD_VALIDITY_CHECKS=true"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := maps.Clone(base)
			maps.Copy(env, tc.env)
			c, err := loadConfig(envOf(env), true)
			if len(tc.wantErr) > 0 {
				for _, w := range tc.wantErr {
					if err == nil || !strings.Contains(err.Error(), w) {
						t.Errorf("error %v, want it to say %q", err, w)
					}
				}
				if err != nil && strings.Contains(err.Error(), "sign-me") {
					t.Error("the error quotes the signing secret")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := c.Loop
			if got.ValidityChecks != tc.want.ValidityChecks || got.AlertLevel != tc.want.AlertLevel || got.AlertWebhookURL != tc.want.AlertWebhookURL ||
				string(got.AlertWebhookSecret) != string(tc.want.AlertWebhookSecret) || got.SlackWebhookURL != tc.want.SlackWebhookURL {
				t.Errorf("loop config %+v, want %+v", got, tc.want)
			}
		})
	}
}
