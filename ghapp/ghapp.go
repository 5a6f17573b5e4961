package ghapp

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v60/github"
)

// DefaultAPIURL is github.com's REST API.
const DefaultAPIURL = "https://api.github.com/"

// App makes GitHub clients: one authenticated as the App (JWT) and one
// per installation, each with its own cached installation token (ghinstallation
// renews it shortly before it expires). It works unchanged against
// api.github.com and a GitHub Enterprise Server API URL.
type App struct {
	appID   int64
	base    *url.URL // the API URL, with a trailing slash
	apiURL  string   // the API URL as configured
	apps    *ghinstallation.AppsTransport
	rt      http.RoundTripper
	timeout time.Duration // bounds one request to GitHub; see timeoutTransport
	mu      sync.Mutex
	clients map[int64]*github.Client
	// rateRemaining, when set, is told each installation's rate limit left.
	rateRemaining func(installation int64, remaining int)
	// wrap, when set, wraps each installation's transport.
	wrap func(installation int64, rt http.RoundTripper) http.RoundTripper
}

// New checks the key and prepares the App's transports; rt (nil:
// http.DefaultTransport) carries every request, token requests included.
func New(appID int64, privateKeyPEM []byte, apiURL string, rt http.RoundTripper) (*App, error) {
	if rt == nil {
		rt = http.DefaultTransport
	}
	configured := apiURL
	if !strings.HasSuffix(apiURL, "/") {
		apiURL += "/"
	}
	base, err := url.Parse(apiURL)
	if err != nil {
		return nil, fmt.Errorf("github api url: %w", err)
	}
	apps, err := ghinstallation.NewAppsTransport(rt, appID, privateKeyPEM)
	if err != nil {
		return nil, fmt.Errorf("github app private key: %w", err)
	}
	apps.BaseURL = strings.TrimSuffix(apiURL, "/")
	return &App{apiURL: configured, appID: appID, base: base, apps: apps, rt: rt, timeout: requestTimeout, clients: map[int64]*github.Client{}}, nil
}

// newClient returns a go-github client for rt at the configured API URL.
// rt bounds its own requests: the client sets no Client.Timeout (see
// timeoutTransport).
func (g *App) newClient(rt http.RoundTripper) *github.Client {
	c := github.NewClient(&http.Client{Transport: rt})
	// The URL is used as given: https://api.github.com/, or a GitHub
	// Enterprise Server's https://HOST/api/v3/ (validated at start-up).
	c.BaseURL = g.base
	c.UploadURL = g.base
	return c
}

// App returns a client authenticated as the App itself (for its hook
// deliveries).
func (g *App) App() *github.Client { return g.newClient(g.bound(g.apps)) }

// bound limits each request rt carries to the App's request timeout.
func (g *App) bound(rt http.RoundTripper) http.RoundTripper {
	return timeoutTransport{base: rt, timeout: g.timeout}
}

// Installation returns the cached client for an installation.
func (g *App) Installation(id int64) *github.Client {
	g.mu.Lock()
	defer g.mu.Unlock()
	if c, ok := g.clients[id]; ok {
		return c
	}
	// The timeout bounds the request to GitHub (its token fetch included)
	// and sits under wrap: a budget's pacing waits are bounded by the
	// caller's context, not by the request timeout.
	rt := g.bound(ghinstallation.NewFromAppsTransport(g.apps, id))
	if g.rateRemaining != nil {
		rt = rateTransport{base: rt, observe: g.rateRemaining, installation: id}
	}
	if g.wrap != nil {
		rt = g.wrap(id, rt)
	}
	c := g.newClient(rt)
	g.clients[id] = c
	return c
}

// RejectedError is GitHub's refusal of the App's credentials (or of the
// API URL): no retry can fix it.
type RejectedError struct{ Msg string }

func (e *RejectedError) Error() string { return e.Msg }

// Verify asks GitHub for the App (GET /app, authenticated with the App's
// JWT). It returns nil when GitHub accepted the credentials, a
// *RejectedError when it refused them, and any other error when it could
// not be asked.
func (g *App) Verify(ctx context.Context) error {
	_, _, err := g.App().Apps.Get(ctx, "")
	var er *github.ErrorResponse
	if err == nil || !errors.As(err, &er) || er.Response == nil {
		return err
	}
	switch er.Response.StatusCode {
	case http.StatusUnauthorized:
		return &RejectedError{fmt.Sprintf("GitHub rejected App %d's credentials (401): check GITHUB_APP_ID and the private key (GitHub says: %s)",
			g.appID, er.Message)}
	case http.StatusNotFound:
		return &RejectedError{fmt.Sprintf("GitHub at %s has no App API (404 on GET /app): check GITHUB_API_URL", g.apiURL)}
	}
	return err
}

// ObserveRateLimit has each installation's client tell observe the
// x-ratelimit-remaining of every answer (for a metric). Call it before the
// first Installation.
func (g *App) ObserveRateLimit(observe func(installation int64, remaining int)) {
	g.rateRemaining = observe
}

// WrapInstallation has wrap wrap each installation's transport (under the
// client, over the installation token and the request timeout): for a
// budget shared by replicas. A wait in wrap is bounded by the request's
// own context, not by the request timeout. Call it before the first
// Installation.
func (g *App) WrapInstallation(wrap func(installation int64, rt http.RoundTripper) http.RoundTripper) {
	g.wrap = wrap
}

// rateTransport reports the rate limit an installation has left. It sits
// over ghinstallation, where the installation is known.
type rateTransport struct {
	base         http.RoundTripper
	observe      func(installation int64, remaining int)
	installation int64
}

func (t rateTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r)
	if err == nil {
		if rem, perr := strconv.Atoi(resp.Header.Get("X-Ratelimit-Remaining")); perr == nil {
			t.observe(t.installation, rem)
		}
	}
	return resp, err
}

// RateLimitUntil reports when GitHub will accept requests again, if err is a
// rate-limit refusal: a 429, or a 403 with retry-after or an exhausted
// x-ratelimit-remaining. go-github recognises only the 403 forms, so the
// headers are read here for both. It follows GitHub's guidance: honour
// retry-after, then x-ratelimit-reset, else wait a minute.
func RateLimitUntil(err error, now time.Time) (time.Time, bool) {
	var rl *github.RateLimitError
	if errors.As(err, &rl) {
		return Latest(rl.Rate.Reset.Time, now.Add(time.Second)), true
	}
	var abuse *github.AbuseRateLimitError
	if errors.As(err, &abuse) {
		if abuse.RetryAfter != nil {
			return now.Add(*abuse.RetryAfter), true
		}
		return now.Add(time.Minute), true
	}
	var er *github.ErrorResponse
	if !errors.As(err, &er) || er.Response == nil {
		return time.Time{}, false
	}
	return LimitedUntil(er.Response.StatusCode, er.Response.Header, now)
}

// LimitedUntil reads an answer's status and headers the way RateLimitUntil
// reads an error: when the answer is a rate-limit refusal (a 429, or a 403
// with retry-after or an exhausted x-ratelimit-remaining), it reports when
// GitHub will accept requests again.
func LimitedUntil(status int, h http.Header, now time.Time) (time.Time, bool) {
	if status != http.StatusTooManyRequests && status != http.StatusForbidden {
		return time.Time{}, false
	}
	if s, err := strconv.Atoi(h.Get("Retry-After")); err == nil {
		return now.Add(time.Duration(s) * time.Second), true
	}
	if h.Get("X-Ratelimit-Remaining") == "0" {
		if reset, err := strconv.ParseInt(h.Get("X-Ratelimit-Reset"), 10, 64); err == nil {
			return Latest(time.Unix(reset, 0), now.Add(time.Second)), true
		}
	}
	if status == http.StatusTooManyRequests {
		return now.Add(time.Minute), true
	}
	return time.Time{}, false
}

// Latest returns the later of a and b.
func Latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// ParseAPIURL checks a configured API URL (https://api.github.com/ or a
// GitHub Enterprise Server's https://HOST/api/v3/) and returns it with a
// trailing slash.
func ParseAPIURL(v string) (string, error) {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return v, fmt.Errorf("GITHUB_API_URL must be an http(s) URL such as %s or https://ghe.example.com/api/v3/, not %q", DefaultAPIURL, v)
	}
	if !strings.HasSuffix(v, "/") {
		v += "/"
	}
	return v, nil
}
