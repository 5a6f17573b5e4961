package fakegithub

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v60/github"
)

// installationClient is a go-github client for installation id, built the
// way the App builds it: ghinstallation over the default transport.
func installationClient(t *testing.T, s *Server, id int64) (*github.Client, *ghinstallation.Transport) {
	t.Helper()
	tr, err := ghinstallation.New(http.DefaultTransport, s.AppID(), id, s.PrivateKeyPEM())
	if err != nil {
		t.Fatal(err)
	}
	tr.BaseURL = strings.TrimSuffix(s.URL(), "/")
	return clientFor(t, s, &http.Client{Transport: tr, Timeout: 10 * time.Second}), tr
}

// appClient is a go-github client authenticated as the App (JWT).
func appClient(t *testing.T, s *Server) *github.Client {
	t.Helper()
	tr, err := ghinstallation.NewAppsTransport(http.DefaultTransport, s.AppID(), s.PrivateKeyPEM())
	if err != nil {
		t.Fatal(err)
	}
	tr.BaseURL = strings.TrimSuffix(s.URL(), "/")
	return clientFor(t, s, &http.Client{Transport: tr, Timeout: 10 * time.Second})
}

// clientFor points a go-github client at s.
func clientFor(t *testing.T, s *Server, hc *http.Client) *github.Client {
	t.Helper()
	c := github.NewClient(hc)
	if s.opts.Enterprise {
		var err error
		if c, err = c.WithEnterpriseURLs(s.URL(), s.URL()); err != nil {
			t.Fatal(err)
		}
		return c
	}
	u, err := c.BaseURL.Parse(s.URL())
	if err != nil {
		t.Fatal(err)
	}
	c.BaseURL = u
	return c
}

// ctx is a test context with a deadline.
func ctx(t *testing.T) context.Context {
	t.Helper()
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// fakeTB stands in for the test given to New, to observe the violations
// reported at cleanup. Everything else goes to the real test.
type fakeTB struct {
	testing.TB
	mu       sync.Mutex
	errors   []string
	cleanups []func()
}

// Errorf records a reported error instead of failing the test.
func (f *fakeTB) Errorf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

// Cleanup keeps fn for finish.
func (f *fakeTB) Cleanup(fn func()) { f.cleanups = append(f.cleanups, fn) }

// finish runs the cleanups, last first, and returns the reported errors.
func (f *fakeTB) finish() []string {
	for i := len(f.cleanups) - 1; i >= 0; i-- {
		f.cleanups[i]()
	}
	f.cleanups = nil
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.errors...)
}

// newObserved starts a Server whose violations the test inspects instead
// of failing on them.
func newObserved(t *testing.T, opts Options) (*Server, *fakeTB) {
	t.Helper()
	ftb := &fakeTB{TB: t}
	s := New(ftb, opts)
	t.Cleanup(func() { ftb.finish() })
	return s, ftb
}
