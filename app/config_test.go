package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pushguard/pushguard/cli"
	"github.com/pushguard/pushguard/ghapp"
	"github.com/pushguard/pushguard/worker"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadConfigListsEveryProblem(t *testing.T) {
	t.Parallel()
	_, err := loadConfig(envOf(map[string]string{
		"GITHUB_APP_ID": "abc", "LOG_FORMAT": "xml", "GITHUB_API_URL": "ftp://x", "REDIS_URL": "http://r",
		"PUSHGUARD_WORKERS": "0",
	}), true)
	if err == nil {
		t.Fatal("bad configuration accepted")
	}
	for _, want := range []string{"GITHUB_APP_ID", "GITHUB_PRIVATE_KEY", "GITHUB_WEBHOOK_SECRET", "LOG_FORMAT",
		"GITHUB_API_URL", "REDIS_URL", "PUSHGUARD_WORKERS", "PUSHGUARD_FINGERPRINT_KEY"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s: %v", want, err)
		}
	}
}

func TestLoadConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key.pem")
	if err := os.WriteFile(keyFile, []byte("PEM DATA\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	base := map[string]string{"GITHUB_APP_ID": "12", "GITHUB_PRIVATE_KEY_FILE": keyFile, "GITHUB_WEBHOOK_SECRET": "s"}
	tests := []struct {
		name  string
		extra map[string]string
		check func(t *testing.T, c Config, err error)
	}{
		{"defaults, embedded", nil, func(t *testing.T, c Config, err error) {
			if err != nil {
				t.Fatal(err)
			}
			if string(c.PrivateKey) != "PEM DATA" || c.Addr != DefaultAddr || c.APIURL != ghapp.DefaultAPIURL || !c.Embedded() ||
				!c.FingerprintKeyGenerated || len(c.FingerprintKey) != 32 || c.MaxCommits != worker.DefaultMaxCommits {
				t.Errorf("config %+v", c)
			}
		}},
		{"enterprise server", map[string]string{"GITHUB_API_URL": "https://ghe.example.com/api/v3"}, func(t *testing.T, c Config, err error) {
			if err != nil || c.APIURL != "https://ghe.example.com/api/v3/" {
				t.Errorf("api url %q, err %v", c.APIURL, err)
			}
		}},
		{"redis needs a fingerprint key", map[string]string{"REDIS_URL": "rediss://:pw@redis:6380/1"}, func(t *testing.T, c Config, err error) {
			if err == nil || !strings.Contains(err.Error(), "PUSHGUARD_FINGERPRINT_KEY") {
				t.Errorf("err %v", err)
			}
		}},
		{"short fingerprint key", map[string]string{"REDIS_URL": "redis://r", "PUSHGUARD_FINGERPRINT_KEY": "short"}, func(t *testing.T, c Config, err error) {
			if err == nil || !strings.Contains(err.Error(), "16 bytes") {
				t.Errorf("err %v", err)
			}
		}},
		{"secret and file both set", map[string]string{"GITHUB_WEBHOOK_SECRET_FILE": keyFile}, func(t *testing.T, c Config, err error) {
			if err == nil || !strings.Contains(err.Error(), "not both") {
				t.Errorf("err %v", err)
			}
		}},
		{"missing file", map[string]string{"GITHUB_PRIVATE_KEY_FILE": filepath.Join(dir, "nope")}, func(t *testing.T, c Config, err error) {
			if err == nil || !strings.Contains(err.Error(), "GITHUB_PRIVATE_KEY_FILE") {
				t.Errorf("err %v", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range base {
				env[k] = v
			}
			for k, v := range tt.extra {
				env[k] = v
			}
			c, err := loadConfig(envOf(env), true)
			tt.check(t, c, err)
		})
	}
}

// TestServeRefusesEmptySecret: serve will not start without a webhook secret.
// (With no credential variable at all it would run the setup page instead.)
func TestServeRefusesEmptySecret(t *testing.T) {
	t.Setenv("GITHUB_APP_ID", "1")
	t.Setenv("GITHUB_PRIVATE_KEY", "pem")
	r := run(t, "", "serve")
	if r.code != cli.ExitError || !strings.Contains(r.stderr, "GITHUB_WEBHOOK_SECRET") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestBoolFlagsKeepTheirWords: each boolean variable accepts the words it
// always has (in any case, unset being false), and no others.
func TestBoolFlagsKeepTheirWords(t *testing.T) {
	t.Parallel()
	flags := []struct {
		name    string
		read    func(*envReader) bool
		yes, no []string
		refused []string
	}{
		{"PUSHGUARD_AUTO_REVOKE_PUBLIC", func(r *envReader) bool { var c Config; r.revocation(&c); return c.AutoRevokePublic },
			[]string{"true", "TRUE"}, []string{"", "false", "False"}, []string{"1", "0", "on", "off", "yes"}},
		{"PUSHGUARD_VALIDITY_CHECKS", func(r *envReader) bool { return r.loop().ValidityChecks },
			[]string{"true", "1", "True"}, []string{"", "false", "0", "FALSE"}, []string{"on", "off", "yes"}},
		{"REDIS_TLS", func(r *envReader) bool { return r.redis().TLS },
			[]string{"true", "1", "on", "ON"}, []string{"", "false", "0", "off", "Off"}, []string{"yes", "no", "2"}},
	}
	for _, f := range flags {
		for want, words := range map[bool][]string{true: f.yes, false: f.no} {
			for _, w := range words {
				t.Run(f.name+"="+w, func(t *testing.T) {
					r := &envReader{getenv: envOf(map[string]string{f.name: w})}
					if got := f.read(r); got != want || strings.Contains(strings.Join(r.problems, "\n"), "must be true or false") {
						t.Errorf("%s=%q: %v, problems %q; want %v and no problem", f.name, w, got, r.problems, want)
					}
				})
			}
		}
		for _, w := range f.refused {
			t.Run(f.name+"="+w, func(t *testing.T) {
				r := &envReader{getenv: envOf(map[string]string{f.name: w})}
				if got := f.read(r); got || !strings.Contains(strings.Join(r.problems, "\n"), f.name+" must be true or false, not ") {
					t.Errorf("%s=%q: %v, problems %q; want false and a problem", f.name, w, got, r.problems)
				}
			})
		}
	}
}
