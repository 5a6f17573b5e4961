package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadConfigRefusesBlankSecrets: a secret of only whitespace (spaces, a
// tab, a file holding a blank line) is no secret; every blank one is listed
// with the other problems, at once.
func TestLoadConfigRefusesBlankSecrets(t *testing.T) {
	t.Parallel()
	blankFile := filepath.Join(t.TempDir(), "blank")
	if err := os.WriteFile(blankFile, []byte("   \n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"all three blank, with another problem", map[string]string{
			"GITHUB_WEBHOOK_SECRET": "   ", "PUSHGUARD_FINGERPRINT_KEY": "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t",
			"PUSHGUARD_ADMIN_TOKEN": strings.Repeat(" ", 20), "REDIS_URL": "redis://r", "LOG_FORMAT": "xml",
		}, []string{"GITHUB_WEBHOOK_SECRET", "PUSHGUARD_FINGERPRINT_KEY", "PUSHGUARD_ADMIN_TOKEN", "LOG_FORMAT"}},
		{"blank webhook secret file", map[string]string{"GITHUB_WEBHOOK_SECRET_FILE": blankFile}, []string{"GITHUB_WEBHOOK_SECRET"}},
		{"blank private key", map[string]string{"GITHUB_PRIVATE_KEY": "  ", "GITHUB_WEBHOOK_SECRET": "s"}, []string{"GITHUB_PRIVATE_KEY"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"GITHUB_APP_ID": "12", "GITHUB_PRIVATE_KEY": "PEM DATA"}
			for k, v := range tc.env {
				env[k] = v
			}
			_, err := loadConfig(envOf(env), true)
			if err == nil {
				t.Fatal("blank secrets accepted")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not name %s: %v", w, err)
				}
			}
		})
	}
}
