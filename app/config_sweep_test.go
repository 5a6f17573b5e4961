package app

import (
	"testing"
	"time"

	"github.com/pushguard/pushguard/sweeper"
)

func TestSweepIntervalConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		env     string
		want    time.Duration
		wantErr bool
	}{
		{"", sweeper.DefaultSweepInterval, false},
		{"0", 0, false},
		{"90s", 90 * time.Second, false},
		{"1s", 0, true},
		{"-2m", 0, true},
		{"often", 0, true},
	}
	for _, tt := range tests {
		env := map[string]string{"GITHUB_APP_ID": "1", "GITHUB_PRIVATE_KEY": "pem", "PUSHGUARD_SWEEP_INTERVAL": tt.env}
		c, err := loadConfig(func(k string) string { return env[k] }, false)
		if (err != nil) != tt.wantErr || err == nil && c.SweepInterval != tt.want {
			t.Errorf("PUSHGUARD_SWEEP_INTERVAL=%q: got %v, %v; want %v, error %v", tt.env, c.SweepInterval, err, tt.want, tt.wantErr)
		}
	}
}
