package setup

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// The credentials file holds the GitHub App's credentials that the setup
// page (setup.go) received from GitHub. serve and worker read it (app's
// configuration, with ReadCredentials) when none of the credential
// variables is set: the environment always wins, as a whole, so one App's
// ID is never paired with another App's key.

// Credentials are what the manifest flow hands over: enough to run the
// App. String and LogValue never show the key or the secret.
type Credentials struct {
	AppID         int64  `json:"app_id"`
	Slug          string `json:"slug,omitempty"`
	HTMLURL       string `json:"html_url,omitempty"`
	APIURL        string `json:"github_api_url,omitempty"` // the GitHub that issued them
	PrivateKey    string `json:"private_key"`              // PEM
	WebhookSecret string `json:"webhook_secret"`
}

// String names the App without its secrets.
func (c Credentials) String() string { return fmt.Sprintf("GitHub App %d (%s)", c.AppID, c.Slug) }

// LogValue logs the App without its secrets.
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(slog.Int64("app_id", c.AppID), slog.String("slug", c.Slug), slog.String("html_url", c.HTMLURL))
}

// check reports what is missing.
func (c Credentials) check() error {
	var missing []string
	if c.AppID <= 0 {
		missing = append(missing, "app_id")
	}
	if !strings.Contains(c.PrivateKey, "PRIVATE KEY") {
		missing = append(missing, "private_key (PEM)")
	}
	if strings.TrimSpace(c.WebhookSecret) == "" {
		missing = append(missing, "webhook_secret")
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing %s", strings.Join(missing, ", "))
	}
	return nil
}

// ReadCredentials reads and checks the credentials file. A missing file is
// an error that matches fs.ErrNotExist.
func ReadCredentials(path string) (Credentials, error) {
	var c Credentials
	b, err := os.ReadFile(path)
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("%s is not a pushguard credentials file: %w", path, err)
	}
	if err := c.check(); err != nil {
		return c, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// WriteCredentials writes c to path with mode 0600, atomically (a temporary
// file in the same folder, then a rename), and never over an existing file.
func WriteCredentials(path string, c Credentials) (err error) {
	if err := c.check(); err != nil {
		return err
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s already exists: move it away first", path)
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".pushguard-credentials-*")
	if err != nil {
		return fmt.Errorf("write credentials: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = f.Chmod(0o600); err != nil {
		return fmt.Errorf("write credentials: %w", err)
	}
	if _, err = f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("write credentials: %w", err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("write credentials: %w", err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("write credentials: %w", err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write credentials: %w", err)
	}
	return nil
}

// checkCredentialsWritable reports why WriteCredentials would fail on path,
// before GitHub creates an App whose credentials could not be kept.
func checkCredentialsWritable(path string) error {
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s already exists", path)
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".pushguard-credentials-*")
	if err != nil {
		return fmt.Errorf("cannot write the credentials file: %w", err)
	}
	f.Close()
	return os.Remove(f.Name())
}
