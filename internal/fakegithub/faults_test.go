package fakegithub

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
)

func TestInjectServerErrorOnce(t *testing.T) {
	t.Parallel()
	s := New(t, Options{})
	s.AddRepo("octo", "hello", 7).Commit("first", map[string]string{"a.txt": "a\n"})
	s.Inject(Fault{Method: http.MethodGet, PathRegexp: `^/repos/octo/hello$`, Status: http.StatusBadGateway, Times: 1})
	c, _ := installationClient(t, s, 7)
	_, resp, err := c.Repositories.Get(ctx(t), "octo", "hello")
	if err == nil || resp.StatusCode != http.StatusBadGateway {
		t.Fatalf("first call: err %v, want 502", err)
	}
	if _, _, err := c.Repositories.Get(ctx(t), "octo", "hello"); err != nil {
		t.Fatalf("second call: %v", err)
	}
	reqs := s.Requests()
	if last := reqs[len(reqs)-2]; !last.Faulted || last.Status != http.StatusBadGateway {
		t.Errorf("faulted request recorded as %+v", last)
	}
}

func TestInjectRateLimits(t *testing.T) {
	t.Parallel()
	s := New(t, Options{})
	s.AddRepo("octo", "hello", 7).Commit("first", map[string]string{"a.txt": "a\n"})
	c, _ := installationClient(t, s, 7)
	reset := time.Now().Add(time.Hour).Truncate(time.Second)

	s.Inject(PrimaryRateLimit(`^/repos/`, 1, reset))
	_, _, err := c.Repositories.Get(ctx(t), "octo", "hello")
	var rl *github.RateLimitError
	if !errors.As(err, &rl) || !rl.Rate.Reset.Time.Equal(reset) {
		t.Errorf("primary limit: err %v, want *github.RateLimitError resetting at %v", err, reset)
	}

	// go-github refuses to call again before the reset: use fresh clients.
	c, _ = installationClient(t, s, 7)
	s.Inject(SecondaryRateLimit(`^/repos/`, 1, http.StatusForbidden, 30*time.Second))
	_, _, err = c.Repositories.Get(ctx(t), "octo", "hello")
	var abuse *github.AbuseRateLimitError
	if !errors.As(err, &abuse) || abuse.GetRetryAfter() != 30*time.Second {
		t.Errorf("secondary limit on 403: err %v, want *github.AbuseRateLimitError with retry-after 30s", err)
	}

	c, _ = installationClient(t, s, 7)
	s.Inject(SecondaryRateLimit(`^/repos/`, 1, http.StatusTooManyRequests, 5*time.Second))
	_, resp, err := c.Repositories.Get(ctx(t), "octo", "hello")
	if err == nil || resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "5" {
		t.Errorf("secondary limit on 429: err %v", err)
	}
}

func TestInjectDelay(t *testing.T) {
	t.Parallel()
	s := New(t, Options{})
	s.AddRepo("octo", "hello", 7).Commit("first", map[string]string{"a.txt": "a\n"})
	c, _ := installationClient(t, s, 7)
	if _, _, err := c.Repositories.Get(ctx(t), "octo", "hello"); err != nil { // warm the token
		t.Fatal(err)
	}
	s.Inject(Fault{PathRegexp: `^/repos/`, Delay: 2 * time.Second, Times: 1})
	short, cancel := context.WithTimeout(ctx(t), 100*time.Millisecond)
	defer cancel()
	if _, _, err := c.Repositories.Get(short, "octo", "hello"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("slow response: err %v, want deadline exceeded", err)
	}
}

func TestEveryResponseHasRateLimitHeaders(t *testing.T) {
	t.Parallel()
	s := New(t, Options{})
	s.AddRepo("octo", "hello", 7).Commit("first", map[string]string{"a.txt": "a\n"})
	c, _ := installationClient(t, s, 7)
	_, resp, err := c.Repositories.Get(ctx(t), "octo", "hello")
	if err != nil {
		t.Fatal(err)
	}
	if resp.Rate.Limit != 5000 || resp.Rate.Remaining != 4999 || resp.Rate.Reset.IsZero() {
		t.Errorf("rate %+v, want 5000 with 4999 remaining", resp.Rate)
	}
	_, resp, _ = c.Repositories.Get(ctx(t), "octo", "missing")
	if resp.StatusCode != http.StatusNotFound || resp.Rate.Remaining != 4998 {
		t.Errorf("404 rate %+v", resp.Rate)
	}
}
