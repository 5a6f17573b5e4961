package app

import (
	"fmt"
	"math/rand"
	"net/http"
	"strings"
	"testing"

	"github.com/pushguard/pushguard/internal/fakegithub"
)

// secrets are credentials planted by a test, generated at run time.
type secrets struct {
	github, awsID, awsSecret, stripe string
}

func plant(t testing.TB, seed int64) secrets {
	r := rand.New(rand.NewSource(seed))
	pick := func(alphabet string, n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[r.Intn(len(alphabet))]
		}
		return string(b)
	}
	const b62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	return secrets{
		github:    githubTokenFrom(t, pick(b62, 30)),
		awsID:     "AKIA" + pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
		awsSecret: pick(b62+"+/", 40),
		stripe:    "sk_live_" + pick(b62, 99),
	}
}

func (s secrets) all() []string { return []string{s.github, s.awsID, s.awsSecret, s.stripe} }

// annotationsAt lists a run's failure annotations as path:line.
func annotationsAt(r fakegithub.CheckRun) []string {
	var out []string
	for _, a := range r.Annotations {
		if a.AnnotationLevel == "failure" {
			out = append(out, fmt.Sprintf("%s:%d", a.Path, a.StartLine))
		}
	}
	return out
}

func TestE2EPushWithSecrets(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{})
	s := plant(t, 1)
	before := e.repo.Head()
	c1 := e.repo.Commit("add config", map[string]string{
		"config/prod.env": "LOG_LEVEL=info\nGITHUB_TOKEN=" + s.github + "\n",
	})
	c2 := e.repo.Commit("add billing", map[string]string{
		"billing/keys.py": "import os\n\nAWS_ACCESS_KEY_ID = \"" + s.awsID + "\"\nAWS_SECRET_ACCESS_KEY = \"" + s.awsSecret + "\"\nSTRIPE = \"" + s.stripe + "\"\n",
	})
	if got := e.send("push", e.push("refs/heads/main", before, c2, false, false, c1, c2)); got != http.StatusAccepted {
		t.Fatalf("webhook status %d", got)
	}
	run := e.waitRun(c2)
	if run.Conclusion != "failure" {
		t.Errorf("conclusion %q, want failure", run.Conclusion)
	}
	want := []string{"config/prod.env:2", "billing/keys.py:3", "billing/keys.py:4", "billing/keys.py:5"}
	if got := annotationsAt(run); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("annotations %v, want %v", got, want)
	}
	sum := run.Output.Summary
	for _, want := range []string{"Revoke it now", "Tell your security team", "Look for misuse", "Issue a new key",
		"Update the apps", "pushguard scan --diff -", "https://github.com/settings/tokens", "console.aws.amazon.com", "dashboard.stripe.com"} {
		if !strings.Contains(sum, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	if len(run.Actions) == 0 || run.Actions[0].Identifier != "rescan" {
		t.Errorf("actions %+v, want a Re-scan button", run.Actions)
	}
	e.waitQuiet() // the job's outcome is counted once its handler returns
	m := e.metricsText()
	for _, want := range []string{`pushguard_findings_total{provider="Stripe",rule="stripe-secret-key"} 1`,
		`pushguard_webhooks_total{event="push",outcome="accepted"} 1`, `pushguard_jobs_total{kind="push",outcome="ok"} 1`} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	e.assertNoSecret(s.all()...)
}

func TestE2EPushClean(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{})
	before := e.repo.Head()
	c := e.repo.Commit("docs", map[string]string{"docs/setup.md": "Set GITHUB_TOKEN=${GITHUB_TOKEN} in your shell.\n"})
	e.send("push", e.push("refs/heads/main", before, c, false, false, c))
	run := e.waitRun(c)
	if run.Conclusion != "success" || len(run.Annotations) != 0 {
		t.Errorf("conclusion %q with %d annotations, want success and none", run.Conclusion, len(run.Annotations))
	}
}

// TestE2EAddedThenRemoved: a key added in one commit and removed in the next
// is still leaked; it is reported with its commit, and not annotated at the
// head where the line no longer exists.
func TestE2EAddedThenRemoved(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{})
	s := plant(t, 2)
	before := e.repo.Head()
	c1 := e.repo.Commit("oops", map[string]string{"deploy.sh": "#!/bin/sh\nexport GITHUB_TOKEN=" + s.github + "\n"})
	c2 := e.repo.Commit("remove token", map[string]string{"deploy.sh": "#!/bin/sh\n"})
	e.send("push", e.push("refs/heads/main", before, c2, false, false, c1, c2))
	run := e.waitRun(c2)
	if run.Conclusion != "failure" {
		t.Errorf("conclusion %q, want failure", run.Conclusion)
	}
	if len(run.Annotations) != 0 {
		t.Errorf("annotated %v on the head, where the line is gone", annotationsAt(run))
	}
	if !strings.Contains(run.Output.Summary, "removed since") || !strings.Contains(run.Output.Summary, c1[:12]) {
		t.Errorf("summary does not list the removed finding with its commit:\n%s", run.Output.Summary)
	}
	e.assertNoSecret(s.github)
}

func TestE2ENewBranch(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{})
	s := plant(t, 3)
	main := e.repo.Head()
	e.repo.Branch("feature")
	e.repo.Checkout("feature")
	c1 := e.repo.Commit("feature", map[string]string{"feature.go": "package feature\n\nconst token = \"" + s.github + "\"\n"})
	e.send("push", e.push("refs/heads/feature", strings.Repeat("0", 40), c1, true, false, c1))
	run := e.waitRun(c1)
	if run.Conclusion != "failure" || strings.Join(annotationsAt(run), " ") != "feature.go:3" {
		t.Errorf("conclusion %q, annotations %v", run.Conclusion, annotationsAt(run))
	}
	if !strings.Contains(run.Output.Summary, "1 commit") {
		t.Errorf("a new branch should scan only its own commit, not %s's history:\n%s", main[:7], run.Output.Summary)
	}
}

func TestE2EForcePush(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{})
	s := plant(t, 4)
	base := e.repo.Head()
	old := e.repo.Commit("clean work", map[string]string{"a.txt": "a\n"})
	e.repo.Git("reset", "--hard", base)
	c := e.repo.Commit("rewritten", map[string]string{"b.txt": "AWS_SECRET_ACCESS_KEY=" + s.awsSecret + "\naws_access_key_id=" + s.awsID + "\n"})
	e.send("push", e.push("refs/heads/main", old, c, false, true, c))
	run := e.waitRun(c)
	if run.Conclusion != "failure" || len(annotationsAt(run)) != 2 {
		t.Errorf("conclusion %q, annotations %v", run.Conclusion, annotationsAt(run))
	}
	e.assertNoSecret(s.awsSecret, s.awsID)
}

func TestE2EPullRequestFromFork(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{})
	s := plant(t, 5)
	fork := e.repo.Fork("outsider")
	fork.Branch("patch-1")
	fork.Checkout("patch-1")
	c := fork.Commit("add integration", map[string]string{"integrations/stripe.rb": "STRIPE_KEY = '" + s.stripe + "'\n"})
	pr := e.gh.AddPullRequest(e.repo, 7, fork, "patch-1", "main")
	if got := e.send("pull_request", e.pullRequest("opened", pr)); got != http.StatusAccepted {
		t.Fatalf("status %d", got)
	}
	run := e.waitRun(c)
	if run.Repo != e.repo.FullName() {
		t.Errorf("check run on %s, want the base repository", run.Repo)
	}
	if run.Conclusion != "failure" || strings.Join(annotationsAt(run), " ") != "integrations/stripe.rb:1" {
		t.Errorf("conclusion %q, annotations %v", run.Conclusion, annotationsAt(run))
	}
	e.assertNoSecret(s.stripe)
}

// TestE2EPushAndPullRequestTogether sends a push and a pull request for the
// same head SHA at once: one check run, annotated once.
func TestE2EPushAndPullRequestTogether(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{})
	s := plant(t, 6)
	main := e.repo.Head()
	e.repo.Branch("topic")
	e.repo.Checkout("topic")
	c := e.repo.Commit("topic", map[string]string{"x.env": "GITHUB_TOKEN=" + s.github + "\n"})
	pr := e.gh.AddPullRequest(e.repo, 3, e.repo, "topic", "main")
	push := e.push("refs/heads/topic", strings.Repeat("0", 40), c, true, false, c)
	open := e.pullRequest("opened", pr)
	done := make(chan int, 2)
	go func() { done <- e.send("push", push) }()
	go func() { done <- e.send("pull_request", open) }()
	<-done
	<-done
	e.waitRun(c)
	e.waitQuiet()
	runs := e.runsOn(c)
	if len(runs) != 1 {
		t.Fatalf("%d check runs on %s, want 1", len(runs), main[:7])
	}
	if got := annotationsAt(runs[0]); len(got) != 1 {
		t.Errorf("annotations %v, want exactly one", got)
	}
}

// TestE2EManyFindings: more than 50 findings need several PATCHes.
func TestE2EManyFindings(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{})
	var lines []string
	var planted []string
	for i := 0; i < 120; i++ {
		tok := plant(t, int64(100+i)).github
		planted = append(planted, tok)
		lines = append(lines, fmt.Sprintf("TOKEN_%d=%s", i, tok))
	}
	before := e.repo.Head()
	c := e.repo.Commit("tokens", map[string]string{"tokens.env": strings.Join(lines, "\n") + "\n"})
	e.send("push", e.push("refs/heads/main", before, c, false, false, c))
	run := e.waitRun(c)
	if got := len(annotationsAt(run)); got != 120 {
		t.Errorf("%d annotations, want 120", got)
	}
	if len(run.Updates) < 3 {
		t.Errorf("%d updates: 120 annotations need at least 3 PATCHes of 50", len(run.Updates))
	}
	e.assertNoSecret(planted...)
}

// TestE2ENetDiffPastLimit: past the per-commit limit the net diff is
// scanned and the summary says so.
func TestE2ENetDiffPastLimit(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{maxCommits: 3})
	s := plant(t, 7)
	before := e.repo.Head()
	var shas []string
	for i := 0; i < 5; i++ {
		shas = append(shas, e.repo.Commit(fmt.Sprintf("c%d", i), map[string]string{fmt.Sprintf("f%d.txt", i): "x\n"}))
	}
	c := e.repo.Commit("key", map[string]string{"k.env": "GITHUB_TOKEN=" + s.github + "\n"})
	shas = append(shas, c)
	e.send("push", e.push("refs/heads/main", before, c, false, false, shas...))
	run := e.waitRun(c)
	if run.Conclusion != "failure" || !strings.Contains(run.Output.Summary, "net diff") {
		t.Errorf("conclusion %q; summary:\n%s", run.Conclusion, run.Output.Summary)
	}
}

// TestE2EGitHub5xxThenRecovery: GitHub fails twice; the job is retried and
// completes.
func TestE2EGitHub5xxThenRecovery(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{})
	s := plant(t, 8)
	before := e.repo.Head()
	c := e.repo.Commit("key", map[string]string{"k.env": "GITHUB_TOKEN=" + s.github + "\n"})
	e.gh.Inject(fakegithub.Fault{Method: "GET", PathRegexp: `^/repos/[^/]+/[^/]+/commits/[0-9a-f]{40}$`, Status: 502, Times: 2})
	e.send("push", e.push("refs/heads/main", before, c, false, false, c))
	run := e.waitRun(c)
	if run.Conclusion != "failure" {
		t.Errorf("conclusion %q, want failure after recovery", run.Conclusion)
	}
}

// TestE2ERateLimit: a 429 with retry-after reschedules the job instead of
// hammering GitHub.
func TestE2ERateLimit(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{})
	s := plant(t, 9)
	before := e.repo.Head()
	c := e.repo.Commit("key", map[string]string{"k.env": "GITHUB_TOKEN=" + s.github + "\n"})
	e.gh.Inject(fakegithub.SecondaryRateLimit(`^/repos/[^/]+/[^/]+/commits/[0-9a-f]{40}$`, 1, 429, 1*1e9))
	e.send("push", e.push("refs/heads/main", before, c, false, false, c))
	run := e.waitRun(c)
	if run.Conclusion != "failure" {
		t.Errorf("conclusion %q", run.Conclusion)
	}
	if !strings.Contains(e.logs.String(), "rate limited by GitHub; job rescheduled") {
		t.Errorf("the rate limit was not logged as a reschedule")
	}
	hits := 0
	for _, r := range e.gh.Requests() {
		if r.Path == "/repos/"+e2eOwner+"/"+e2eRepo+"/commits/"+c {
			hits++
		}
	}
	if hits != 2 {
		t.Errorf("%d requests for the commit, want 2 (refused, then after retry-after)", hits)
	}
}
