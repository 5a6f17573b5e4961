package validity

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

const ghToken = "ghp_PLANTEDgithub0123456789abcdefghij"

// TestGitHubEnterpriseServer sends the GitHub check to the configured API
// URL, path prefix included.
func TestGitHubEnterpriseServer(t *testing.T) {
	f := newFake(t)
	f.set(answer(200, `{"login":"octocat"}`))
	var logs bytes.Buffer
	c := testChecker(t, f, &logs, func(o *Options) { o.GitHubAPIURL = "https://ghe.example.com/api/v3/" })
	if r := c.Check(context.Background(), "github-pat", "fp", ghToken, nil); r.Status != Live {
		t.Fatalf("got %v %q", r.Status, r.Reason)
	}
	reqs, dials := f.seen()
	if len(reqs) != 1 || reqs[0].Host != "ghe.example.com" || reqs[0].Path != "/api/v3/user" {
		t.Errorf("requests %+v", reqs)
	}
	if len(dials) != 1 || dials[0] != "ghe.example.com:443" {
		t.Errorf("dials %v", dials)
	}
}

// TestNewRefusesAnInsecureGitHubURL: the GitHub API URL must be https.
func TestNewRefusesAnInsecureGitHubURL(t *testing.T) {
	for _, u := range []string{"http://ghe.example.com/api/v3", "https://user:pw@ghe.example.com", "ghe.example.com", "https://ghe.example.com/?x=1"} {
		if _, err := New(Options{GitHubAPIURL: u}); err == nil {
			t.Errorf("New accepted %q", u)
		}
	}
}

// TestCache keeps Live and NotLive per fingerprint for the TTL, never
// Unknown.
func TestCache(t *testing.T) {
	f := newFake(t)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	var logs bytes.Buffer
	c := testChecker(t, f, &logs, func(o *Options) { o.CacheTTL = time.Minute; o.Now = clock })
	calls := func() int { r, _ := f.seen(); return len(r) }
	ctx := context.Background()

	f.set(answer(200, `{"login":"octocat"}`))
	c.Check(ctx, "github-pat", "fp1", ghToken, nil)
	c.Check(ctx, "github-pat", "fp1", ghToken, nil)
	if got := calls(); got != 1 {
		t.Errorf("cached answer still called the provider: %d calls", got)
	}
	advance(time.Minute)
	if r := c.Check(ctx, "github-pat", "fp1", ghToken, nil); r.Status != Live || calls() != 2 {
		t.Errorf("expired entry not re-checked: %v, %d calls", r.Status, calls())
	}

	f.set(answer(http.StatusTooManyRequests, `{}`))
	c.Check(ctx, "github-pat", "fp2", ghToken, nil)
	c.Check(ctx, "github-pat", "fp2", ghToken, nil)
	if got := calls(); got != 2 {
		t.Errorf("Unknown was cached: %d calls, want 2", got)
	}
}

// TestCacheHoldsNoSecret: the cache's keys and values never contain it.
func TestCacheHoldsNoSecret(t *testing.T) {
	f := newFake(t)
	f.set(answer(200, `{"login":"octocat"}`))
	var logs bytes.Buffer
	c := testChecker(t, f, &logs, func(o *Options) { o.CacheTTL = time.Minute })
	c.Check(context.Background(), "github-pat", "fp", ghToken, nil)
	c.cache.mu.Lock()
	defer c.cache.mu.Unlock()
	if len(c.cache.m) != 1 {
		t.Fatalf("cache has %d entries", len(c.cache.m))
	}
	for k, v := range c.cache.m {
		assertNoLeak(t, "cache", k+v.Reason, ghToken)
	}
}

// TestConcurrencyBound: no more than Concurrency calls are in flight.
func TestConcurrencyBound(t *testing.T) {
	f := newFake(t)
	var mu sync.Mutex
	inflight, peak := 0, 0
	release := make(chan struct{})
	f.set(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inflight++
		peak = max(peak, inflight)
		mu.Unlock()
		<-release
		mu.Lock()
		inflight--
		mu.Unlock()
		answer(200, `{"login":"a"}`)(w, r)
	})
	var logs bytes.Buffer
	c := testChecker(t, f, &logs, func(o *Options) { o.Concurrency = 2 })
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Go(func() { c.Check(context.Background(), "github-pat", string(rune('a'+i)), ghToken, nil) })
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := inflight
		mu.Unlock()
		if n == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("never reached 2 in flight (at %d)", n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // give a third call the chance to break the bound
	close(release)
	wg.Wait()
	if peak != 2 {
		t.Errorf("peak in flight %d, want 2", peak)
	}
}

// TestPerProviderRateLimit: past the burst, a check that cannot get a slot
// before its timeout is Unknown without calling; another provider is not
// held back.
func TestPerProviderRateLimit(t *testing.T) {
	f := newFake(t)
	f.set(answer(200, `{"login":"a","data":[]}`))
	var logs bytes.Buffer
	c := testChecker(t, f, &logs, func(o *Options) {
		o.PerProviderRate, o.PerProviderBurst = rate.Every(time.Hour), 1
		o.Timeout = 2 * time.Second
	})
	ctx := context.Background()
	if r := c.Check(ctx, "github-pat", "a", ghToken, nil); r.Status != Live {
		t.Fatalf("first: %v %q", r.Status, r.Reason)
	}
	if r := c.Check(ctx, "github-pat", "b", ghToken, nil); r.Status != Unknown || !strings.Contains(r.Reason, "rate limited locally") {
		t.Errorf("second: %v %q", r.Status, r.Reason)
	}
	if r := c.Check(ctx, "openai-api-key", "c", "sk-PLANTED", nil); r.Status != Live {
		t.Errorf("other provider: %v %q", r.Status, r.Reason)
	}
	if reqs, _ := f.seen(); len(reqs) != 2 {
		t.Errorf("%d calls, want 2", len(reqs))
	}
}

// TestMissingCompanion answers Unknown without calling when a provider
// needs a companion that is absent or malformed.
func TestMissingCompanion(t *testing.T) {
	cases := []struct {
		rule, secret string
		extra        map[string]string
		want         string
	}{
		{"aws-access-key-id", plantedAWSKeyID, nil, ExtraAWSSecretAccessKey},
		{"aws-secret-access-key", plantedAWSSecret, nil, ExtraAWSAccessKeyID},
		{"aws-temporary-access-key-id", "ASIAPLANTEDKEY234567", map[string]string{ExtraAWSSecretAccessKey: plantedAWSSecret}, ExtraAWSSessionToken},
		{"twilio-auth-token", "0123456789abcdef0123456789abcdef", map[string]string{ExtraTwilioAccountSID: "AC/../evil"}, ExtraTwilioAccountSID},
		{"shopify-access-token", "shpat_PLANTED", map[string]string{ExtraShopifyShop: "evil.example/x"}, ExtraShopifyShop},
		{"telegram-bot-token", "123:short/../x", nil, "Telegram"},
		{"discord-webhook-url", "https://evil.example/api/webhooks/123456789012345678/PLANTEDwebhook0123456789abcdef", nil, "Discord"},
	}
	f := newFake(t)
	f.set(answer(200, `{}`))
	var logs bytes.Buffer
	c := testChecker(t, f, &logs, nil)
	for _, tc := range cases {
		t.Run(tc.rule, func(t *testing.T) {
			r := c.Check(context.Background(), tc.rule, "fp", tc.secret, tc.extra)
			if r.Status != Unknown || !strings.Contains(r.Reason, tc.want) {
				t.Errorf("got %v %q, want Unknown naming %s", r.Status, r.Reason, tc.want)
			}
			assertNoLeak(t, "reason", r.Reason, tc.secret)
		})
	}
	if reqs, dials := f.seen(); len(reqs)+len(dials) != 0 {
		t.Errorf("calls made without a companion: %+v %v", reqs, dials)
	}
}

// TestUnknownRule answers Unknown.
func TestUnknownRule(t *testing.T) {
	c, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r := c.Check(context.Background(), "generic-secret", "fp", "x", nil); r.Status != Unknown || c.Supports("generic-secret") {
		t.Errorf("got %v", r.Status)
	}
}

// TestAllowedTarget refuses anything but https to the verifier's host.
func TestAllowedTarget(t *testing.T) {
	cases := []struct {
		url, host string
		sub, ok   bool
	}{
		{"https://api.stripe.com/v1/balance", "api.stripe.com", false, true},
		{"http://api.stripe.com/v1/balance", "api.stripe.com", false, false},
		{"https://api.stripe.com.evil.example/", "api.stripe.com", false, false},
		{"https://evil.example/", "api.stripe.com", false, false},
		{"https://u:p@api.stripe.com/", "api.stripe.com", false, false},
		{"https://api.stripe.com:8443/", "api.stripe.com", false, false},
		{"https://shop.myshopify.com/x", "myshopify.com", true, true},
		{"https://shop.myshopify.com/x", "myshopify.com", false, false},
		{"https://a.b.myshopify.com/x", "myshopify.com", true, false},
		{"https://evilmyshopify.com/x", "myshopify.com", true, false},
	}
	for _, tc := range cases {
		u, _ := url.Parse(tc.url)
		if err := allowedTarget(u, tc.host, tc.sub); (err == nil) != tc.ok {
			t.Errorf("%s to %s (sub %v): err %v, want ok %v", tc.url, tc.host, tc.sub, err, tc.ok)
		}
	}
}

// TestHostsAreFixed: each verifier's host is a bare host name, and no
// companion value, however hostile, moves its request elsewhere.
func TestHostsAreFixed(t *testing.T) {
	hostile := map[string]string{}
	for _, k := range []string{ExtraAWSAccessKeyID, ExtraAWSSecretAccessKey, ExtraAWSSessionToken, ExtraTwilioAccountSID, ExtraShopifyShop} {
		hostile[k] = "evil.example/@x#"
	}
	again := Verifiers()
	for i, v := range Verifiers() {
		if u, err := url.Parse("https://" + v.Host); err != nil || u.Host != v.Host || v.Host == "" || strings.ContainsAny(v.Host, ":/@") {
			t.Errorf("%s: host %q is not a bare host name", v.Provider, v.Host)
		}
		if again[i].Host != v.Host || !strings.HasPrefix(v.Docs, "https://") {
			t.Errorf("%s: host not stable or docs missing", v.Provider)
		}
		req, err := v.Request(Input{Base: "https://" + v.Host, Secret: "PLANTED", Extra: hostile, Now: time.Now()})
		if err != nil {
			if !errors.Is(err, ErrMissingCompanion) {
				t.Errorf("%s: %v", v.Provider, err)
			}
			continue
		}
		if err := allowedTarget(req.URL, v.Host, v.Subdomain); err != nil || req.Host != req.URL.Host {
			t.Errorf("%s: request to %s: %v", v.Provider, req.URL.Host, err)
		}
	}
}

// TestCheckerRefusesAnotherHost: a verifier whose request leaves its host
// (or goes over http, or fakes the Host header) is refused before dialing.
func TestCheckerRefusesAnotherHost(t *testing.T) {
	bad := map[string]func(Input) (*http.Request, error){
		"other host": func(Input) (*http.Request, error) { return newRequest(http.MethodGet, "https://evil.example/", nil) },
		"http": func(in Input) (*http.Request, error) {
			return newRequest(http.MethodGet, "http://api.example.com/", nil)
		},
		"host header": func(in Input) (*http.Request, error) {
			r, err := newRequest(http.MethodGet, in.Base+"/", nil)
			r.Host = "evil.example"
			return r, err
		},
	}
	for name, req := range bad {
		t.Run(name, func(t *testing.T) {
			f := newFake(t)
			f.set(answer(200, `{"ok":1}`))
			opts := Options{HTTPClient: f.client()}
			vs := []Verifier{{RuleIDs: []string{"r"}, Provider: "P", Host: "api.example.com", Request: req, Judge: judgeJSON("ok")}}
			c, err := newChecker(opts, vs)
			if err != nil {
				t.Fatal(err)
			}
			if r := c.Check(context.Background(), "r", "fp", "PLANTED", nil); r.Status != Unknown || !strings.Contains(r.Reason, "refused") {
				t.Errorf("got %v %q", r.Status, r.Reason)
			}
			if reqs, dials := f.seen(); len(reqs)+len(dials) != 0 {
				t.Errorf("dialed %v", dials)
			}
		})
	}
}
