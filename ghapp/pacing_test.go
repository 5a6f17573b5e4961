package ghapp

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/pushguard/pushguard/internal/fakegithub"
	"github.com/pushguard/pushguard/internal/wait"
)

// pacer is a hand-written stand-in for fairness.Budget's transport: it
// holds each content-creating request back for hold before passing it on,
// as the Budget does once a minute's writes are spent.
type pacer struct {
	base http.RoundTripper
	hold time.Duration
}

func (p pacer) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method != http.MethodGet && !wait.Sleep(r.Context(), p.hold) {
		return nil, fmt.Errorf("pacing: %w", r.Context().Err())
	}
	return p.base.RoundTrip(r)
}

// TestInstallationTimeoutBoundsGitHubNotPacing: the request timeout bounds
// a request to GitHub (token fetch and answer), not the waits of the
// transport WrapInstallation adds. A write the budget holds back for
// longer than the timeout goes out after the wait and succeeds; GitHub
// answering slower than the timeout still fails the request.
func TestInstallationTimeoutBoundsGitHubNotPacing(t *testing.T) {
	t.Parallel()
	const timeout = 5 * time.Second // roomy: a token fetch and a check run must fit in it under -race on a loaded machine
	tests := []struct {
		name    string
		hold    time.Duration // the pacer's wait before each write
		latency time.Duration // GitHub's delay before each answer
		wantErr error         // nil: the check run is created
	}{
		{name: "pacing wait longer than the timeout", hold: timeout + time.Second},
		{name: "GitHub slower than the timeout", latency: timeout + 2*time.Second, wantErr: context.DeadlineExceeded},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			gh := fakegithub.New(t, fakegithub.Options{MinLatency: tc.latency, MaxLatency: tc.latency})
			repo := gh.AddRepo("octo", "paced", 7)
			sha := repo.Commit("first", map[string]string{"README.md": "hi\n"})
			app, err := New(gh.AppID(), gh.PrivateKeyPEM(), gh.URL(), nil)
			if err != nil {
				t.Fatal(err)
			}
			app.timeout = timeout
			app.WrapInstallation(func(_ int64, rt http.RoundTripper) http.RoundTripper {
				return pacer{base: rt, hold: tc.hold}
			})
			start := time.Now()
			_, _, err = app.Installation(7).Checks.CreateCheckRun(context.Background(), "octo", "paced",
				github.CreateCheckRunOptions{Name: "pushguard", HeadSHA: sha})
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("CreateCheckRun = %v, want %v", err, tc.wantErr)
			}
			if tc.wantErr != nil {
				return
			}
			if took := time.Since(start); took < tc.hold {
				t.Errorf("the write went out after %v, before the pacing wait of %v", took, tc.hold)
			}
			if runs := gh.CheckRuns("octo", "paced"); len(runs) != 1 {
				t.Errorf("GitHub has %d check runs, want 1", len(runs))
			}
		})
	}
}
