package app

import (
	"slices"
	"strings"
	"testing"
)

func TestRevocationConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		auto, prefixes string
		wantAuto       bool
		wantPrefixes   []string
		wantErr        string
	}{
		{"", "", false, nil, ""},
		{"TRUE", "", true, nil, ""},
		{"false", " ghp_ , github_pat_,gho_ ", false, []string{"ghp_", "github_pat_", "gho_"}, ""},
		{"yes", "", false, nil, "PUSHGUARD_AUTO_REVOKE_PUBLIC"},
		{"", "ghp_,xoxb-", false, nil, "PUSHGUARD_REVOKE_PREFIXES"},
	}
	for _, tt := range tests {
		t.Run(tt.auto+"|"+tt.prefixes, func(t *testing.T) {
			env := map[string]string{"GITHUB_APP_ID": "1", "GITHUB_PRIVATE_KEY": "pem",
				"PUSHGUARD_AUTO_REVOKE_PUBLIC": tt.auto, "PUSHGUARD_REVOKE_PREFIXES": tt.prefixes}
			c, err := loadConfig(func(k string) string { return env[k] }, false)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("err %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil || c.AutoRevokePublic != tt.wantAuto || !slices.Equal(c.RevokePrefixes, tt.wantPrefixes) {
				t.Errorf("got %v, %v, %v; want %v, %v", c.AutoRevokePublic, c.RevokePrefixes, err, tt.wantAuto, tt.wantPrefixes)
			}
		})
	}
}
