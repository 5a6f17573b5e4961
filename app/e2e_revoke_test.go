package app

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pushguard/pushguard/decisions"
	"github.com/pushguard/pushguard/incident"
	"github.com/pushguard/pushguard/internal/fakegithub"
	"github.com/pushguard/pushguard/scanner"
)

// e2eFingerprintKey is startE2E's PUSHGUARD_FINGERPRINT_KEY.
var e2eFingerprintKey = []byte("e2e fingerprint key 0123456789")

// openPR commits each of commits (path → content) on a new branch topic,
// opens pull request 9 from it and waits for its check run. It returns the
// PR and its head.
func (e *e2e) openPR(commits ...map[string]string) (*fakegithub.PullRequest, string) {
	e.t.Helper()
	e.repo.Branch("topic")
	e.repo.Checkout("topic")
	var head string
	for _, files := range commits {
		head = e.repo.Commit("add files", files)
	}
	pr := e.gh.AddPullRequest(e.repo, 9, e.repo, "topic", "main")
	e.send("pull_request", e.pullRequest("opened", pr))
	e.waitRun(head)
	e.waitQuiet()
	return pr, head
}

// leakyPR opens pull request 9 adding two GitHub tokens and an AWS key
// pair, after a GitHub token already on main (not the PR's), and waits for
// its check run. It returns the PR, its head, and the token on main.
func (e *e2e) leakyPR(s secrets, second string) (*fakegithub.PullRequest, string, string) {
	e.t.Helper()
	onMain := plant(e.t, 99).github
	e.repo.Commit("old token", map[string]string{"legacy.env": "TOKEN=" + onMain + "\n"})
	pr, head := e.openPR(map[string]string{"config/app.env": "GITHUB_TOKEN=" + s.github + "\n"}, map[string]string{
		"deploy/ci.env":  "GH_TOKEN=" + second + "\n",
		"deploy/aws.env": "AWS_ACCESS_KEY_ID=" + s.awsID + "\nAWS_SECRET_ACCESS_KEY=" + s.awsSecret + "\n",
	})
	return pr, head, onMain
}

// incidents is the run's incident store (the one the worker closes).
func (e *e2e) incidents() *incident.Store {
	s, err := incident.New(incident.Config{Redis: e.rdb, Prefix: e.prefix})
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// fingerprintOf is the fingerprint the App gives secret found by ruleID.
func fingerprintOf(ruleID, secret string) string {
	return scanner.Fingerprint(e2eFingerprintKey, ruleID, secret)
}

// auditActions lists the installation's audit entries of action, oldest first.
func (e *e2e) auditActions(action decisions.Action) []decisions.Entry {
	e.t.Helper()
	entries, _, err := decisions.NewStore(e.rdb, e.prefix).Audit(context.Background(), e2eInstallation, "", decisions.MaxAuditLimit)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []decisions.Entry
	for _, en := range entries {
		if en.Action == action {
			out = append(out, en)
		}
	}
	slices.Reverse(out)
	return out
}

// assertNoSecretAnywhere adds the PR's comments to assertNoSecret's search.
func (e *e2e) assertNoSecretAnywhere(pr int, secrets ...string) {
	e.t.Helper()
	e.assertNoSecret(secrets...)
	for _, c := range e.gh.Comments(e2eOwner, e2eRepo, pr) {
		for _, s := range secrets {
			if strings.Contains(strings.Join(c.Bodies, "\n"), s) {
				e.t.Errorf("a planted secret (%s…) is in comment %d by %s", s[:4], c.ID, c.User)
			}
		}
	}
}

func TestE2ERevokeAllByMaintainer(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{})
	s, second := plant(t, 61), plant(t, 62).github
	pr, head, onMain := e.leakyPR(s, second)
	fps := []string{fingerprintOf("github-pat", s.github), fingerprintOf("github-pat", second)}
	awsFP := fingerprintOf("aws-access-key-id", s.awsID)
	if got := e.latestRun(head); !slices.ContainsFunc(got.Actions, func(a fakegithub.Action) bool { return a.Identifier == "revoke-tokens" }) {
		t.Errorf("first run's buttons %v lack Revoke GitHub tokens", got.Actions)
	}

	e.gh.SetPermission(e2eOwner, e2eRepo, "maintainer", "write")
	cmd := e.say(pr, "maintainer", "/pushguard revoke all")

	if got, want := sorted(e.gh.RevokedCredentials()), sorted([]string{s.github, second}); !slices.Equal(got, want) {
		t.Errorf("GitHub received %d credentials, want exactly the PR's 2 GitHub tokens (not the one on main: %v)", len(got), slices.Contains(got, onMain))
	}
	revoked := e.auditActions(decisions.ActionRevoke)
	if len(revoked) != 2 || revoked[0].By != "maintainer" || revoked[1].By != "maintainer" {
		t.Errorf("audit has %d revoke entries %+v, want 2 by maintainer", len(revoked), revoked)
	}
	run := e.latestRun(head)
	if !strings.Contains(run.Output.Summary, "Revoked: 2 GitHub tokens") || run.Conclusion != "failure" {
		t.Errorf("check run after revoke: %s, summary lacks \"Revoked: 2 GitHub tokens\" or the AWS key no longer fails:\n%s", run.Conclusion, run.Output.Summary)
	}
	if c := e.pushguardComments(pr); len(c) != 1 || !strings.Contains(c[0].Body, "Revoked: 2 GitHub tokens") {
		t.Errorf("PR comment lacks the revocation")
	}
	reply := lastReply(e, pr)
	if !strings.Contains(reply, "Revoked: 2 GitHub tokens") || !strings.Contains(reply, "/pushguard resolve") || !strings.Contains(reply, "Amazon Web Services") {
		t.Errorf("reply lacks the outcome or the pointer to resolve for AWS:\n%s", reply)
	}
	if got := strings.Join(reactionsOf(e, pr, cmd.ID), ","); got != "eyes,+1" {
		t.Errorf("reactions %q, want eyes,+1", got)
	}
	if m := e.metricsText(); !strings.Contains(m, `pushguard_revocations_total{outcome="revoked"} 2`) {
		t.Errorf("metrics lack 2 revoked tokens")
	}
	for _, fp := range fps {
		if inc, err := e.incidents().Get(context.Background(), e2eInstallation, fp); err != nil || inc.State != incident.Revoked ||
			inc.History[len(inc.History)-1].Actor != "maintainer" {
			t.Errorf("incident %s: %+v, %v; want revoked by maintainer", fp[:8], inc.State, err)
		}
	}

	e.say(pr, "maintainer", "/pushguard resolve all rotated")
	if inc, err := e.incidents().Get(context.Background(), e2eInstallation, awsFP); err != nil || inc.State != incident.Resolved {
		t.Errorf("AWS incident after resolve: %v, %v; want resolved", inc.State, err)
	}
	if run := e.latestRun(head); run.Conclusion != "success" {
		t.Errorf("after resolve all: conclusion %q, want success", run.Conclusion)
	}
	if res := e.auditActions(decisions.ActionResolve); len(res) != 2 || res[0].Note != "rotated" {
		t.Errorf("audit resolve entries %+v, want the AWS pair, rotated", res)
	}
	e.assertNoSecretAnywhere(pr.Number, s.github, second, s.awsSecret, onMain)
}

func TestE2ERevokeRefusedForOutsider(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{})
	s := plant(t, 63)
	pr, head := e.prWithSecret(s)
	cmd := e.say(pr, "outsider", "/pushguard revoke all")
	if n := len(e.gh.RevokedCredentials()); n != 0 {
		t.Errorf("GitHub received %d credentials from an outsider's command, want none", n)
	}
	if reply := lastReply(e, pr); !strings.Contains(reply, "only people with write") {
		t.Errorf("no refusal reply: %q", reply)
	}
	if got := strings.Join(reactionsOf(e, pr, cmd.ID), ","); got != "eyes,confused" {
		t.Errorf("reactions %q, want eyes,confused", got)
	}
	if run := e.latestRun(head); run.Conclusion != "failure" {
		t.Errorf("conclusion %q, want failure (nothing revoked)", run.Conclusion)
	}
	pressRevoke(e, head, "outsider")
	if n := len(e.gh.RevokedCredentials()); n != 0 {
		t.Errorf("the button pressed by an outsider sent %d credentials, want none", n)
	}
}

func TestE2ERevokeButton(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{})
	s := plant(t, 64)
	pr, head := e.prWithSecret(s)
	e.gh.SetPermission(e2eOwner, e2eRepo, "maintainer", "admin")
	pressRevoke(e, head, "maintainer")
	if got := e.gh.RevokedCredentials(); !slices.Equal(got, []string{s.github}) {
		t.Errorf("GitHub received %d credentials, want the PR's one token", len(got))
	}
	run := e.latestRun(head)
	if run.Conclusion != "success" || !strings.Contains(run.Output.Summary, "Revoked: 1 GitHub token") {
		t.Errorf("after the button: %s\n%s", run.Conclusion, run.Output.Summary)
	}
	if slices.ContainsFunc(run.Actions, func(a fakegithub.Action) bool { return a.Identifier == "revoke-tokens" }) {
		t.Errorf("Revoke GitHub tokens still offered with no active token: %v", run.Actions)
	}
	if len(e.auditActions(decisions.ActionRevoke)) != 1 {
		t.Errorf("no audit entry for the revocation")
	}
	e.assertNoSecretAnywhere(pr.Number, s.github)
}

func TestE2EAutoRevokePublic(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name     string
		private  bool
		wantSent int
	}{
		{"public", false, 1},
		{"private", true, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := startE2E(t, e2eConfig{autoRevoke: true})
			s := plant(t, 65)
			before := e.repo.Head()
			c := e.repo.Commit("key", map[string]string{"k.env": "GITHUB_TOKEN=" + s.github + "\n"})
			var p map[string]any
			_ = json.Unmarshal(e.push("refs/heads/main", before, c, false, false, c), &p)
			repo := p["repository"].(map[string]any)
			repo["private"], repo["visibility"] = tt.private, map[bool]string{true: "private", false: "public"}[tt.private]
			body, _ := json.Marshal(p)
			e.send("push", body)
			run := e.waitRun(c)
			e.waitQuiet()
			if got := len(e.gh.RevokedCredentials()); got != tt.wantSent {
				t.Errorf("GitHub received %d credentials, want %d", got, tt.wantSent)
			}
			automatic := strings.Contains(run.Output.Summary, "Revoked automatically")
			if automatic != (tt.wantSent == 1) || (run.Conclusion == "success") != (tt.wantSent == 1) {
				t.Errorf("run %s, says revoked automatically: %v\n%s", run.Conclusion, automatic, run.Output.Summary)
			}
			if tt.wantSent == 1 {
				if a := e.auditActions(decisions.ActionRevoke); len(a) != 1 || a[0].By != incident.ActorPushguard {
					t.Errorf("audit %+v, want one revocation by pushguard", a)
				}
			}
			want := map[bool]incident.State{true: incident.Revoked, false: incident.Open}[tt.wantSent == 1]
			inc, err := e.incidents().Get(context.Background(), e2eInstallation, fingerprintOf("github-pat", s.github))
			if err != nil || inc.State != want || (want == incident.Revoked && inc.History[len(inc.History)-1].Actor != incident.ActorPushguard) {
				t.Errorf("incident %v, %v; want %s (by pushguard when revoked)", inc.State, err, want)
			}
			e.assertNoSecret(s.github)
		})
	}
}

// pressRevoke presses Revoke GitHub tokens on the newest run of head as user.
func pressRevoke(e *e2e, head, user string) { pressButton(e, head, "revoke-tokens", user) }

// pressButton presses the button identifier on the newest run of head as
// user (GitHub's own requested_action payload, filled in).
func pressButton(e *e2e, head, identifier, user string) {
	e.t.Helper()
	p := realPayload(e.t, "check_run/requested_action.payload.json")
	run := p["check_run"].(map[string]any)
	run["id"], run["head_sha"], run["pull_requests"] = e.latestRun(head).ID, head, []any{}
	p["requested_action"] = map[string]any{"identifier": identifier}
	p["sender"] = map[string]any{"login": user, "type": "User"}
	p["repository"] = e.repository(e.repo)
	p["installation"] = map[string]any{"id": e2eInstallation}
	body, _ := json.Marshal(p)
	if got := e.send("check_run", body); got != 202 {
		e.t.Fatalf("check_run status %d", got)
	}
	e.waitQuiet()
}

// lastReply is the body of the App's newest reply (not its status comment).
func lastReply(e *e2e, pr *fakegithub.PullRequest) string {
	reply := ""
	for _, c := range e.gh.Comments(e2eOwner, e2eRepo, pr.Number) {
		if strings.HasSuffix(c.User, "[bot]") && !strings.HasPrefix(c.Body, "<!-- pushguard:comment -->") {
			reply = c.Body
		}
	}
	return reply
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// TestE2ERevokeEnterprise: on GitHub Enterprise Server (/api/v3), only the
// prefixes it accepts are sent; an OAuth token (gho_) is named as not sent,
// in the reply, the check run and the audit trail.
func TestE2ERevokeEnterprise(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{enterprise: true})
	s := plant(t, 66)
	oauth := scanner.CRC32Token("gho_", strings.Repeat("Q7x", 10))
	pr, head := e.openPR(map[string]string{"ci.env": "GH_TOKEN=" + s.github + "\nOAUTH=" + oauth + "\n"})
	e.gh.SetPermission(e2eOwner, e2eRepo, "maintainer", "maintain")
	e.say(pr, "maintainer", "/pushguard revoke all")
	if got := e.gh.RevokedCredentials(); !slices.Equal(got, []string{s.github}) {
		t.Errorf("GitHub Enterprise received %d credentials, want only the ghp_ token", len(got))
	}
	const why = "not sent: 1 (`gho_"
	if reply := lastReply(e, pr); !strings.Contains(reply, why) || !strings.Contains(reply, "does not accept `gho_` tokens") {
		t.Errorf("reply does not name the gho_ token as not sent:\n%s", reply)
	}
	if run := e.latestRun(head); !strings.Contains(run.Output.Summary, why) || run.Conclusion != "failure" {
		t.Errorf("check run %s does not name the token not sent, or passes with it:\n%s", run.Conclusion, run.Output.Summary)
	}
	if ns := e.auditActions(decisions.ActionRevokeNotSent); len(ns) != 1 || !strings.Contains(ns[0].Note, "gho_") {
		t.Errorf("audit not-sent entries %+v, want the gho_ token with the reason", ns)
	}
	e.assertNoSecretAnywhere(pr.Number, s.github, oauth)
}

// TestE2ERevokeNothingSendable: a revocation that could send nothing (an
// OAuth token on GitHub Enterprise Server) still says so on the check run
// and the comment, and the key keeps failing the check.
func TestE2ERevokeNothingSendable(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{enterprise: true})
	oauth := scanner.CRC32Token("gho_", strings.Repeat("k3W", 10))
	pr, head := e.openPR(map[string]string{"ci.env": "OAUTH=" + oauth + "\n"})
	e.gh.SetPermission(e2eOwner, e2eRepo, "maintainer", "write")
	e.say(pr, "maintainer", "/pushguard revoke all")
	if n := len(e.gh.RevokedCredentials()); n != 0 {
		t.Errorf("GitHub Enterprise received %d credentials, want none", n)
	}
	run := e.latestRun(head)
	if run.Conclusion != "failure" || !strings.Contains(run.Output.Summary, "Not sent: 1 (`gho_") {
		t.Errorf("check run %s does not say the token was not sent:\n%s", run.Conclusion, run.Output.Summary)
	}
	if c := e.pushguardComments(pr); len(c) != 1 || !strings.Contains(c[0].Body, "Not sent: 1") {
		t.Errorf("PR comment does not say the token was not sent")
	}
	e.assertNoSecretAnywhere(pr.Number, oauth)
}

// TestE2ERevokeBudgetSpent: when the hourly budget every replica shares in
// Redis is spent, nothing is sent and the reply says until when.
func TestE2ERevokeBudgetSpent(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{})
	s := plant(t, 67)
	pr, head := e.prWithSecret(s)
	u, err := url.Parse(e.gh.URL())
	if err != nil {
		t.Fatal(err)
	}
	if err := e.rdb.Set(context.Background(), e.prefix+"revoke:budget:"+u.Host, 60, time.Hour).Err(); err != nil {
		t.Fatal(err)
	}
	e.gh.SetPermission(e2eOwner, e2eRepo, "maintainer", "write")
	e.say(pr, "maintainer", "/pushguard revoke all")
	if n := e.gh.RevokeCalls(); n != 0 {
		t.Errorf("%d calls to GitHub with the budget spent, want none", n)
	}
	if reply := lastReply(e, pr); !strings.Contains(reply, "budget of 60 revocation requests an hour") || !strings.Contains(reply, "UTC") {
		t.Errorf("reply does not say the budget is spent and until when:\n%s", reply)
	}
	if run := e.latestRun(head); run.Conclusion != "failure" {
		t.Errorf("conclusion %q, want failure (nothing revoked)", run.Conclusion)
	}
}
