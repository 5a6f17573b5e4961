package app

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"html"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pushguard/pushguard/internal/fakegithub"
)

// The setup flow itself is tested in the setup package; these tests check
// the wiring: serve without App credentials runs it, then serves the App.

var (
	setupActionAttr   = regexp.MustCompile(`<form id="manifest-form" method="post" action="([^"]*)">`)
	setupManifestAttr = regexp.MustCompile(`name="manifest" value="([^"]*)"`)
)

// createApp goes through the setup pages at base as a browser does: the
// form (a personal account), the page that posts the manifest to GitHub,
// and GitHub's redirect back to the callback.
func createApp(t *testing.T, base string) {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(method, u string, form url.Values) (*http.Response, string) {
		t.Helper()
		var resp *http.Response
		var err error
		if method == http.MethodGet {
			resp, err = client.Get(u)
		} else {
			resp, err = client.PostForm(u, form)
		}
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, string(b)
	}
	if resp, _ := do(http.MethodGet, base+"/setup", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /setup: %d", resp.StatusCode)
	}
	resp, body := do(http.MethodPost, base+"/setup", url.Values{"owner": {"user"}, "name": {"pushguard-acme"}, "public_url": {"https://pg.example.com/"}})
	a, m := setupActionAttr.FindStringSubmatch(body), setupManifestAttr.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || a == nil || m == nil {
		t.Fatalf("POST /setup: %d, no manifest form in %s", resp.StatusCode, body)
	}
	resp, _ = do(http.MethodPost, html.UnescapeString(a[1]), url.Values{"manifest": {html.UnescapeString(m[1])}})
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("GitHub's new App page: %d", resp.StatusCode)
	}
	if resp, body := do(http.MethodGet, resp.Header.Get("Location"), nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("callback: %d %s", resp.StatusCode, body)
	}
}

// TestServeSetupThenServesTheApp: serve without credentials runs the setup
// page; once the App is created it serves the App on the same address,
// webhooks signed with the new secret included, without a restart.
func TestServeSetupThenServesTheApp(t *testing.T) {
	t.Parallel()
	gh, file, env, cfg, ln := setupModeServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- serveSetup(ctx, env, cfg, slog.New(slog.NewJSONHandler(logs, nil)), ln, serviceOptions{})
	}()
	defer stopServing(t, cancel, done)
	base := "http://" + ln.Addr().String()
	createApp(t, base)
	cfg, err := loadConfig(env, true)
	if err != nil || cfg.Setup || cfg.AppID != gh.AppID() || !bytes.Equal(cfg.PrivateKey, gh.PrivateKeyPEM()) || string(cfg.WebhookSecret) != gh.WebhookSecret() {
		t.Errorf("loadConfig after setup (%s): app %d, setup %v, err %v", file, cfg.AppID, cfg.Setup, err)
	}
	if l := logs.String(); strings.Contains(l, "PRIVATE KEY") || strings.Contains(l, gh.WebhookSecret()) || !strings.Contains(l, "GitHub App created") {
		t.Errorf("logs show a secret or miss the creation:\n%s", l)
	}

	deadline := time.Now().Add(appStartTimeout)
	for status := 0; status != http.StatusOK; {
		if time.Now().After(deadline) {
			t.Fatalf("the App is not served after setup: ping answered %d; logs:\n%s", status, logs)
		}
		status = signedPing(t, base, gh.WebhookSecret())
		time.Sleep(20 * time.Millisecond)
	}
	if resp, err := http.Get(base + "/setup"); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /setup once the App is served: %v, %v", resp, err)
	} else {
		resp.Body.Close()
	}
}

// appStartTimeout bounds how long the App takes to start after setup (the
// rules compile, slowly under -race).
const appStartTimeout = 60 * time.Second

// stopServing stops serveSetup and checks how it ended. Stopping right
// after the App started may cancel the workers' first Redis ping, which
// serve reports; that is not the setup's doing.
func stopServing(t *testing.T, cancel context.CancelFunc, done <-chan error) {
	t.Helper()
	cancel()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		t.Errorf("serve: %v", err)
	}
}

// signedPing sends GitHub's ping webhook signed with secret and returns the
// status, 0 when the server cannot be reached.
func signedPing(t *testing.T, base, secret string) int {
	body := []byte(`{"zen":"Keep it logically awesome.","hook_id":1}`)
	req, _ := http.NewRequest(http.MethodPost, base+"/webhook", bytes.NewReader(body))
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	req.Header.Set("X-GitHub-Event", "ping")
	req.Header.Set("X-GitHub-Delivery", "setup-ping")
	req.Header.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(mac.Sum(nil)))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// setupModeServer makes a fake GitHub and a configuration with no App
// credentials (setup mode), and a listener for serve.
func setupModeServer(t *testing.T) (*fakegithub.Server, string, func(string) string, Config, net.Listener) {
	t.Helper()
	gh := fakegithub.New(t, fakegithub.Options{})
	file := filepath.Join(t.TempDir(), "pushguard-credentials.json")
	env := envOf(map[string]string{"GITHUB_API_URL": gh.URL(), "PUSHGUARD_CREDENTIALS_FILE": file, "PUSHGUARD_SWEEP_INTERVAL": "0"})
	cfg, err := loadConfig(env, true)
	if err != nil || !cfg.Setup {
		t.Fatalf("setup %v, err %v", cfg.Setup, err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return gh, file, env, cfg, ln
}
