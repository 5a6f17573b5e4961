package revoke

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// requestTimeout bounds one revocation request.
const requestTimeout = 30 * time.Second

// Options configure a Client.
type Options struct {
	// APIURL is the REST API's base URL with a trailing slash:
	// https://api.github.com/ or https://HOST/api/v3/.
	APIURL string
	// Prefixes are the token prefixes the server accepts; nil picks
	// DotComPrefixes for api.github.com and EnterprisePrefixes otherwise.
	Prefixes []string
	// Transport carries the requests; nil is http.DefaultTransport. It
	// must add no credentials.
	Transport http.RoundTripper
	// Redis keeps the hourly budget; KeyPrefix starts its keys.
	Redis     redis.UniversalClient
	KeyPrefix string
	// Limit is the requests allowed an hour; 0 is HourlyLimit.
	Limit int
	Now   func() time.Time
}

// Client revokes GitHub tokens through one GitHub host's revocation API.
type Client struct {
	endpoint string
	host     string
	prefixes []string
	http     *http.Client
	budget   *budget
	now      func() time.Time
}

// New builds a Client.
func New(o Options) (*Client, error) {
	u, err := url.Parse(o.APIURL)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("revoke: API URL %q is not an http(s) URL", o.APIURL)
	}
	if o.Prefixes == nil {
		o.Prefixes = EnterprisePrefixes()
		if strings.EqualFold(u.Host, "api.github.com") {
			o.Prefixes = DotComPrefixes()
		}
	}
	if o.Limit <= 0 {
		o.Limit = HourlyLimit
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	hc := &http.Client{
		Transport: o.Transport,
		Timeout:   requestTimeout,
		// A redirect would carry the tokens to another URL: never follow one.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return &Client{
		endpoint: strings.TrimSuffix(u.String(), "/") + "/credentials/revoke",
		host:     u.Host, prefixes: slices.Clone(o.Prefixes), http: hc, now: o.Now,
		budget: &budget{rdb: o.Redis, prefix: o.KeyPrefix, limit: o.Limit, now: o.Now},
	}, nil
}

// Prefixes returns the token prefixes the client sends.
func (c *Client) Prefixes() []string { return slices.Clone(c.prefixes) }

// Revoke asks GitHub to revoke tokens, in batches of at most MaxBatch, one
// request each from the host's hourly budget. Tokens of a prefix the server
// does not accept are not sent. Every token ends in Outcome.Revoked or in
// Outcome.NotSent with the reason; no secret is kept in either.
func (c *Client) Revoke(ctx context.Context, tokens []Token) Outcome {
	var out Outcome
	var send []Token
	seen := map[string]bool{}
	for _, t := range tokens {
		switch p := prefixOf(t.Secret); {
		case seen[t.Secret]:
			continue
		case p == "":
			out.notSent([]Token{t}, "not a GitHub token")
		case !slices.Contains(c.prefixes, p):
			out.notSent([]Token{t}, fmt.Sprintf("this server does not accept `%s` tokens; revoke it by hand", p))
		default:
			send = append(send, t)
		}
		seen[t.Secret] = true
	}
	for len(send) > 0 {
		n := min(len(send), MaxBatch)
		res, stop := c.batch(ctx, send[:n])
		out.add(res)
		send = send[n:]
		if stop != "" {
			out.notSent(send, stop)
			break
		}
	}
	return out
}

// batch sends one request. A non-empty stop is the reason no further
// request can go now (the budget is spent), for the tokens left.
func (c *Client) batch(ctx context.Context, ts []Token) (Outcome, string) {
	var out Outcome
	ok, reset, err := c.budget.take(ctx, c.host)
	if err != nil {
		reason := "pushguard could not reserve a request of its hourly budget (Redis unavailable); try again"
		out.notSent(ts, reason)
		return out, reason
	}
	if !ok {
		reason := c.spentReason(reset)
		out.notSent(ts, reason)
		return out, reason
	}
	resp, err := c.post(ctx, ts)
	if err != nil {
		out.notSent(ts, "the request failed: "+scrub(err.Error(), ts)+"; try again")
		return out, ""
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusAccepted {
		for _, t := range ts {
			out.Revoked = append(out.Revoked, t.ref())
		}
		return out, ""
	}
	reason, limited := c.refusal(ctx, resp, ts)
	out.notSent(ts, reason)
	if limited {
		return out, reason
	}
	return out, ""
}

// post sends one batch, without authentication.
func (c *Client) post(ctx context.Context, ts []Token) (*http.Response, error) {
	creds := make([]string, len(ts))
	for i, t := range ts {
		creds[i] = t.Secret
	}
	body, err := json.Marshal(map[string][]string{"credentials": creds})
	if err != nil {
		return nil, fmt.Errorf("encode request: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	req.Header.Set("User-Agent", "pushguard")
	resp, err := c.http.Do(req)
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // the URL is known; the error's text is what matters
	}
	return resp, err
}

// refusal explains a non-202 answer; limited reports a rate limit, after
// which no more requests go until it resets.
func (c *Client) refusal(ctx context.Context, resp *http.Response, ts []Token) (string, bool) {
	msg := githubMessage(resp.Body, ts)
	h := resp.Header
	if (resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusTooManyRequests) && h.Get("X-Ratelimit-Remaining") == "0" {
		reset := c.now().Add(budgetWindow)
		if sec, err := strconv.ParseInt(h.Get("X-Ratelimit-Reset"), 10, 64); err == nil {
			reset = time.Unix(sec, 0)
		}
		_ = c.budget.spend(ctx, c.host, reset) // best effort: GitHub will say so again
		return fmt.Sprintf("GitHub's limit of %d revocation requests an hour is reached until %s", HourlyLimit, reset.UTC().Format("15:04 UTC")), true
	}
	if ra := h.Get("Retry-After"); ra != "" && (resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusTooManyRequests) {
		return "GitHub asked to wait " + ra + " seconds (secondary rate limit); try again later", true
	}
	switch resp.StatusCode {
	case http.StatusNotFound:
		return "this GitHub server has no revocation API (an older GitHub Enterprise Server?); revoke it by hand", true
	case http.StatusForbidden:
		return "GitHub refused the request (403" + msg + ")", false
	case http.StatusUnprocessableEntity:
		return "GitHub refused the request as invalid (422" + msg + ")", false
	}
	return fmt.Sprintf("GitHub answered %d%s; try again", resp.StatusCode, msg), false
}

// spentReason says until when pushguard's own budget is spent.
func (c *Client) spentReason(reset time.Time) string {
	return fmt.Sprintf("pushguard's budget of %d revocation requests an hour to %s is spent until %s; try again then",
		c.budget.limit, c.host, reset.UTC().Format("15:04 UTC"))
}

// githubMessage reads GitHub's error message, scrubbed of the tokens sent
// and shortened, as ": message", or "".
func githubMessage(r io.Reader, ts []Token) string {
	var e struct {
		Message string `json:"message"`
	}
	b, _ := io.ReadAll(io.LimitReader(r, 64<<10))
	if json.Unmarshal(b, &e) != nil || e.Message == "" {
		return ""
	}
	m := scrub(e.Message, ts)
	if len(m) > 200 {
		m = m[:200] + "…"
	}
	return ": " + strings.ReplaceAll(m, "\n", " ")
}

// scrub replaces every token of ts in text with its redacted form.
func scrub(text string, ts []Token) string {
	for _, t := range ts {
		if t.Secret != "" {
			text = strings.ReplaceAll(text, t.Secret, t.Redacted)
		}
	}
	return text
}
