package app

import (
	"strings"
	"testing"

	"github.com/pushguard/pushguard/fairness"
)

// TestFairnessConfig: the per-installation settings take their defaults,
// accept a count, and name themselves when refused.
func TestFairnessConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, value string
		want        int
		problem     bool
		got         func(Config) int
	}{
		{"PUSHGUARD_INSTALLATION_CONCURRENCY", "", fairness.DefaultPerInstallation, false, func(c Config) int { return c.InstallationConcurrency }},
		{"PUSHGUARD_INSTALLATION_CONCURRENCY", "12", 12, false, func(c Config) int { return c.InstallationConcurrency }},
		{"PUSHGUARD_INSTALLATION_CONCURRENCY", "0", 0, true, nil},
		{"PUSHGUARD_GITHUB_WRITES_PER_MINUTE", "", fairness.DefaultWritesPerMinute, false, func(c Config) int { return c.GitHubWritesPerMinute }},
		{"PUSHGUARD_GITHUB_WRITES_PER_MINUTE", "40", 40, false, func(c Config) int { return c.GitHubWritesPerMinute }},
		{"PUSHGUARD_GITHUB_WRITES_PER_MINUTE", "many", 0, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name+"="+tt.value, func(t *testing.T) {
			env := map[string]string{tt.name: tt.value, "PUSHGUARD_CREDENTIALS_FILE": t.TempDir() + "/none.json"}
			c, err := loadConfig(func(k string) string { return env[k] }, false)
			named := err != nil && strings.Contains(err.Error(), tt.name)
			if named != tt.problem {
				t.Fatalf("error %v; want a %s problem: %v", err, tt.name, tt.problem)
			}
			if !tt.problem && tt.got(c) != tt.want {
				t.Errorf("%s = %d, want %d", tt.name, tt.got(c), tt.want)
			}
		})
	}
}
