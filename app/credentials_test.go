package app

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testCredentials are well-formed credentials with recognisable secrets.
func testCredentials() appCredentials {
	return appCredentials{AppID: 77, Slug: "pushguard-acme", HTMLURL: "https://github.com/apps/pushguard-acme",
		APIURL: DefaultGitHubAPIURL, PrivateKey: "-----BEGIN RSA PRIVATE KEY-----\nSECRETKEY\n-----END RSA PRIVATE KEY-----\n",
		WebhookSecret: "SECRETHOOK"}
}

func TestCredentialsFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "creds.json")
	want := testCredentials()
	if err := writeCredentials(path, want); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Errorf("mode %v, want 0600", mode)
	}
	got, err := readCredentials(path)
	if err != nil || got != want {
		t.Errorf("read back %+v, %v", got, err)
	}
	if err := writeCredentials(path, want); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second write: %v, want a refusal to overwrite", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d files in the folder, want only the credentials file (no temporary file left)", len(entries))
	}
}

func TestCredentialsFileRefusesIncomplete(t *testing.T) {
	c := testCredentials()
	c.WebhookSecret = ""
	path := filepath.Join(t.TempDir(), "creds.json")
	if err := writeCredentials(path, c); err == nil || !strings.Contains(err.Error(), "webhook_secret") {
		t.Errorf("write: %v", err)
	}
	if err := os.WriteFile(path, []byte(`{"app_id": 3}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := readCredentials(path); err == nil || !strings.Contains(err.Error(), "private_key") {
		t.Errorf("read: %v", err)
	}
}

func TestCredentialsNeverPrintSecrets(t *testing.T) {
	c := testCredentials()
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("x", "app", c)
	for _, out := range []string{c.String(), fmt.Sprint(c), fmt.Sprintf("%v %s", c, c), logs.String()} {
		if strings.Contains(out, "SECRET") {
			t.Errorf("a secret is shown: %s", out)
		}
	}
	if !strings.Contains(logs.String(), `"app_id":77`) {
		t.Errorf("log %s lacks the App ID", logs.String())
	}
}

func TestLoadConfigCredentialsFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "creds.json")
	if err := writeCredentials(file, testCredentials()); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "none.json")
	broken := filepath.Join(dir, "broken.json")
	if err := os.WriteFile(broken, []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		env         map[string]string
		needWebhook bool
		check       func(t *testing.T, c Config, err error)
	}{
		{"the file when no variable is set", map[string]string{"PUSHGUARD_CREDENTIALS_FILE": file}, true, func(t *testing.T, c Config, err error) {
			if err != nil || c.AppID != 77 || !strings.Contains(string(c.PrivateKey), "SECRETKEY") || string(c.WebhookSecret) != "SECRETHOOK" || c.Setup {
				t.Errorf("config %d %v %v, err %v", c.AppID, c.Setup, string(c.WebhookSecret) == "SECRETHOOK", err)
			}
		}},
		{"the environment wins as a whole", map[string]string{"PUSHGUARD_CREDENTIALS_FILE": file, "GITHUB_APP_ID": "5"}, true, func(t *testing.T, c Config, err error) {
			if err == nil || !strings.Contains(err.Error(), "GITHUB_PRIVATE_KEY") || c.AppID != 5 {
				t.Errorf("app %d, err %v; want the environment's App and its missing key", c.AppID, err)
			}
		}},
		{"serve without any credentials: setup", map[string]string{"PUSHGUARD_CREDENTIALS_FILE": missing}, true, func(t *testing.T, c Config, err error) {
			if err != nil || !c.Setup || c.CredentialsFile != missing {
				t.Errorf("setup %v, file %q, err %v", c.Setup, c.CredentialsFile, err)
			}
		}},
		{"worker without any credentials: required", map[string]string{"PUSHGUARD_CREDENTIALS_FILE": missing}, false, func(t *testing.T, c Config, err error) {
			if err == nil || !strings.Contains(err.Error(), "GITHUB_APP_ID is required") || c.Setup {
				t.Errorf("setup %v, err %v", c.Setup, err)
			}
		}},
		{"a broken file", map[string]string{"PUSHGUARD_CREDENTIALS_FILE": broken}, true, func(t *testing.T, c Config, err error) {
			if err == nil || !strings.Contains(err.Error(), "PUSHGUARD_CREDENTIALS_FILE") || c.Setup {
				t.Errorf("setup %v, err %v", c.Setup, err)
			}
		}},
		{"another GitHub's App", map[string]string{"PUSHGUARD_CREDENTIALS_FILE": file, "GITHUB_API_URL": "https://ghe.example.com/api/v3/"}, true, func(t *testing.T, c Config, err error) {
			if err == nil || !strings.Contains(err.Error(), "GITHUB_API_URL") {
				t.Errorf("err %v", err)
			}
		}},
		{"default path", nil, true, func(t *testing.T, c Config, err error) {
			if c.CredentialsFile != DefaultCredentialsFile {
				t.Errorf("credentials file %q", c.CredentialsFile)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := loadConfig(envOf(tt.env), tt.needWebhook)
			tt.check(t, c, err)
		})
	}
}

func TestCredentialsWritableCheck(t *testing.T) {
	dir := t.TempDir()
	if err := checkCredentialsWritable(filepath.Join(dir, "creds.json")); err != nil {
		t.Errorf("writable folder: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the check left %d files", len(entries))
	}
	if err := checkCredentialsWritable(filepath.Join(dir, "no", "creds.json")); err == nil {
		t.Error("a missing folder passes")
	}
	existing := filepath.Join(dir, "old.json")
	if err := os.WriteFile(existing, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := checkCredentialsWritable(existing); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("existing file: %v", err)
	}
}
