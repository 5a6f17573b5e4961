package setup

import (
	"bytes"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/pushguard/pushguard/internal/fakegithub"
)

// setupRun is the setup server against a fake GitHub, driven as a browser
// would: a cookie jar, redirects followed by hand.
type setupRun struct {
	t      *testing.T
	gh     *fakegithub.Server
	s      *setupServer
	base   string // the setup server's URL
	client *http.Client
	file   string // the credentials file
	logs   *syncBuffer
}

// startSetup runs the setup server, on httptest, for a fake GitHub.
func startSetup(t *testing.T, enterprise bool) *setupRun {
	t.Helper()
	gh := fakegithub.New(t, fakegithub.Options{Enterprise: enterprise})
	logs := &syncBuffer{}
	cfg := Options{APIURL: gh.URL(), CredentialsFile: filepath.Join(t.TempDir(), "pushguard-credentials.json"),
		Log: slog.New(slog.NewJSONHandler(logs, nil))}
	s, err := newSetupServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.routes())
	t.Cleanup(srv.Close)
	return &setupRun{t: t, gh: gh, s: s, base: srv.URL, client: newBrowserClient(t), file: cfg.CredentialsFile, logs: logs}
}

// newBrowserClient keeps cookies and does not follow redirects.
func newBrowserClient(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// do sends a request and returns the response with its body read.
func (r *setupRun) do(req *http.Request) (*http.Response, string) {
	r.t.Helper()
	resp, err := r.client.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		r.t.Fatal(err)
	}
	return resp, string(b)
}

func (r *setupRun) get(u string) (*http.Response, string) {
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return r.do(req)
}

func (r *setupRun) post(u string, form url.Values) (*http.Response, string) {
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r.do(req)
}

// setupForm is a filled-in setup form; org "" is the personal account.
func setupForm(org string) url.Values {
	v := url.Values{"owner": {"user"}, "name": {"pushguard-acme"}, "public_url": {"https://pg.example.com/"}}
	if org != "" {
		v.Set("owner", "org")
		v.Set("org", org)
	}
	return v
}

var (
	actionAttr   = regexp.MustCompile(`<form id="manifest-form" method="post" action="([^"]*)">`)
	manifestAttr = regexp.MustCompile(`name="manifest" value="([^"]*)"`)
)

// begin posts the setup form and returns the page's form action and the
// manifest it posts to GitHub.
func (r *setupRun) begin(form url.Values) (action, manifest string) {
	r.t.Helper()
	resp, body := r.post(r.base+"/setup", form)
	a, m := actionAttr.FindStringSubmatch(body), manifestAttr.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || a == nil || m == nil {
		r.t.Fatalf("POST /setup: %d, no manifest form in %s", resp.StatusCode, body)
	}
	return html.UnescapeString(a[1]), html.UnescapeString(m[1])
}

// github posts the manifest as the browser does and returns where GitHub
// sends the browser back.
func (r *setupRun) github(action, manifest string) string {
	r.t.Helper()
	resp, _ := r.post(action, url.Values{"manifest": {manifest}})
	if resp.StatusCode != http.StatusFound {
		r.t.Fatalf("GitHub's new App page: %d", resp.StatusCode)
	}
	return resp.Header.Get("Location")
}

// readAppYML reads the repository's app.yml as a manifest, refusing keys
// the Go manifest lacks.
func readAppYML(t *testing.T) Manifest {
	t.Helper()
	b, err := os.ReadFile("../app.yml")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("app.yml: %v", err)
	}
	j, _ := json.Marshal(doc)
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("app.yml has what the setup page's manifest lacks: %v", err)
	}
	return m
}

// TestSetupManifestMatchesAppYML: the manifest the setup page posts is
// app.yml, with this server's URLs in place of https://pushguard.example.com.
func TestSetupManifestMatchesAppYML(t *testing.T) {
	want := readAppYML(t)
	got := newManifest(want.Name, "https://pushguard.example.com", "https://pushguard.example.com")
	if !reflect.DeepEqual(got, want) {
		t.Errorf("newManifest (setup/setup.go) differs from app.yml: change both together\n got %+v\nwant %+v", got, want)
	}
}

func TestSetupGitHubWebURL(t *testing.T) {
	for api, want := range map[string]string{
		"https://api.github.com/":           "https://github.com/",
		"https://ghe.example.com/api/v3/":   "https://ghe.example.com/",
		"https://ghe.example.com/api/v3":    "https://ghe.example.com/",
		"https://api.acme.ghe.com/":         "https://acme.ghe.com/",
		"http://127.0.0.1:8080/":            "http://127.0.0.1:8080/",
		"https://example.com/github/api/v3": "https://example.com/github/",
	} {
		if got := githubWebURL(api); got != want {
			t.Errorf("githubWebURL(%q) = %q, want %q", api, got, want)
		}
	}
}

func TestSetupPageRendersBothTargets(t *testing.T) {
	for _, enterprise := range []bool{false, true} {
		t.Run(map[bool]string{false: "dotcom", true: "enterprise"}[enterprise], func(t *testing.T) {
			r := startSetup(t, enterprise)
			resp, body := r.get(r.base + "/setup")
			webHost := strings.TrimSuffix(strings.TrimPrefix(r.gh.WebURL(), "http://"), "/")
			for _, want := range []string{
				`name="owner" value="user" checked`, `name="owner" value="org"`, `name="org"`,
				`name="public_url" value="` + r.base + `"`, `name="name" value="pushguard"`,
				"Create the App on " + webHost,
			} {
				if !strings.Contains(body, want) {
					t.Errorf("the setup page lacks %s", want)
				}
			}
			csp := resp.Header.Get("Content-Security-Policy")
			if resp.StatusCode != http.StatusOK || !strings.Contains(csp, "form-action 'self' http://"+webHost+";") || !strings.Contains(csp, "default-src 'none'") {
				t.Errorf("status %d, CSP %q", resp.StatusCode, csp)
			}
			if strings.Contains(body, "src=") || strings.Contains(body, "<link") {
				t.Errorf("the page loads an external asset")
			}
			if resp, _ := r.get(r.base + "/"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/setup" {
				t.Errorf("GET /: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
			}
			if resp, _ := r.get(r.base + "/readyz"); resp.StatusCode != http.StatusServiceUnavailable {
				t.Errorf("GET /readyz during setup: %d", resp.StatusCode)
			}
		})
	}
}

func TestSetupPostsTheManifest(t *testing.T) {
	want := readAppYML(t)
	for _, enterprise := range []bool{false, true} {
		for _, org := range []string{"", "octo-org"} {
			t.Run(map[bool]string{false: "dotcom", true: "enterprise"}[enterprise]+"/"+map[bool]string{true: "user", false: "org"}[org == ""], func(t *testing.T) {
				r := startSetup(t, enterprise)
				action, raw := r.begin(setupForm(org))
				wantPath := "settings/apps/new"
				if org != "" {
					wantPath = "organizations/" + org + "/settings/apps/new"
				}
				u, err := url.Parse(action)
				state := u.Query().Get("state")
				if err != nil || u.Scheme+"://"+u.Host+u.Path != r.gh.WebURL()+wantPath || len(state) < 20 {
					t.Fatalf("action %q, want %s%s?state=…", action, r.gh.WebURL(), wantPath)
				}
				if c := r.cookie(); c != state {
					t.Errorf("cookie %q, state %q", c, state)
				}
				var m Manifest
				dec := json.NewDecoder(strings.NewReader(raw))
				dec.DisallowUnknownFields()
				if err := dec.Decode(&m); err != nil {
					t.Fatalf("manifest %s: %v", raw, err)
				}
				if m.Name != "pushguard-acme" || m.HookAttributes != (manifestHook{URL: "https://pg.example.com/webhook", Active: true}) ||
					m.RedirectURL != r.base+"/setup/callback" || m.Public {
					t.Errorf("manifest %+v", m)
				}
				if !reflect.DeepEqual(m.DefaultPermissions, want.DefaultPermissions) || !reflect.DeepEqual(m.DefaultEvents, want.DefaultEvents) {
					t.Errorf("permissions %v, events %v; app.yml has %v, %v", m.DefaultPermissions, m.DefaultEvents, want.DefaultPermissions, want.DefaultEvents)
				}
			})
		}
	}
}

// cookie is the setup cookie the browser holds, or "".
func (r *setupRun) cookie() string {
	u, _ := url.Parse(r.base + "/setup/callback")
	for _, c := range r.client.Jar.Cookies(u) {
		if c.Name == setupCookie {
			return c.Value
		}
	}
	return ""
}

func TestSetupFormProblems(t *testing.T) {
	r := startSetup(t, false)
	for name, tt := range map[string]struct {
		change func(url.Values)
		want   string
	}{
		"organisation missing":    {func(v url.Values) { v.Set("owner", "org") }, "organisation&#39;s login"},
		"organisation not a name": {func(v url.Values) { v.Set("owner", "org"); v.Set("org", "a/b") }, "organisation&#39;s login"},
		"both targets":            {func(v url.Values) { v.Set("org", "octo-org") }, "choose one"},
		"no name":                 {func(v url.Values) { v.Set("name", " ") }, "App name"},
		"not a URL":               {func(v url.Values) { v.Set("public_url", "pg.example.com") }, "public URL"},
	} {
		t.Run(name, func(t *testing.T) {
			form := setupForm("")
			tt.change(form)
			resp, body := r.post(r.base+"/setup", form)
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, tt.want) || strings.Contains(body, "manifest-form") {
				t.Errorf("status %d, page lacks %q or posts a manifest", resp.StatusCode, tt.want)
			}
		})
	}
	if r.cookie() != "" {
		t.Error("a refused form set a setup cookie")
	}

	// Credentials that could not be kept stop the setup before GitHub.
	r.s.cfg.CredentialsFile = filepath.Join(t.TempDir(), "missing-folder", "creds.json")
	if resp, body := r.post(r.base+"/setup", setupForm("")); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "PUSHGUARD_CREDENTIALS_FILE") {
		t.Errorf("unwritable credentials file: status %d", resp.StatusCode)
	}
}

func TestSetupCallbackRefusesBadState(t *testing.T) {
	r := startSetup(t, false)

	// An expired state is refused.
	r.begin(setupForm(""))
	expired := r.cookie()
	r.s.states.mu.Lock()
	r.s.states.pending[expired] = time.Now().Add(-time.Second)
	r.s.states.mu.Unlock()
	if resp, body := r.get(r.base + "/setup/callback?code=abc&state=" + expired); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "expired") {
		t.Errorf("expired state: status %d", resp.StatusCode)
	}

	action, manifest := r.begin(setupForm(""))
	back := r.github(action, manifest)
	u, _ := url.Parse(back)
	code, state := u.Query().Get("code"), u.Query().Get("state")
	callback := func(state string) string {
		return r.base + "/setup/callback?" + url.Values{"code": {code}, "state": {state}}.Encode()
	}
	stranger := &setupRun{t: t, client: newBrowserClient(t)}
	for name, get := range map[string]func() (*http.Response, string){
		"wrong state":        func() (*http.Response, string) { return r.get(callback("WRONGSTATE")) },
		"no state":           func() (*http.Response, string) { return r.get(r.base + "/setup/callback?code=" + code) },
		"another browser":    func() (*http.Response, string) { return stranger.get(callback(state)) },
		"no setup in flight": func() (*http.Response, string) { return stranger.get(r.base + "/setup/callback") },
	} {
		if resp, body := get(); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Start again") {
			t.Errorf("%s: status %d", name, resp.StatusCode)
		}
	}
	if _, err := os.Stat(r.file); err == nil {
		t.Error("a refused callback wrote the credentials file")
	}
	if n := conversions(r.gh); n != 0 {
		t.Errorf("%d code exchanges for refused callbacks, want 0", n)
	}

	// The state, once used, is refused even with the cookie put back.
	if resp, body := r.get(back); resp.StatusCode != http.StatusOK {
		t.Fatalf("good callback: %d %s", resp.StatusCode, body)
	}
	jarURL, _ := url.Parse(r.base + "/setup")
	r.client.Jar.SetCookies(jarURL, []*http.Cookie{{Name: setupCookie, Value: state, Path: "/setup"}})
	if resp, body := r.get(back); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "already used") {
		t.Errorf("reused state: status %d %s", resp.StatusCode, body)
	}
}

// conversions counts the code exchanges the fake GitHub received.
func conversions(gh *fakegithub.Server) int {
	n := 0
	for _, req := range gh.Requests() {
		if req.OperationID == "apps/create-from-manifest" {
			n++
		}
	}
	return n
}

func TestSetupCreatesTheApp(t *testing.T) {
	for _, enterprise := range []bool{false, true} {
		t.Run(map[bool]string{false: "dotcom", true: "enterprise"}[enterprise], func(t *testing.T) {
			r := startSetup(t, enterprise)
			action, manifest := r.begin(setupForm("octo-org"))
			back := r.github(action, manifest)
			if !strings.HasPrefix(back, r.base+"/setup/callback?") {
				t.Fatalf("GitHub sends the browser to %q", back)
			}
			resp, body := r.get(back)
			install := r.gh.WebURL() + "apps/pushguard/installations/new"
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, `href="`+install+`"`) || !strings.Contains(body, "no restart needed") {
				t.Fatalf("callback: %d\n%s", resp.StatusCode, body)
			}
			select {
			case <-r.s.created:
			default:
				t.Error("the setup server did not announce the App")
			}
			r.checkCredentialsFile()

			// What GitHub saw: the organisation's page, then one exchange
			// of the code, valid against GitHub's description (the fake
			// fails the test otherwise).
			flows := r.gh.ManifestFlows()
			if len(flows) != 1 || flows[0].Org != "octo-org" || !flows[0].Converted || flows[0].State == "" {
				t.Errorf("flows %+v", flows)
			}
			for _, req := range r.gh.Requests() {
				if req.OperationID == "apps/create-from-manifest" && (req.Status != http.StatusCreated || req.Auth != fakegithub.AuthNone) {
					t.Errorf("exchange: status %d, auth %v", req.Status, req.Auth)
				}
			}
			if n := conversions(r.gh); n != 1 {
				t.Errorf("%d exchanges, want 1", n)
			}
			if r.cookie() != "" {
				t.Error("the setup cookie outlives the setup")
			}

			// A second setup finds the App made.
			if resp, _ := r.post(r.base+"/setup", setupForm("")); resp.StatusCode != http.StatusConflict {
				t.Errorf("second setup: %d, want 409", resp.StatusCode)
			}
		})
	}
}

// checkCredentialsFile checks the credentials file (mode 0600, the fake's
// App) and that no log line holds a secret. (app's setup-mode test checks
// that its configuration reads the file.)
func (r *setupRun) checkCredentialsFile() {
	t := r.t
	t.Helper()
	info, err := os.Stat(r.file)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("credentials file mode %v, want 0600", info.Mode().Perm())
	}
	creds, err := ReadCredentials(r.file)
	if err != nil {
		t.Fatal(err)
	}
	if creds.AppID != r.gh.AppID() || creds.PrivateKey != string(r.gh.PrivateKeyPEM()) || creds.WebhookSecret != r.gh.WebhookSecret() ||
		creds.Slug != "pushguard" || creds.HTMLURL != r.gh.WebURL()+"apps/pushguard" || creds.APIURL != r.gh.URL() {
		t.Errorf("credentials file holds %v (%s, %s)", creds, creds.HTMLURL, creds.APIURL)
	}
	logs := r.logs.String()
	if strings.Contains(logs, "PRIVATE KEY") || strings.Contains(logs, r.gh.WebhookSecret()) || !strings.Contains(logs, "GitHub App created") {
		t.Errorf("logs show a secret or miss the creation:\n%s", logs)
	}
}

func TestSetupCodeRefusedByGitHub(t *testing.T) {
	r := startSetup(t, false)
	r.begin(setupForm(""))
	const code = "0123456789abcdef0123"
	resp, body := r.get(r.base + "/setup/callback?" + url.Values{"code": {code}, "state": {r.cookie()}}.Encode())
	if resp.StatusCode != http.StatusBadGateway || !strings.Contains(body, "did not hand over") || strings.Contains(body, code) {
		t.Errorf("status %d, page %s", resp.StatusCode, body)
	}
	if _, err := os.Stat(r.file); err == nil {
		t.Error("credentials file written")
	}
	if logs := r.logs.String(); strings.Contains(logs, code) || !strings.Contains(logs, "404") {
		t.Errorf("logs: %s", logs)
	}
}

// syncBuffer is a log destination safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}
