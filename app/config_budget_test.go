package app

import (
	"strings"
	"testing"
	"time"

	"github.com/pushguard/pushguard/worker"
)

func TestScanBudgetConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		value   string
		want    time.Duration
		problem bool
	}{
		{"", worker.DefaultScanBudget, false},
		{"90s", 90 * time.Second, false},
		{"500ms", 0, true},
		{"1h", 0, true},
		{"soon", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			env := map[string]string{"PUSHGUARD_SCAN_BUDGET": tt.value, "PUSHGUARD_CREDENTIALS_FILE": t.TempDir() + "/none.json"}
			c, err := loadConfig(func(k string) string { return env[k] }, false)
			named := err != nil && strings.Contains(err.Error(), "PUSHGUARD_SCAN_BUDGET")
			if named != tt.problem {
				t.Fatalf("error %v; want a PUSHGUARD_SCAN_BUDGET problem: %v", err, tt.problem)
			}
			if !tt.problem && c.ScanBudget != tt.want {
				t.Errorf("budget %v, want %v", c.ScanBudget, tt.want)
			}
		})
	}
}
