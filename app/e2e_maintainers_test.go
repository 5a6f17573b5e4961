package app

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pushguard/pushguard/internal/fakegithub"
)

// prWithSecret opens pull request 9 from branch topic adding a GitHub token
// in config/app.env, and waits for its check run.
func (e *e2e) prWithSecret(s secrets) (*fakegithub.PullRequest, string) {
	e.t.Helper()
	e.repo.Branch("topic")
	e.repo.Checkout("topic")
	c := e.repo.Commit("add config", map[string]string{"config/app.env": "MODE=prod\nGITHUB_TOKEN=" + s.github + "\n"})
	pr := e.gh.AddPullRequest(e.repo, 9, e.repo, "topic", "main")
	e.send("pull_request", e.pullRequest("opened", pr))
	e.waitRun(c)
	e.waitQuiet()
	return pr, c
}

// say posts a comment on the pull request as user and delivers its
// issue_comment webhook (GitHub's own payload, filled in).
func (e *e2e) say(pr *fakegithub.PullRequest, user, body string) fakegithub.Comment {
	e.t.Helper()
	c := e.gh.AddComment(pr.Repo, pr.Number, user, body)
	p := realPayload(e.t, "issue_comment/created.with-installation.payload.json")
	issue := p["issue"].(map[string]any)
	issue["number"] = pr.Number
	issue["pull_request"] = map[string]any{"url": "https://api.github.com/repos/" + pr.Repo.FullName() + "/pulls/9"}
	cm := p["comment"].(map[string]any)
	cm["id"], cm["body"] = c.ID, body
	cm["user"] = map[string]any{"login": user, "type": "User"}
	p["sender"] = map[string]any{"login": user, "type": "User"}
	p["repository"] = e.repository(pr.Repo)
	p["installation"] = map[string]any{"id": e2eInstallation}
	b, _ := json.Marshal(p)
	if got := e.send("issue_comment", b); got != 202 {
		e.t.Fatalf("issue_comment status %d", got)
	}
	e.waitQuiet()
	return c
}

// pushguardComments lists the App's comments on the pull request.
func (e *e2e) pushguardComments(pr *fakegithub.PullRequest) []fakegithub.Comment {
	var out []fakegithub.Comment
	for _, c := range e.gh.Comments(e2eOwner, e2eRepo, pr.Number) {
		if strings.HasPrefix(c.Body, "<!-- pushguard:comment -->") {
			out = append(out, c)
		}
	}
	return out
}

// latestRun is the newest pushguard check run on sha.
func (e *e2e) latestRun(sha string) fakegithub.CheckRun {
	runs := e.runsOn(sha)
	if len(runs) == 0 {
		e.t.Fatalf("no check run on %s", sha)
	}
	return runs[len(runs)-1]
}

func reactionsOf(e *e2e, pr *fakegithub.PullRequest, id int64) []string {
	for _, c := range e.gh.Comments(e2eOwner, e2eRepo, pr.Number) {
		if c.ID == id {
			var out []string
			for _, r := range c.Reactions {
				out = append(out, r.Content)
			}
			return out
		}
	}
	return nil
}

func TestE2EDismissByMaintainer(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{})
	s := plant(t, 40)
	pr, head := e.prWithSecret(s)
	comments := e.pushguardComments(pr)
	if len(comments) != 1 || !strings.Contains(comments[0].Body, "1 active secret") {
		t.Fatalf("pushguard comments %d: %v", len(comments), comments)
	}
	fp := fingerprintPrefix(t, comments[0].Body)

	e.gh.SetPermission(e2eOwner, e2eRepo, "maintainer", "write")
	cmd := e.say(pr, "maintainer", "Thanks!\n/PushGuard   dismiss "+fp+"  test-data  it is a fixture")
	run := e.latestRun(head)
	if run.Conclusion != "success" {
		t.Errorf("after dismissal: conclusion %q, want success", run.Conclusion)
	}
	comments = e.pushguardComments(pr)
	if len(comments) != 1 || !strings.Contains(comments[0].Body, "All findings resolved") || !strings.Contains(comments[0].Body, "maintainer") {
		t.Errorf("comment not updated to resolved:\n%s", comments[0].Body)
	}
	if got := strings.Join(reactionsOf(e, pr, cmd.ID), ","); got != "eyes,+1" {
		t.Errorf("reactions %q, want eyes,+1", got)
	}
	if !strings.Contains(e.logs.String(), `"msg":"finding dismissed"`) {
		t.Errorf("no structured log line for the decision")
	}

	// The same secret in another file, and after a rebase (new SHAs): still dismissed.
	e.repo.Git("commit", "--amend", "-q", "-m", "rebased config")
	c2 := e.repo.Commit("copy", map[string]string{"deploy/copy.env": "TOKEN=" + s.github + "\n"})
	e.send("pull_request", e.pullRequest("synchronize", pr))
	if run := e.waitRun(c2); run.Conclusion != "success" {
		t.Errorf("after rebase and copy: conclusion %q, want success (dismissed everywhere)", run.Conclusion)
	}
	e.waitQuiet()

	// Undo brings it back.
	e.say(pr, "maintainer", "/pushguard undo "+fp)
	if run := e.latestRun(c2); run.Conclusion != "failure" {
		t.Errorf("after undo: conclusion %q, want failure", run.Conclusion)
	}
	if n := len(e.pushguardComments(pr)); n != 1 {
		t.Errorf("%d pushguard comments, want exactly 1", n)
	}
	e.assertNoSecret(s.github)
}

func TestE2EDismissRefusedForReader(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{})
	s := plant(t, 41)
	pr, head := e.prWithSecret(s)
	fp := fingerprintPrefix(t, e.pushguardComments(pr)[0].Body)
	runs := len(e.runsOn(head))
	e.gh.SetPermission(e2eOwner, e2eRepo, "drive-by", "read")
	cmd := e.say(pr, "drive-by", "/pushguard dismiss "+fp+" false-positive")
	if n := len(e.runsOn(head)); n != runs || e.latestRun(head).Conclusion != "failure" {
		t.Errorf("a reader changed the check: %d runs (was %d), conclusion %q", n, runs, e.latestRun(head).Conclusion)
	}
	if got := strings.Join(reactionsOf(e, pr, cmd.ID), ","); got != "eyes,confused" {
		t.Errorf("reactions %q, want eyes,confused", got)
	}
	replied := false
	for _, c := range e.gh.Comments(e2eOwner, e2eRepo, pr.Number) {
		replied = replied || strings.Contains(c.Body, "write, maintain or admin")
	}
	if !replied {
		t.Errorf("no reply saying who may run commands")
	}
}

func TestE2EButtonMarkRevoked(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{})
	s := plant(t, 42)
	_, head := e.prWithSecret(s)
	first := e.latestRun(head)
	if len(first.Actions) != 3 {
		t.Fatalf("actions %+v, want Re-scan and the two decisions", first.Actions)
	}
	e.gh.SetPermission(e2eOwner, e2eRepo, "octocat", "admin")
	p := realPayload(t, "check_run/requested_action.payload.json")
	run := p["check_run"].(map[string]any)
	run["id"], run["head_sha"], run["pull_requests"] = first.ID, head, []any{}
	p["requested_action"] = map[string]any{"identifier": "dismiss-revoked"}
	p["sender"] = map[string]any{"login": "octocat", "type": "User"}
	p["repository"] = e.repository(e.repo)
	p["installation"] = map[string]any{"id": e2eInstallation}
	body, _ := json.Marshal(p)
	e.send("check_run", body)
	e.waitQuiet()
	if got := e.latestRun(head); got.Conclusion != "success" || !strings.Contains(got.Output.Summary, "revoked") {
		t.Errorf("after Mark revoked: conclusion %q", got.Conclusion)
	}
}

func TestE2ERepoConfig(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{})
	e.repo.Commit("config", map[string]string{".github/pushguard.yml": "rules:\n  custom:\n    - id: acme-key\n      description: Acme internal key\n      pattern: 'acme_[a-z0-9]{24}'\n      keywords: [acme_]\n      confidence: high\npaths:\n  ignore: ['fixtures/**']\n"})
	before := e.repo.Head()
	s := plant(t, 43)
	c := e.repo.Commit("work", map[string]string{
		"src/acme.go":       "const k = \"acme_k3j9q2x7v5m1p8w4r6t0y2u4\"\n",
		"fixtures/keys.env": "GITHUB_TOKEN=" + s.github + "\n",
	})
	e.send("push", e.push("refs/heads/main", before, c, false, false, c))
	run := e.waitRun(c)
	if got := strings.Join(annotationsAt(run), " "); got != "src/acme.go:1" {
		t.Errorf("annotations %q, want the custom rule's finding only (fixtures ignored)", got)
	}

	// A broken file is shown in the check run, and the built-in rules still run.
	e.repo.Commit("break config", map[string]string{".github/pushguard.yml": "rules:\n  disabel: [github-pat]\npaths: [\n"})
	before = e.repo.Head()
	c = e.repo.Commit("leak", map[string]string{"fixtures/more.env": "GITHUB_TOKEN=" + s.github + "\n"})
	e.send("push", e.push("refs/heads/main", before, c, false, false, c))
	run = e.waitRun(c)
	if run.Conclusion != "failure" || !strings.Contains(run.Output.Summary, "configuration has problems") {
		t.Errorf("broken config: conclusion %q; summary:\n%s", run.Conclusion, run.Output.Summary)
	}
}

// TestE2ECommentEditedInPlace: five pushes to a pull request leave exactly
// one pushguard comment, edited each time; wiping Redis does not make a
// second one (the comment is found again by its marker).
func TestE2ECommentEditedInPlace(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{})
	s := plant(t, 44)
	pr, _ := e.prWithSecret(s)
	for i := 0; i < 5; i++ {
		if i == 3 {
			keys, _ := e.rdb.Keys(t.Context(), e.prefix+"*").Result()
			if len(keys) > 0 {
				e.rdb.Del(t.Context(), keys...)
			}
		}
		c := e.repo.Commit("more", map[string]string{"n.txt": strings.Repeat("n", i+1) + "\n", "extra" + string(rune('a'+i)) + ".env": "K" + string(rune('a'+i)) + "=" + plant(t, int64(50+i)).github + "\n"})
		e.send("pull_request", e.pullRequest("synchronize", pr))
		e.waitRun(c)
		e.waitQuiet()
	}
	comments := e.pushguardComments(pr)
	if len(comments) != 1 {
		t.Fatalf("%d pushguard comments, want 1", len(comments))
	}
	if n := len(comments[0].Bodies); n < 5 {
		t.Errorf("the comment was edited %d times, want at least 5 versions", n)
	}
}

// fingerprintPrefix takes the first 12-hex fingerprint shown in a comment.
func fingerprintPrefix(t *testing.T, body string) string {
	t.Helper()
	for _, f := range strings.Split(body, "`") {
		if len(f) == 12 && strings.Trim(f, "0123456789abcdef") == "" {
			return f
		}
	}
	t.Fatalf("no fingerprint in comment:\n%s", body)
	return ""
}

// TestE2EOrgDefaultConfig: the organisation's .github repository holds a
// default every repository inherits, and a repository's own file adds to it.
func TestE2EOrgDefaultConfig(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{})
	org := e.gh.AddRepo(e2eOwner, ".github", e2eInstallation)
	org.Commit("org default", map[string]string{".github/pushguard.yml": "rules:\n  custom:\n    - id: corp-token\n      description: Corp internal token\n      pattern: 'corp_[a-z0-9]{20}'\n      keywords: [corp_]\n      confidence: high\n"})
	e.repo.Commit("repo config", map[string]string{".github/pushguard.yml": "paths:\n  ignore: ['docs/**']\n"})
	before := e.repo.Head()
	c := e.repo.Commit("work", map[string]string{
		"svc/client.go": "var t = \"corp_q8w2e7r4t1y9u3i6o0p5\"\n",
		"docs/setup.md": "token: corp_a1s2d3f4g5h6j7k8l9z0\n",
	})
	e.send("push", e.push("refs/heads/main", before, c, false, false, c))
	if got := strings.Join(annotationsAt(e.waitRun(c)), " "); got != "svc/client.go:1" {
		t.Errorf("annotations %q, want the org's custom rule in svc/ only (docs ignored by the repo)", got)
	}
}

// TestE2EDelegatedBypass: accepted-risk is limited by configuration to a
// team; a writer outside it is refused, a member is not.
func TestE2EDelegatedBypass(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{})
	e.repo.Commit("config", map[string]string{".github/pushguard.yml": "bypass:\n  allowed: ['@octo-org/security']\n"})
	s := plant(t, 45)
	pr, head := e.prWithSecret(s)
	fp := fingerprintPrefix(t, e.pushguardComments(pr)[0].Body)
	e.gh.SetPermission(e2eOwner, e2eRepo, "dev", "write")
	e.gh.SetPermission(e2eOwner, e2eRepo, "sec", "write")
	e.gh.SetTeamMember(e2eOwner, "security", "sec")

	cmd := e.say(pr, "dev", "/pushguard dismiss "+fp+" accepted-risk we accept it")
	if got := e.latestRun(head).Conclusion; got != "failure" {
		t.Errorf("a writer outside the team bypassed: conclusion %q", got)
	}
	if got := strings.Join(reactionsOf(e, pr, cmd.ID), ","); got != "eyes,confused" {
		t.Errorf("reactions %q, want eyes,confused", got)
	}
	e.say(pr, "sec", "/pushguard dismiss "+fp+" accepted-risk reviewed by security")
	if got := e.latestRun(head).Conclusion; got != "success" {
		t.Errorf("a team member's bypass: conclusion %q, want success", got)
	}
}

// TestE2ENoCommentWhenCleanOrOff: a clean pull request gets no comment, and
// neither does one in a repository that turned comments off.
func TestE2ENoCommentWhenCleanOrOff(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{})
	e.repo.Branch("clean")
	e.repo.Checkout("clean")
	c := e.repo.Commit("docs", map[string]string{"docs/a.md": "nothing secret\n"})
	clean := e.gh.AddPullRequest(e.repo, 4, e.repo, "clean", "main")
	e.send("pull_request", e.pullRequest("opened", clean))
	e.waitRun(c)
	e.waitQuiet()
	if n := len(e.pushguardComments(clean)); n != 0 {
		t.Errorf("%d comments on a clean pull request, want none", n)
	}

	e.repo.Checkout("main")
	e.repo.Commit("quiet", map[string]string{".github/pushguard.yml": "comments: false\n"})
	s := plant(t, 46)
	pr, head := e.prWithSecret(s)
	if e.latestRun(head).Conclusion != "failure" {
		t.Errorf("the check must still fail with comments off")
	}
	if n := len(e.pushguardComments(pr)); n != 0 {
		t.Errorf("%d comments with comments: false, want none", n)
	}
}
