package app

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pushguard/pushguard/alert"
	"github.com/pushguard/pushguard/incident"
	"github.com/pushguard/pushguard/internal/poll"
	"github.com/pushguard/pushguard/worker"
)

// TestE2ELiveTokenAlertsOnce: a live GitHub token in a pull request makes
// the check run say live, one signed alert without the secret reaches the
// receiver, the incident is open and live in the API, and a second push of
// the same key sends no second alert.
func TestE2ELiveTokenAlertsOnce(t *testing.T) {
	t.Parallel()
	api, rec, slack := newFakeGitHubAPI(t), newAlertReceiver(t), newAlertReceiver(t)
	e := loopE2E(t, api, rec, slack, worker.AlertLevelLive)
	s := plant(t, 1001)
	e.repo.Branch("leak")
	e.repo.Checkout("leak")
	c1 := e.repo.Commit("add config", map[string]string{"config/prod.env": "GITHUB_TOKEN=" + s.github + "\n"})
	pr := e.gh.AddPullRequest(e.repo, 11, e.repo, "leak", "main")
	if got := e.send("pull_request", e.pullRequest("opened", pr)); got != http.StatusAccepted {
		t.Fatalf("webhook status %d", got)
	}
	run := e.waitRun(c1)
	if run.Conclusion != "failure" || !strings.Contains(run.Output.Summary, "**live — revoke now**") || !strings.Contains(run.Output.Title, "1 live") {
		t.Errorf("run %s %q; summary:\n%s", run.Conclusion, run.Output.Title, run.Output.Summary)
	}
	if len(run.Annotations) != 1 || !strings.Contains(run.Annotations[0].Message, "Validity: live — revoke now.") {
		t.Errorf("annotations %+v", run.Annotations)
	}
	poll.Until(t, 20*time.Second, func() bool { return len(rec.received()) >= 1 }, "the alert")
	checkAlert(t, rec.received()[0], s.github, run.ID)

	// The same key again, in a new commit pushed to the branch.
	c2 := e.repo.Commit("copy config", map[string]string{"deploy/prod.env": "GITHUB_TOKEN=" + s.github + "\n"})
	e.send("push", e.push("refs/heads/leak", c1, c2, false, false, c2))
	e.waitRun(c2)
	e.waitQuiet()
	time.Sleep(300 * time.Millisecond) // time for a wrong second alert to arrive
	if n, m := len(rec.received()), len(slack.received()); n != 1 || m != 1 {
		t.Errorf("%d webhook and %d Slack alerts, want exactly 1 each", n, m)
	}
	if sl := string(slack.received()[0].body); strings.Contains(sl, s.github) || !strings.Contains(sl, "octo-org/payments") {
		t.Errorf("Slack alert holds the secret or lacks the repository: %s", sl)
	}
	incs := e.incidentsAPI("state=open&installation=4242")
	if len(incs) != 1 || incs[0].CurrentValidity() != incident.ValidityLive || incs[0].SightingCount != 2 ||
		incs[0].FirstSeen.Commit != c1 || incs[0].FirstSeen.PR != 11 || incs[0].LastSeen().Commit != c2 {
		t.Errorf("incidents %+v", incs)
	}
	if got := e.incidentsAPI("state=resolved"); len(got) != 0 {
		t.Errorf("resolved incidents %+v, want none", got)
	}
	m := e.metricsText()
	for _, want := range []string{`pushguard_alerts_total{outcome="sent",sender="webhook"} 1`, `pushguard_alerts_total{outcome="sent",sender="slack"} 1`} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	e.assertNoSecret(s.all()...)
}

// checkAlert checks one alert: signed with the secret, about the planted
// key, live, linking the check run, and without the key in it.
func checkAlert(t *testing.T, req alertRequest, secret string, runID int64) {
	t.Helper()
	if !alert.VerifySignature([]byte(alertSecret), req.body, req.header.Get("X-Pushguard-Signature-256")) {
		t.Errorf("alert signature %q does not verify", req.header.Get("X-Pushguard-Signature-256"))
	}
	body := string(req.body)
	if strings.Contains(body, secret) || strings.Contains(body, secret[4:20]) {
		t.Fatal("the alert holds the secret")
	}
	for _, want := range []string{`"validity":"live"`, `"provider":"GitHub"`, `"rule_id":"github-pat"`, `"repository":"octo-org/payments"`,
		`"pull_request":11`, `/runs/` + strconv.FormatInt(runID, 10)} {
		if !strings.Contains(body, want) {
			t.Errorf("alert lacks %s: %s", want, body)
		}
	}
}

// TestE2ERevokedAndTimeout: a revoked key is not live, a provider that
// does not answer makes unknown and the check still completes; with
// fail_on: live neither fails the check, and the live level alerts no one.
func TestE2ERevokedAndTimeout(t *testing.T) {
	t.Parallel()
	api, rec := newFakeGitHubAPI(t), newAlertReceiver(t)
	e := loopE2E(t, api, rec, nil, worker.AlertLevelLive)
	revoked, slow := plant(t, 1002).github, plant(t, 1003).github
	api.mu.Lock()
	api.revoked[revoked], api.hang[slow] = true, true
	api.mu.Unlock()
	before := e.repo.Commit("config", map[string]string{".github/pushguard.yml": "fail_on: live\n"})
	c := e.repo.Commit("tokens", map[string]string{"a.env": "OLD_TOKEN=" + revoked + "\n", "b.env": "SLOW_TOKEN=" + slow + "\n"})
	e.send("push", e.push("refs/heads/main", before, c, false, false, c))
	run := e.waitRun(c)
	sum := run.Output.Summary
	if run.Conclusion != "success" || !strings.Contains(sum, "| not live |") || !strings.Contains(sum, "| unknown |") ||
		!strings.Contains(sum, "not found live, and this repository's `fail_on` is `live`") {
		t.Errorf("conclusion %s; summary:\n%s", run.Conclusion, sum)
	}
	e.waitQuiet()
	if n := len(rec.received()); n != 0 {
		t.Errorf("%d alerts, want none below the live level", n)
	}
	want := map[string]string{"a.env": incident.ValidityNotLive, "b.env": incident.ValidityUnknown}
	for _, inc := range e.incidentsAPI("installation=4242") {
		if want[inc.FirstSeen.Path] != inc.CurrentValidity() {
			t.Errorf("%s: validity %s, want %s", inc.FirstSeen.Path, inc.CurrentValidity(), want[inc.FirstSeen.Path])
		}
		delete(want, inc.FirstSeen.Path)
	}
	if len(want) != 0 {
		t.Errorf("no incident for %v", want)
	}
	e.assertNoSecret(revoked, slow)
}

// TestE2EVerifierHostsAreConstant: a repository configuration and a diff
// that name another host for GitHub's API send nothing there: the checker
// asks only for api.github.com, and a listener on the other host counts no
// connection.
func TestE2EVerifierHostsAreConstant(t *testing.T) {
	t.Parallel()
	hostile, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hostile.Close() })
	var conns atomic.Int64
	go func() {
		for {
			c, err := hostile.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			c.Close()
		}
	}()
	other := hostile.Addr().String()
	api := newFakeGitHubAPI(t)
	e := loopE2E(t, api, nil, nil, worker.AlertLevelAny)
	s := plant(t, 1004)
	before := e.repo.Commit("config", map[string]string{".github/pushguard.yml": "validity:\n  github_api_url: https://" + other + "\n"})
	c := e.repo.Commit("token", map[string]string{"deploy.env": "GITHUB_API_URL=https://" + other + "/api/v3\nGH_HOST=" + other +
		"\nGITHUB_TOKEN=" + s.github + "\n# verify at https://" + other + "/user\n"})
	e.send("push", e.push("refs/heads/main", before, c, false, false, c))
	run := e.waitRun(c)
	if !strings.Contains(run.Output.Summary, "validity: want true or false") {
		t.Errorf("the configuration's problem is not shown:\n%s", run.Output.Summary)
	}
	calls, asked := api.seen()
	if calls == 0 {
		t.Fatal("the token was never checked")
	}
	for _, a := range asked {
		if a != "api.github.com:443" {
			t.Errorf("the checker asked for %s", a)
		}
	}
	if n := conns.Load(); n != 0 {
		t.Errorf("%d connections reached %s", n, other)
	}
	e.assertNoSecret(s.github)
}

// TestE2EDismissalClosesIncident: a maintainer's dismissal moves the
// incident to dismissed with the reason and the note (redacted), a rebase
// keeps it dismissed, and undo reopens it; the incidents API needs the
// admin token.
func TestE2EDismissalClosesIncident(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{adminToken: "incidents-token-0123456789"})
	s := plant(t, 1005)
	pr, _ := e.prWithSecret(s)
	fp := fingerprintPrefix(t, e.pushguardComments(pr)[0].Body)
	e.gh.SetPermission(e2eOwner, e2eRepo, "maintainer", "write")
	e.say(pr, "maintainer", "/pushguard dismiss "+fp+" test-data fixture, the real one is "+s.stripe)
	incs := e.incidentsAPI("installation=4242&state=dismissed")
	if len(incs) != 1 {
		t.Fatalf("dismissed incidents %+v", incs)
	}
	h := incs[0].History
	if len(h) != 1 || h[0].Actor != "maintainer" || h[0].From != incident.Open || !strings.HasPrefix(h[0].Reason, "test-data: fixture, the real one is ") ||
		strings.Contains(h[0].Reason, s.stripe) || incs[0].ClosedAt.IsZero() {
		t.Errorf("history %+v", h)
	}
	// A rebase sights the dismissed secret in a new commit: it stays dismissed.
	e.repo.Git("commit", "--amend", "-q", "-m", "rebased config")
	e.send("pull_request", e.pullRequest("synchronize", pr))
	e.waitRun(e.repo.Head())
	e.waitQuiet()
	if incs := e.incidentsAPI("state=dismissed"); len(incs) != 1 || incs[0].SightingCount != 2 {
		t.Fatalf("after the rebase: %+v", incs)
	}
	e.say(pr, "maintainer", "/pushguard undo "+fp)
	if incs := e.incidentsAPI("state=open"); len(incs) != 1 || len(incs[0].History) != 2 || incs[0].History[1].Actor != "maintainer" {
		t.Errorf("after undo: %+v", incs)
	}
	for _, tc := range []struct {
		token, query string
		want         int
	}{{"", "", http.StatusUnauthorized}, {"wrong-token-0123456789", "", http.StatusUnauthorized},
		{"incidents-token-0123456789", "state=closed", http.StatusBadRequest}, {"incidents-token-0123456789", "installation=-1", http.StatusBadRequest}} {
		req, _ := http.NewRequest("GET", e.url+"/api/incidents?"+tc.query, nil)
		if tc.token != "" {
			req.Header.Set("Authorization", "Bearer "+tc.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("token %q query %q: %d, want %d", tc.token, tc.query, resp.StatusCode, tc.want)
		}
	}
	e.assertNoSecret(s.github, s.stripe)
}
