package validity

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/pushguard/pushguard/internal/logkey"
)

// Defaults of Options.
const (
	DefaultTimeout      = 5 * time.Second
	DefaultConcurrency  = 4
	DefaultRate         = rate.Limit(2) // requests per second per provider
	DefaultBurst        = 4
	DefaultCacheTTL     = 10 * time.Minute
	DefaultGitHubAPIURL = "https://api.github.com"
	maxBody             = 64 << 10
)

// Options configure a Checker. The zero value is usable.
type Options struct {
	// HTTPClient sends the requests. Leave it nil in production: the
	// Checker then builds its own (TLS 1.2+, no redirects). Only tests set
	// it, to a client whose transport dials a local fake while the URL
	// keeps the provider's official host. Its redirect policy is replaced:
	// redirects are never followed.
	HTTPClient *http.Client
	// GitHubAPIURL is GITHUB_API_URL (GitHub Enterprise Server:
	// https://HOST/api/v3); https only. Default https://api.github.com.
	GitHubAPIURL string
	// Timeout bounds one check, rate-limit wait included.
	Timeout time.Duration
	// Concurrency bounds the checks in flight at once.
	Concurrency int
	// PerProviderRate and PerProviderBurst limit requests to each provider.
	PerProviderRate  rate.Limit
	PerProviderBurst int
	// CacheTTL is how long a Live or NotLive answer is kept per
	// fingerprint; negative disables the cache.
	CacheTTL time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Logger receives one debug line per provider call; default discards.
	Logger *slog.Logger
}

// Checker runs validity checks: one read-only call per secret to its
// provider's fixed host. It is safe for concurrent use.
type Checker struct {
	client   *http.Client
	github   *url.URL
	timeout  time.Duration
	sem      chan struct{}
	limiters map[string]*rate.Limiter
	byRule   map[string]*Verifier
	cache    *cache
	now      func() time.Time
	log      *slog.Logger
}

// New builds a Checker over the built-in verifiers.
func New(opts Options) (*Checker, error) {
	return newChecker(opts, Verifiers())
}

func newChecker(opts Options, verifiers []Verifier) (*Checker, error) {
	opts = withDefaults(opts)
	gh, err := url.Parse(strings.TrimRight(opts.GitHubAPIURL, "/"))
	if err != nil || gh.Scheme != "https" || gh.Host == "" || gh.User != nil || gh.RawQuery != "" {
		return nil, fmt.Errorf("validity: GitHub API URL must be https://host[/path]: %q", opts.GitHubAPIURL)
	}
	c := &Checker{
		client:   noRedirects(opts.HTTPClient),
		github:   gh,
		timeout:  opts.Timeout,
		sem:      make(chan struct{}, opts.Concurrency),
		limiters: make(map[string]*rate.Limiter),
		byRule:   make(map[string]*Verifier),
		cache:    newCache(opts.CacheTTL),
		now:      opts.Now,
		log:      opts.Logger,
	}
	for i := range verifiers {
		v := &verifiers[i]
		for _, id := range v.RuleIDs {
			if _, dup := c.byRule[id]; dup {
				return nil, fmt.Errorf("validity: rule %s has two verifiers", id)
			}
			c.byRule[id] = v
		}
		if _, ok := c.limiters[v.Provider]; !ok {
			c.limiters[v.Provider] = rate.NewLimiter(opts.PerProviderRate, opts.PerProviderBurst)
		}
	}
	return c, nil
}

func withDefaults(o Options) Options {
	if o.GitHubAPIURL == "" {
		o.GitHubAPIURL = DefaultGitHubAPIURL
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.PerProviderRate <= 0 {
		o.PerProviderRate = DefaultRate
	}
	if o.PerProviderBurst <= 0 {
		o.PerProviderBurst = DefaultBurst
	}
	if o.CacheTTL == 0 {
		o.CacheTTL = DefaultCacheTTL
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// noRedirects copies c (or builds a TLS 1.2+ client) so that a 3xx comes
// back as the answer instead of being followed.
func noRedirects(c *http.Client) *http.Client {
	var out http.Client
	if c != nil {
		out = *c
	} else {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		out.Transport = t
	}
	out.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &out
}

// Supports reports whether a verifier exists for ruleID.
func (c *Checker) Supports(ruleID string) bool {
	_, ok := c.byRule[ruleID]
	return ok
}

// Check asks the provider of ruleID whether secret is live. extra holds
// companion secrets found near it (see the Extra* keys). fingerprint keys
// the cache; the secret is never stored. Live and NotLive answers are
// cached for the TTL; Unknown is not.
func (c *Checker) Check(ctx context.Context, ruleID, fingerprint, secret string, extra map[string]string) Result {
	v, ok := c.byRule[ruleID]
	if !ok {
		return Result{Status: Unknown, Reason: "no validity check for this rule", Checked: c.now()}
	}
	key := ruleID + "\x00" + fingerprint
	if fingerprint != "" {
		if r, hit := c.cache.get(key, c.now()); hit {
			return r
		}
	}
	status, reason := c.call(ctx, v, secret, extra)
	r := Result{Status: status, Reason: scrub(reason, secret, extra), Checked: c.now()}
	c.log.DebugContext(ctx, "validity check", "provider", v.Provider, logkey.RuleID, ruleID,
		logkey.Fingerprint, fingerprint, logkey.Status, r.Status.String(), logkey.Reason, r.Reason)
	if r.Status != Unknown && fingerprint != "" {
		c.cache.put(key, r, r.Checked)
	}
	return r
}

// call makes the one request, within the timeout, the rate limit and the
// concurrency bound.
func (c *Checker) call(ctx context.Context, v *Verifier, secret string, extra map[string]string) (Status, string) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	if err := c.limiters[v.Provider].Wait(ctx); err != nil {
		return Unknown, "rate limited locally (no slot for this provider before the timeout)"
	}
	select {
	case c.sem <- struct{}{}:
		defer func() { <-c.sem }()
	case <-ctx.Done():
		return Unknown, "too many checks in flight (no slot before the timeout)"
	}
	req, err := c.request(v, secret, extra)
	if err != nil {
		return Unknown, err.Error()
	}
	resp, err := c.client.Do(req.WithContext(ctx))
	if err != nil {
		c.log.DebugContext(ctx, "validity call failed", "provider", v.Provider,
			logkey.Error, scrub(err.Error(), secret, extra))
		return Unknown, classify(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return Unknown, classify(err)
	}
	if ctx.Err() != nil { // an answer that raced the deadline is not trusted
		return Unknown, classify(ctx.Err())
	}
	return judge(v, resp.StatusCode, body)
}

// request builds the verifier's request and refuses it unless it is https
// to the verifier's own host.
func (c *Checker) request(v *Verifier, secret string, extra map[string]string) (*http.Request, error) {
	base := "https://" + v.Host
	if v.GitHubAPI {
		base = c.github.String()
	}
	req, err := v.Request(Input{Base: base, Secret: secret, Extra: extra, Now: c.now()})
	if err != nil {
		if errors.Is(err, ErrMissingCompanion) {
			return nil, err
		}
		return nil, errors.New("cannot build the request")
	}
	want := v.Host
	if v.GitHubAPI {
		want = c.github.Host
	}
	if err := allowedTarget(req.URL, want, v.Subdomain); err != nil {
		return nil, err
	}
	if req.Host != "" && req.Host != req.URL.Host {
		return nil, errors.New("refused: Host header is not the provider's host")
	}
	return req, nil
}

// allowedTarget accepts only https to exactly host (or to one DNS label in
// front of it when sub is set), with no user info.
func allowedTarget(u *url.URL, host string, sub bool) error {
	if u.Scheme != "https" || u.User != nil {
		return errors.New("refused: not https to the provider's host")
	}
	h := u.Host
	if h == host {
		return nil
	}
	if label, ok := strings.CutSuffix(h, "."+host); sub && ok && validLabel(label) {
		return nil
	}
	return errors.New("refused: not the provider's host")
}

// judge classifies what every provider means alike, then asks the verifier.
func judge(v *Verifier, status int, body []byte) (Status, string) {
	switch {
	case status >= 300 && status < 400:
		return Unknown, fmt.Sprintf("redirected (HTTP %d, not followed)", status)
	case status == http.StatusTooManyRequests:
		return Unknown, "rate limited by the provider"
	case status >= 500:
		return Unknown, fmt.Sprintf("provider error (HTTP %d)", status)
	}
	return v.Judge(status, body)
}

// classify names a transport error without its text (which may hold a URL
// with the secret in it).
func classify(err error) string {
	var tlsErr *tls.CertificateVerificationError
	var recErr tls.RecordHeaderError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.As(err, &tlsErr), errors.As(err, &recErr):
		return "TLS error"
	default:
		var ue *url.Error
		if errors.As(err, &ue) && ue.Timeout() {
			return "timeout"
		}
		return "network error"
	}
}

// scrub removes the secret and its companions, raw and escaped, from s.
func scrub(s, secret string, extra map[string]string) string {
	vals := []string{secret}
	for _, v := range extra {
		vals = append(vals, v)
	}
	for _, v := range vals {
		if len(v) < 4 {
			continue
		}
		for _, form := range []string{v, url.PathEscape(v), url.QueryEscape(v)} {
			s = strings.ReplaceAll(s, form, "[redacted]")
		}
	}
	return s
}
