package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pushguard/pushguard/ghapp"
	"github.com/pushguard/pushguard/setup"
)

// testCredentials are well-formed credentials with recognisable secrets.
func testCredentials() setup.Credentials {
	return setup.Credentials{AppID: 77, Slug: "pushguard-acme", HTMLURL: "https://github.com/apps/pushguard-acme",
		APIURL: ghapp.DefaultAPIURL, PrivateKey: "-----BEGIN RSA PRIVATE KEY-----\nSECRETKEY\n-----END RSA PRIVATE KEY-----\n",
		WebhookSecret: "SECRETHOOK"}
}

func TestLoadConfigCredentialsFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "creds.json")
	if err := setup.WriteCredentials(file, testCredentials()); err != nil {
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
