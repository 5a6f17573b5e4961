package setup

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/google/go-github/v60/github"
)

// The one-click setup. serve without App credentials serves /setup, which
// registers the App on GitHub from its manifest (GitHub's manifest flow):
//
//  1. GET /setup: a form (owner, App name, this server's public URL);
//  2. POST /setup: a page that posts the manifest to GitHub's
//     /settings/apps/new (or /organizations/ORG/settings/apps/new) with a
//     random, single-use state, also kept in a cookie;
//  3. GitHub creates the App and redirects to GET /setup/callback with a
//     code and the state; the code is traded for the App's ID, private key
//     and webhook secret (POST /app-manifests/{code}/conversions), which go
//     to the credentials file; the page links to the App's installation;
//  4. the setup server stops and the App is served on the same address.

// Limits of the setup flow.
const (
	setupStateTTL     = time.Hour // GitHub's codes last an hour too
	setupMaxPending   = 100       // setups started and not finished
	setupCookie       = "pushguard_setup"
	setupCallTimeout  = 30 * time.Second
	maxAppNameLength  = 34 // GitHub's limit
	defaultAppName    = "pushguard"
	setupFormMaxBytes = 64 << 10
	// shutdownTimeout bounds how long in-flight setup requests may take
	// once the App is created or the server stops.
	shutdownTimeout = 10 * time.Second
)

// githubLogin is the shape of a GitHub user or organisation login.
var githubLogin = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,38}$`)

// manifestCode is the shape of the code GitHub sends back: it goes into an
// API path, so nothing else is let through.
var manifestCode = regexp.MustCompile(`^[A-Za-z0-9_-]{1,100}$`)

//go:embed templates/*.html
var setupTemplateFS embed.FS

// setupPages are the setup flow's pages.
var setupPages = template.Must(template.ParseFS(setupTemplateFS, "templates/*.html"))

// Manifest is a GitHub App manifest. Its fixed parts are app.yml's
// (TestSetupManifestMatchesAppYML keeps them equal: change both together);
// the setup form fills in the name and this server's URLs.
type Manifest struct {
	Name               string            `json:"name"`
	URL                string            `json:"url"`
	HookAttributes     manifestHook      `json:"hook_attributes"`
	RedirectURL        string            `json:"redirect_url"`
	Description        string            `json:"description"`
	Public             bool              `json:"public"`
	DefaultPermissions map[string]string `json:"default_permissions"`
	DefaultEvents      []string          `json:"default_events"`
}

// manifestHook is where GitHub sends webhooks.
type manifestHook struct {
	URL    string `json:"url"`
	Active bool   `json:"active"`
}

// newManifest is app.yml with the App's name, the webhook URL under
// publicURL and the setup callback under redirectBase.
func newManifest(name, publicURL, redirectBase string) Manifest {
	return Manifest{
		Name:           name,
		URL:            "https://github.com/pushguard/pushguard",
		HookAttributes: manifestHook{URL: publicURL + "/webhook", Active: true},
		RedirectURL:    redirectBase + "/setup/callback",
		Description: "Scans the lines every commit of a push or pull request adds for leaked credentials, " +
			"and reports each one in a pushguard check run with the steps to revoke and rotate it.",
		DefaultPermissions: map[string]string{
			"checks": "write", "contents": "read", "pull_requests": "read", "issues": "write", "metadata": "read",
			"members": "read",
		},
		DefaultEvents: []string{"push", "pull_request", "check_suite", "check_run", "issue_comment"},
	}
}

// githubWebURL is the web root, with a trailing slash, of the GitHub whose
// REST API is apiURL: https://api.github.com/ → https://github.com/;
// an Enterprise Server's https://HOST/api/v3/ → https://HOST/;
// https://api.SUBDOMAIN.ghe.com/ → https://SUBDOMAIN.ghe.com/. Any other
// URL is taken to serve both.
func githubWebURL(apiURL string) string {
	u, err := url.Parse(apiURL)
	if err != nil {
		return apiURL
	}
	web := url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/"}
	if base, ok := strings.CutSuffix(strings.TrimSuffix(u.Path, "/"), "/api/v3"); ok {
		web.Path = base + "/"
	} else if host, ok := strings.CutPrefix(u.Host, "api."); ok {
		web.Host = host
	}
	return web.String()
}

// setupStates are the states of the setups in progress: random, single
// use, valid for an hour.
type setupStates struct {
	mu      sync.Mutex
	pending map[string]time.Time // state → expiry
}

// issue makes a new state.
func (s *setupStates) issue(now time.Time) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for state, expiry := range s.pending {
		if now.After(expiry) {
			delete(s.pending, state)
		}
	}
	if len(s.pending) >= setupMaxPending {
		return "", errors.New("too many setups are in progress: finish one, or try again in an hour")
	}
	state := rand.Text()
	s.pending[state] = now.Add(setupStateTTL)
	return state, nil
}

// take uses up state and reports whether it was pending and fresh.
func (s *setupStates) take(state string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	expiry, ok := s.pending[state]
	delete(s.pending, state)
	return ok && now.Before(expiry)
}

// Options configure the setup flow.
type Options struct {
	// APIURL is the REST API root, with a trailing slash, of the GitHub
	// that registers the App (https://api.github.com/, or an Enterprise
	// Server's https://HOST/api/v3/).
	APIURL string
	// CredentialsFile is where the App's credentials are written.
	CredentialsFile string
	// Log receives the flow's events; never a secret.
	Log *slog.Logger
	// Transport carries the API calls (http.DefaultTransport when nil).
	Transport http.RoundTripper
}

// setupServer serves the setup flow.
type setupServer struct {
	cfg       Options
	log       *slog.Logger
	web       string         // GitHub's web root, with a trailing slash
	webOrigin string         // its scheme and host
	gh        *github.Client // unauthenticated: the code is the credential
	states    setupStates
	mu        sync.Mutex    // one code exchange at a time
	created   chan struct{} // closed once the credentials file is written
}

// newSetupServer prepares the setup flow for the GitHub at cfg.APIURL.
func newSetupServer(cfg Options) (*setupServer, error) {
	log, rt := cfg.Log, cfg.Transport
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if rt == nil {
		rt = http.DefaultTransport
	}
	gh := github.NewClient(&http.Client{Transport: rt, Timeout: setupCallTimeout})
	base, err := url.Parse(cfg.APIURL)
	if err != nil {
		return nil, fmt.Errorf("github api url: %w", err)
	}
	gh.BaseURL = base
	web, err := url.Parse(githubWebURL(cfg.APIURL))
	if err != nil {
		return nil, fmt.Errorf("github web url: %w", err)
	}
	return &setupServer{
		cfg: cfg, log: log, web: web.String(), webOrigin: web.Scheme + "://" + web.Host, gh: gh,
		states: setupStates{pending: map[string]time.Time{}}, created: make(chan struct{}),
	}, nil
}

// routes is the setup mode's HTTP surface: the setup pages, and liveness
// and readiness (not ready until the App exists).
func (s *setupServer) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.Recoverer)
	r.Get("/", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/setup", http.StatusSeeOther) })
	r.Get("/setup", s.form)
	r.Post("/setup", s.start)
	r.Get("/setup/callback", s.callback)
	r.Get("/healthz", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok\n")) })
	r.Get("/readyz", func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "not ready: the GitHub App is not created yet: open /setup", http.StatusServiceUnavailable)
	})
	return r
}

// setupPage is what the page templates receive.
type setupPage struct {
	Title, Nonce, GitHub, CredentialsFile string
	// The form.
	Owner, Org, Name, PublicURL string
	Problems                    []string
	// The page that posts the manifest to GitHub.
	Action, ManifestJSON string
	Manifest             Manifest
	// The end.
	App        Credentials
	InstallURL string
	Error      string
}

// form serves GET /setup.
func (s *setupServer) form(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusOK, "form", setupPage{Owner: "user", Name: defaultAppName, PublicURL: requestOrigin(r)})
}

// start serves POST /setup: it checks the form, issues a state and answers
// with the page that posts the manifest to GitHub.
func (s *setupServer) start(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, setupFormMaxBytes)
	page := setupPage{
		Owner: r.PostFormValue("owner"), Org: strings.TrimSpace(r.PostFormValue("org")),
		Name:      strings.TrimSpace(r.PostFormValue("name")),
		PublicURL: strings.TrimRight(strings.TrimSpace(r.PostFormValue("public_url")), "/"),
	}
	if s.isCreated() {
		s.fail(w, http.StatusConflict, "The App has already been created: pushguard is serving it.")
		return
	}
	page.Problems = checkSetupForm(page)
	if err := checkCredentialsWritable(s.cfg.CredentialsFile); err != nil {
		page.Problems = append(page.Problems, "pushguard could not keep the App's credentials: "+err.Error()+
			". Fix that (or set PUSHGUARD_CREDENTIALS_FILE) and restart pushguard serve.")
	}
	if len(page.Problems) > 0 {
		s.render(w, http.StatusBadRequest, "form", page)
		return
	}
	state, err := s.states.issue(time.Now())
	if err != nil {
		s.fail(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	origin := requestOrigin(r)
	page.Manifest = newManifest(page.Name, page.PublicURL, origin)
	raw, err := json.Marshal(page.Manifest)
	if err != nil {
		s.fail(w, http.StatusInternalServerError, err.Error())
		return
	}
	page.ManifestJSON = string(raw)
	page.Action = s.web + "settings/apps/new?state=" + url.QueryEscape(state)
	if page.Owner == "org" {
		page.Action = s.web + "organizations/" + url.PathEscape(page.Org) + "/settings/apps/new?state=" + url.QueryEscape(state)
	}
	http.SetCookie(w, &http.Cookie{Name: setupCookie, Value: state, Path: "/setup", MaxAge: int(setupStateTTL.Seconds()),
		HttpOnly: true, Secure: strings.HasPrefix(origin, "https:"), SameSite: http.SameSiteLaxMode})
	s.render(w, http.StatusOK, "continue", page)
}

// checkSetupForm lists what is wrong with the form.
func checkSetupForm(p setupPage) []string {
	var problems []string
	switch {
	case p.Owner == "org" && !githubLogin.MatchString(p.Org):
		problems = append(problems, "Enter the organisation's login (letters, digits and hyphens), as in github.com/LOGIN.")
	case p.Owner == "user" && p.Org != "":
		problems = append(problems, "You entered an organisation but chose your personal account: choose one.")
	case p.Owner != "org" && p.Owner != "user":
		problems = append(problems, "Choose your personal account or an organisation.")
	}
	if p.Name == "" || len([]rune(p.Name)) > maxAppNameLength {
		problems = append(problems, fmt.Sprintf("The App name must have 1 to %d characters.", maxAppNameLength))
	}
	u, err := url.Parse(p.PublicURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		problems = append(problems, "The public URL must be an http(s) URL such as https://pushguard.example.com, without a query.")
	}
	return problems
}

// callback serves GET /setup/callback: it checks the state, trades the code
// for the App's credentials and writes them to the credentials file.
func (s *setupServer) callback(w http.ResponseWriter, r *http.Request) {
	state, code := r.URL.Query().Get("state"), r.URL.Query().Get("code")
	cookie, _ := r.Cookie(setupCookie)
	if cookie == nil || state == "" || subtle.ConstantTimeCompare([]byte(cookie.Value), []byte(state)) != 1 {
		s.fail(w, http.StatusBadRequest, "This setup was not started in this browser, or it was started again since. Start again.")
		return
	}
	// This browser's setup ends here, whatever happens next.
	http.SetCookie(w, &http.Cookie{Name: setupCookie, Path: "/setup", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	if !s.states.take(state, time.Now()) {
		s.fail(w, http.StatusBadRequest, "This setup link is unknown, expired or already used. Start again.")
		return
	}
	if !manifestCode.MatchString(code) {
		s.fail(w, http.StatusBadRequest, "GitHub's answer has no valid code. Start again.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.isCreated() {
		s.fail(w, http.StatusConflict, "The App has already been created: pushguard is serving it.")
		return
	}
	creds, err := s.exchange(r.Context(), code)
	if err != nil {
		s.log.Error("setup: trade the manifest code for the App's credentials", "error", err)
		s.fail(w, http.StatusBadGateway, "GitHub did not hand over the App's credentials ("+err.Error()+"). "+
			"If the App was created, delete it in "+s.web+"settings/apps and start again.")
		return
	}
	if err := WriteCredentials(s.cfg.CredentialsFile, creds); err != nil {
		s.log.Error("setup: save the App's credentials", "app", creds, "error", err)
		s.fail(w, http.StatusInternalServerError, fmt.Sprintf("GitHub created %s, but its credentials could not be saved: %v. "+
			"In the App's settings (%s), generate a private key and set a webhook secret, then start pushguard with "+
			"GITHUB_APP_ID=%d, GITHUB_PRIVATE_KEY_FILE and GITHUB_WEBHOOK_SECRET.", creds, err, creds.HTMLURL, creds.AppID))
		return
	}
	s.log.Info("setup: GitHub App created, credentials saved", "app", creds, "credentials_file", s.cfg.CredentialsFile)
	s.render(w, http.StatusOK, "done", setupPage{App: creds, InstallURL: strings.TrimSuffix(creds.HTMLURL, "/") + "/installations/new"})
	close(s.created)
}

// isCreated reports whether the App has been created.
func (s *setupServer) isCreated() bool {
	select {
	case <-s.created:
		return true
	default:
		return false
	}
}

// exchange trades code for the App's credentials. Errors never hold the
// code: it is as good as the credentials until it is used.
func (s *setupServer) exchange(ctx context.Context, code string) (Credentials, error) {
	ctx, cancel := context.WithTimeout(ctx, setupCallTimeout)
	defer cancel()
	app, _, err := s.gh.Apps.CompleteAppManifest(ctx, code)
	if err != nil {
		return Credentials{}, errors.New(strings.ReplaceAll(err.Error(), code, "CODE"))
	}
	creds := Credentials{AppID: app.GetID(), Slug: app.GetSlug(), HTMLURL: app.GetHTMLURL(), APIURL: s.cfg.APIURL,
		PrivateKey: app.GetPEM(), WebhookSecret: app.GetWebhookSecret()}
	if creds.HTMLURL == "" {
		creds.HTMLURL = s.web + "apps/" + creds.Slug
	}
	if err := creds.check(); err != nil {
		return creds, fmt.Errorf("GitHub's answer: %w", err)
	}
	return creds, nil
}

// fail answers with the error page.
func (s *setupServer) fail(w http.ResponseWriter, status int, msg string) {
	s.render(w, status, "error", setupPage{Error: msg})
}

// render answers with page template name, under a content security policy
// that allows only its own inline style and script and forms posted to this
// server or to GitHub.
func (s *setupServer) render(w http.ResponseWriter, status int, name string, p setupPage) {
	p.Title = map[string]string{"form": "Set up", "continue": "Continue on GitHub", "done": "Ready", "error": "Setup did not finish"}[name]
	p.Nonce, p.CredentialsFile = rand.Text(), s.cfg.CredentialsFile
	p.GitHub = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(s.web, "https://"), "http://"), "/")
	var buf bytes.Buffer
	if err := setupPages.ExecuteTemplate(&buf, name, p); err != nil {
		s.log.Error("setup: render page", "page", name, "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", fmt.Sprintf("default-src 'none'; style-src 'nonce-%s'; script-src 'nonce-%[1]s'; "+
		"form-action 'self' %s; base-uri 'none'; frame-ancestors 'none'", p.Nonce, s.webOrigin))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// requestOrigin is the scheme and host the browser used to reach this
// server, behind a TLS-terminating proxy too.
func requestOrigin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(strings.TrimSpace(strings.Split(r.Header.Get("X-Forwarded-Proto"), ",")[0]), "https") {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// Serve serves the setup flow on ln until the App is created and its
// credentials are written to opts.CredentialsFile, or until ctx ends; then
// it stops the server, which closes ln. It returns nil in both cases (the
// caller tells them apart with ctx.Err()) and an error when the flow could
// not be served.
func Serve(ctx context.Context, ln net.Listener, opts Options) error {
	s, err := newSetupServer(opts)
	if err != nil {
		ln.Close()
		return err
	}
	srv := &http.Server{Handler: s.routes(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute}
	httpErr := make(chan error, 1)
	go func() { httpErr <- srv.Serve(ln) }()
	s.log.Warn("no GitHub App credentials: open the setup page to create the App",
		"url", setupURL(ln.Addr()), "github", s.web, "credentials_file", opts.CredentialsFile)
	select {
	case <-ctx.Done():
	case err = <-httpErr:
	case <-s.created:
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if serr := srv.Shutdown(shutdownCtx); serr != nil && err == nil {
		err = serr
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// setupURL is the setup page's address for the log.
func setupURL(addr net.Addr) string {
	if tcp, ok := addr.(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		return fmt.Sprintf("http://localhost:%d/setup", tcp.Port)
	}
	return "http://" + addr.String() + "/setup"
}
