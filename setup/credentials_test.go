package setup

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
func testCredentials() Credentials {
	return Credentials{AppID: 77, Slug: "pushguard-acme", HTMLURL: "https://github.com/apps/pushguard-acme",
		APIURL: "https://api.github.com/", PrivateKey: "-----BEGIN RSA PRIVATE KEY-----\nSECRETKEY\n-----END RSA PRIVATE KEY-----\n",
		WebhookSecret: "SECRETHOOK"}
}

func TestCredentialsFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "creds.json")
	want := testCredentials()
	if err := WriteCredentials(path, want); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Errorf("mode %v, want 0600", mode)
	}
	got, err := ReadCredentials(path)
	if err != nil || got != want {
		t.Errorf("read back %+v, %v", got, err)
	}
	if err := WriteCredentials(path, want); err == nil || !strings.Contains(err.Error(), "already exists") {
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
	if err := WriteCredentials(path, c); err == nil || !strings.Contains(err.Error(), "webhook_secret") {
		t.Errorf("write: %v", err)
	}
	if err := os.WriteFile(path, []byte(`{"app_id": 3}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadCredentials(path); err == nil || !strings.Contains(err.Error(), "private_key") {
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

// TestCredentialsFileRefusesBlankWebhookSecret: the credentials file is held
// to the same rule as the environment: a secret of only whitespace is
// missing.
func TestCredentialsFileRefusesBlankWebhookSecret(t *testing.T) {
	c := testCredentials()
	c.WebhookSecret = "  \t "
	if err := c.check(); err == nil || !strings.Contains(err.Error(), "webhook_secret") {
		t.Errorf("check: %v", err)
	}
}
