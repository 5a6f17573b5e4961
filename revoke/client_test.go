package revoke_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pushguard/pushguard/internal/fakegithub"
	"github.com/pushguard/pushguard/queue/queuetest"
	"github.com/pushguard/pushguard/revoke"
)

// token makes a GitHub-shaped token of prefix, distinct by n.
func token(prefix string, n int) revoke.Token {
	secret := fmt.Sprintf("%s%036d", prefix, n)
	return revoke.Token{Fingerprint: fmt.Sprintf("%064x", n), Redacted: secret[:len(prefix)+2] + "…(40)", Secret: secret}
}

// newClient builds a client for the fake, with its budget in a fresh
// Redis namespace unless prefix is given.
func newClient(t *testing.T, gh *fakegithub.Server, o revoke.Options) *revoke.Client {
	t.Helper()
	o.APIURL = gh.URL()
	if o.Redis == nil {
		o.Redis = queuetest.Redis(t)
		o.KeyPrefix = queuetest.Name(t, o.Redis) + ":"
	}
	c, err := revoke.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func secrets(ts []revoke.Token) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Secret)
	}
	return out
}

func TestRevokeSendsOnlyAcceptedPrefixes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		enterprise bool
		prefixes   []string
		tokens     []revoke.Token
		sent       []revoke.Token
	}{
		{"github.com", false, revoke.DotComPrefixes(),
			[]revoke.Token{token("ghp_", 1), token("gho_", 2), token("ghs_", 3), token("ghu_", 4), {Fingerprint: "x", Redacted: "AKIA…", Secret: "AKIAIOSFODNN7EXAMPLE"}},
			[]revoke.Token{token("ghp_", 1), token("gho_", 2), token("ghu_", 4)}},
		{"enterprise default", true, nil,
			[]revoke.Token{token("ghp_", 1), token("gho_", 2), token("github_pat_", 3)},
			[]revoke.Token{token("ghp_", 1), token("github_pat_", 3)}},
		{"duplicates sent once", false, revoke.DotComPrefixes(),
			[]revoke.Token{token("ghp_", 1), token("ghp_", 1)},
			[]revoke.Token{token("ghp_", 1)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			gh := fakegithub.New(t, fakegithub.Options{Enterprise: tc.enterprise})
			c := newClient(t, gh, revoke.Options{Prefixes: tc.prefixes})
			out := c.Revoke(context.Background(), tc.tokens)
			if got, want := gh.RevokedCredentials(), secrets(tc.sent); !slices.Equal(got, want) {
				t.Errorf("GitHub received %v, want %v", got, want)
			}
			if got := len(out.Revoked) + len(out.NotSent); got != len(tc.tokens)-strings.Count(tc.name, "duplicates") {
				t.Errorf("outcome names %d tokens, want every one of %d: %+v", got, len(tc.tokens), out)
			}
			for _, ns := range out.NotSent {
				if ns.Reason == "" {
					t.Errorf("token %s not sent without a reason", ns.Redacted)
				}
			}
			assertNoSecret(t, out.Text(), tc.tokens)
		})
	}
}

func TestRevokeBatchesOfAThousand(t *testing.T) {
	t.Parallel()
	gh := fakegithub.New(t, fakegithub.Options{})
	c := newClient(t, gh, revoke.Options{Prefixes: revoke.DotComPrefixes()})
	var ts []revoke.Token
	for i := range 2500 {
		ts = append(ts, token("ghp_", i))
	}
	out := c.Revoke(context.Background(), ts)
	if gh.RevokeCalls() != 3 || len(out.Revoked) != 2500 || len(out.NotSent) != 0 {
		t.Errorf("calls %d, revoked %d, not sent %d; want 3, 2500, 0", gh.RevokeCalls(), len(out.Revoked), len(out.NotSent))
	}
}

func TestRevokeBudgetSharedThroughRedis(t *testing.T) {
	t.Parallel()
	gh := fakegithub.New(t, fakegithub.Options{})
	rdb := queuetest.Redis(t)
	prefix := queuetest.Name(t, rdb) + ":"
	o := revoke.Options{Prefixes: revoke.DotComPrefixes(), Redis: rdb, KeyPrefix: prefix, Limit: 1}
	first, second := newClient(t, gh, o), newClient(t, gh, o) // two replicas
	var ts []revoke.Token
	for i := range 1500 {
		ts = append(ts, token("ghp_", i))
	}
	out := first.Revoke(context.Background(), ts)
	if len(out.Revoked) != 1000 || len(out.NotSent) != 500 || !strings.Contains(out.NotSent[0].Reason, "budget") {
		t.Fatalf("revoked %d, not sent %d (%v); want 1000 and 500 for the budget", len(out.Revoked), len(out.NotSent), out.NotSent[:1])
	}
	out = second.Revoke(context.Background(), []revoke.Token{token("ghp_", 9999)})
	if len(out.NotSent) != 1 || gh.RevokeCalls() != 1 {
		t.Errorf("second replica: not sent %d, calls %d; want 1 and 1 (the budget is shared)", len(out.NotSent), gh.RevokeCalls())
	}
}

func TestRevokeGitHubRateLimitSpendsBudget(t *testing.T) {
	t.Parallel()
	gh := fakegithub.New(t, fakegithub.Options{})
	reset := time.Now().Add(20 * time.Minute)
	gh.Inject(fakegithub.PrimaryRateLimit(`^/credentials/revoke$`, 1, reset))
	rdb := queuetest.Redis(t)
	o := revoke.Options{Prefixes: revoke.DotComPrefixes(), Redis: rdb, KeyPrefix: queuetest.Name(t, rdb) + ":"}
	c := newClient(t, gh, o)
	out := c.Revoke(context.Background(), []revoke.Token{token("ghp_", 1)})
	if len(out.NotSent) != 1 || !strings.Contains(out.NotSent[0].Reason, "GitHub's limit") {
		t.Fatalf("not sent %+v, want GitHub's limit", out.NotSent)
	}
	out = c.Revoke(context.Background(), []revoke.Token{token("ghp_", 2)})
	if len(out.NotSent) != 1 || !strings.Contains(out.NotSent[0].Reason, "budget") || gh.RevokeCalls() != 0 {
		t.Errorf("after GitHub's limit: %+v, %d calls; want no request, the budget spent", out.NotSent, gh.RevokeCalls())
	}
}

func TestRevokeNeverFollowsRedirects(t *testing.T) {
	t.Parallel()
	var elsewhere atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { elsewhere.Add(1) }))
	defer target.Close()
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer redirect.Close()
	rdb := queuetest.Redis(t)
	c, err := revoke.New(revoke.Options{APIURL: redirect.URL + "/", Prefixes: revoke.DotComPrefixes(), Redis: rdb, KeyPrefix: queuetest.Name(t, rdb) + ":"})
	if err != nil {
		t.Fatal(err)
	}
	out := c.Revoke(context.Background(), []revoke.Token{token("ghp_", 1)})
	if len(out.NotSent) != 1 || elsewhere.Load() != 0 {
		t.Errorf("not sent %d, requests to the redirect target %d; want 1 and 0", len(out.NotSent), elsewhere.Load())
	}
}

func TestOutcomeText(t *testing.T) {
	t.Parallel()
	out := revoke.Outcome{
		Revoked: []revoke.Ref{{Redacted: "ghp_ab…(40)"}, {Redacted: "gho_cd…(40)"}},
		NotSent: []revoke.NotSent{{Ref: revoke.Ref{Redacted: "ghs_ef…(40)"}, Reason: "this server does not accept `ghs_` tokens"}},
	}
	want := "Revoked: 2 GitHub tokens (`ghp_ab…(40)`, `gho_cd…(40)`); not sent: 1 (`ghs_ef…(40)`: this server does not accept `ghs_` tokens)."
	if got := out.Text(); got != want {
		t.Errorf("Text:\n got %s\nwant %s", got, want)
	}
	if got := (revoke.Outcome{}).Text(); got != "No GitHub token to revoke." {
		t.Errorf("empty: %q", got)
	}
}

func assertNoSecret(t *testing.T, text string, ts []revoke.Token) {
	t.Helper()
	for _, tk := range ts {
		if strings.Contains(text, tk.Secret) {
			t.Errorf("the secret of %s is in %q", tk.Redacted, text)
		}
	}
}

func TestRevokeRefusalsNamedPerToken(t *testing.T) {
	t.Parallel()
	tk := token("ghp_", 7)
	cases := []struct {
		name   string
		fault  fakegithub.Fault
		reason string
	}{
		{"no revocation API (older GitHub Enterprise Server)", fakegithub.Fault{Status: http.StatusNotFound}, "no revocation API"},
		{"invalid, GitHub's message scrubbed of the token", fakegithub.Fault{Status: http.StatusUnprocessableEntity,
			Body: `{"message":"Validation Failed: ` + tk.Secret + ` is malformed"}`}, "invalid (422: Validation Failed: " + tk.Redacted + " is malformed)"},
		{"secondary rate limit", fakegithub.SecondaryRateLimit(`^/credentials/revoke$`, 1, http.StatusTooManyRequests, 30*time.Second), "wait 30 seconds"},
		{"server error", fakegithub.Fault{Status: http.StatusBadGateway}, "GitHub answered 502: Bad Gateway; try again"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			gh := fakegithub.New(t, fakegithub.Options{})
			f := tc.fault
			f.PathRegexp, f.Times = `^/credentials/revoke$`, 1
			gh.Inject(f)
			out := newClient(t, gh, revoke.Options{Prefixes: revoke.DotComPrefixes()}).Revoke(context.Background(), []revoke.Token{tk})
			if len(out.Revoked) != 0 || len(out.NotSent) != 1 || !strings.Contains(out.NotSent[0].Reason, tc.reason) {
				t.Fatalf("outcome %+v, want the token not sent because %q", out, tc.reason)
			}
			assertNoSecret(t, out.Text(), []revoke.Token{tk})
		})
	}
}
