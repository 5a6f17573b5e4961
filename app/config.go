package app

import (
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pushguard/pushguard/fairness"
	"github.com/pushguard/pushguard/ghapp"
	"github.com/pushguard/pushguard/revoke"
	"github.com/pushguard/pushguard/store"
	"github.com/pushguard/pushguard/sweeper"
	"github.com/pushguard/pushguard/worker"
)

// Defaults of the App's configuration.
const (
	DefaultAddr    = ":8080"
	DefaultWorkers = 8
	// DefaultCredentialsFile is where the setup page stores the App's
	// credentials, relative to the working directory.
	DefaultCredentialsFile = "pushguard-credentials.json"
)

// Config is the App's configuration, read from the environment in one place
// and validated at start-up with every problem listed at once. Secrets may
// come from a file (the _FILE variants), as Kubernetes mounts them.
type Config struct {
	AppID          int64
	PrivateKey     []byte // PEM
	WebhookSecret  []byte
	APIURL         string      // with a trailing slash
	Redis          store.Redis // REDIS_URL, Sentinel or Cluster; zero: an embedded, in-memory Redis
	Addr           string
	Workers        int
	FingerprintKey []byte
	// FingerprintKeyGenerated is set when the key was made up at start-up
	// (embedded mode only): fingerprints and dismissals do not survive a
	// restart then.
	FingerprintKeyGenerated bool
	MaxCommits              int
	// InstallationConcurrency caps one installation's running jobs across
	// every replica; 0: fairness.DefaultPerInstallation.
	InstallationConcurrency int
	// GitHubWritesPerMinute caps one installation's content-creating
	// requests a minute; 0: fairness.DefaultWritesPerMinute.
	GitHubWritesPerMinute int
	// ScanBudget is how long one job may spend scanning files; files left
	// when it runs out are named as not scanned. 0: worker.DefaultScanBudget.
	ScanBudget time.Duration
	// AdminToken guards the audit API; empty disables it.
	AdminToken    []byte
	SweepInterval time.Duration // between redelivery sweeps; 0: none
	LogLevel      slog.Level
	LogFormat     string // json or text
	// CredentialsFile holds the App's credentials when no credential
	// variable is set (see config_credentials.go and the setup package).
	CredentialsFile string
	// AutoRevokePublic revokes the GitHub tokens found in a public
	// repository through GitHub's API, without waiting for a maintainer
	// (PUSHGUARD_AUTO_REVOKE_PUBLIC).
	AutoRevokePublic bool
	// RevokePrefixes are the token prefixes the GitHub server's revocation
	// API accepts (PUSHGUARD_REVOKE_PREFIXES); nil picks revoke's defaults
	// for github.com or Enterprise Server.
	RevokePrefixes []string
	// Setup is set for serve when there are no App credentials at all,
	// neither in the environment nor in CredentialsFile: serve then runs
	// the setup page, which creates the App (the setup package).
	Setup bool
	// Loop configures validity checks and alerts (config_loop.go).
	Loop LoopConfig
}

// Embedded reports whether the App runs on its embedded in-memory Redis.
func (c Config) Embedded() bool { return c.Redis.Embedded() }

// loadConfig reads the configuration. needWebhook is false for the worker
// command, which receives no webhooks.
func loadConfig(getenv func(string) string, needWebhook bool) (Config, error) {
	r := envReader{getenv: getenv}
	c := Config{
		APIURL:     r.str("GITHUB_API_URL", ghapp.DefaultAPIURL),
		Addr:       r.str("PUSHGUARD_ADDR", DefaultAddr),
		Workers:    r.int("PUSHGUARD_WORKERS", DefaultWorkers, 1, 1000),
		MaxCommits: r.int("PUSHGUARD_MAX_COMMITS", worker.DefaultMaxCommits, 1, 10000),
		LogFormat:  strings.ToLower(r.str("LOG_FORMAT", "json")),
	}
	c.InstallationConcurrency = r.int("PUSHGUARD_INSTALLATION_CONCURRENCY", fairness.DefaultPerInstallation, 1, 1000)
	c.GitHubWritesPerMinute = r.int("PUSHGUARD_GITHUB_WRITES_PER_MINUTE", fairness.DefaultWritesPerMinute, 1, 1000000)
	c.FingerprintKey = r.secret("PUSHGUARD_FINGERPRINT_KEY", false)
	c.AdminToken = r.secret("PUSHGUARD_ADMIN_TOKEN", false)
	r.check(len(c.AdminToken) == 0 || len(c.AdminToken) >= 16, "PUSHGUARD_ADMIN_TOKEN must be at least 16 bytes")
	sweep := r.str("PUSHGUARD_SWEEP_INTERVAL", sweeper.DefaultSweepInterval.String())
	interval, err := time.ParseDuration(sweep)
	c.SweepInterval = interval
	r.check(err == nil && (interval == 0 || interval >= sweeper.MinSweepInterval), "PUSHGUARD_SWEEP_INTERVAL must be 0 (off) or a duration of at least %v such as 2m, not %q", sweeper.MinSweepInterval, sweep)
	budget := r.str("PUSHGUARD_SCAN_BUDGET", worker.DefaultScanBudget.String())
	c.ScanBudget, err = time.ParseDuration(budget)
	r.check(err == nil && c.ScanBudget >= time.Second && c.ScanBudget <= worker.MaxScanBudget, "PUSHGUARD_SCAN_BUDGET must be a duration from 1s to %v such as 5m, not %q", worker.MaxScanBudget, budget)
	r.check(c.LogFormat == "json" || c.LogFormat == "text", "LOG_FORMAT must be json or text, not %q", c.LogFormat)
	if err := c.LogLevel.UnmarshalText([]byte(r.str("LOG_LEVEL", "info"))); err != nil {
		r.problem("LOG_LEVEL: %v", err)
	}
	c.APIURL, err = ghapp.ParseAPIURL(c.APIURL)
	r.ok(err)
	c.Loop = r.loop()
	r.revocation(&c)
	c.CredentialsFile = r.str("PUSHGUARD_CREDENTIALS_FILE", DefaultCredentialsFile)
	r.credentials(&c, needWebhook) // the environment, else CredentialsFile
	c.Redis = r.redis()
	switch {
	case len(c.FingerprintKey) == 0 && c.Embedded():
		c.FingerprintKey, c.FingerprintKeyGenerated = randomKey(), true
	case len(c.FingerprintKey) == 0:
		r.problem("PUSHGUARD_FINGERPRINT_KEY (or PUSHGUARD_FINGERPRINT_KEY_FILE) is required with a Redis (REDIS_URL, REDIS_SENTINEL_ADDRS or REDIS_CLUSTER_ADDRS): dismissals are keyed by it")
	case len(c.FingerprintKey) < 16:
		r.problem("PUSHGUARD_FINGERPRINT_KEY must be at least 16 bytes")
	}
	return c, r.err()
}

// revocation reads PUSHGUARD_AUTO_REVOKE_PUBLIC and
// PUSHGUARD_REVOKE_PREFIXES.
func (r *envReader) revocation(c *Config) {
	c.AutoRevokePublic = r.bool("PUSHGUARD_AUTO_REVOKE_PUBLIC", []string{"true"}, []string{"false"})
	if v := r.str("PUSHGUARD_REVOKE_PREFIXES", ""); v != "" {
		var err error
		c.RevokePrefixes, err = revoke.ParsePrefixes(v)
		if err != nil {
			r.problem("PUSHGUARD_REVOKE_PREFIXES: %v", err)
		}
	}
}

// envReader reads variables and collects every problem.
type envReader struct {
	getenv   func(string) string
	problems []string
}

func (r *envReader) problem(format string, args ...any) {
	r.problems = append(r.problems, fmt.Sprintf(format, args...))
}

func (r *envReader) check(ok bool, format string, args ...any) {
	if !ok {
		r.problem(format, args...)
	}
}

func (r *envReader) err() error {
	if len(r.problems) == 0 {
		return nil
	}
	return errors.New("configuration: " + strings.Join(r.problems, "; "))
}

func (r *envReader) str(name, def string) string {
	if v := strings.TrimSpace(r.getenv(name)); v != "" {
		return v
	}
	return def
}

func (r *envReader) int(name string, def, lo, hi int) int {
	v := r.str(name, "")
	if v == "" {
		if def == 0 {
			r.problem("%s is required", name)
		}
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		r.problem("%s must be a whole number from %d to %d, not %q", name, lo, hi, v)
		return def
	}
	return n
}

// bool reads a flag that is false when unset: one of yes (any case) is
// true, one of no false, and anything else a problem (and false). Each flag
// keeps the words it has always accepted.
func (r *envReader) bool(name string, yes, no []string) bool {
	v := strings.ToLower(r.str(name, ""))
	switch {
	case v == "" || slices.Contains(no, v):
		return false
	case slices.Contains(yes, v):
		return true
	}
	r.problem("%s must be true or false, not %q", name, v)
	return false
}

// secret reads NAME, or the file named by NAME_FILE; setting both is a
// mistake, and so is a value of only whitespace.
func (r *envReader) secret(name string, required bool) []byte {
	val, file := r.getenv(name), r.str(name+"_FILE", "")
	switch {
	case val != "" && file != "":
		r.problem("set %s or %s_FILE, not both", name, name)
		return nil
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			r.problem("%s_FILE: %v", name, err)
			return nil
		}
		val = strings.TrimRight(string(b), "\r\n")
	}
	if val != "" && strings.TrimSpace(val) == "" {
		r.problem("%s is blank: a secret of only whitespace is no secret", name)
		return nil
	}
	if val == "" && required {
		r.problem("%s (or %s_FILE) is required and must not be empty", name, name)
	}
	if val == "" {
		return nil
	}
	return []byte(val)
}

// ok records err, a check of a value by the package that uses it, as a
// problem.
func (r *envReader) ok(err error) {
	if err != nil {
		r.problem("%v", err)
	}
}

func randomKey() []byte {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return b
}
