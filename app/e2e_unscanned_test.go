package app

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// unscannedCase is one path that leaves something unscanned: set up pushes
// it and returns the head SHA to wait for, and what the summary must name.
type unscannedCase struct {
	name   string
	config e2eConfig
	setup  func(t *testing.T, e *e2e) (head string, want []string)
}

// TestE2EUnscannedIsNamed runs each path that leaves commits or files
// unscanned through the real pipeline: the check run names what was not
// scanned, with counts and SHAs or paths, and does not pass as success.
func TestE2EUnscannedIsNamed(t *testing.T) {
	t.Parallel()
	zero := strings.Repeat("0", 40)
	cases := []unscannedCase{
		{name: "first push trimmed to the last N commits", config: e2eConfig{maxCommits: 3},
			setup: func(t *testing.T, e *e2e) (string, []string) {
				shas := commitN(e, 5)
				head := shas[len(shas)-1]
				e.send("push", e.push("refs/heads/main", zero, head, true, false, shas...))
				return head, []string{"2 commits not scanned", shas[0][:12], shas[1][:12]}
			}},
		{name: "compare fallback trimmed to the last N commits", config: e2eConfig{maxCommits: 3},
			setup: func(t *testing.T, e *e2e) (string, []string) {
				shas := commitN(e, 5)
				head := shas[len(shas)-1]
				gone := strings.Repeat("d", 40) // an old head GitHub no longer has
				e.send("push", e.push("refs/heads/main", gone, head, false, true, shas...))
				return head, []string{"2 commits not scanned", shas[0][:12], shas[1][:12]}
			}},
		{name: "compare lists at most 300 files", config: e2eConfig{maxCommits: 1},
			setup: func(t *testing.T, e *e2e) (string, []string) {
				before := e.repo.Head()
				c1 := e.repo.Commit("many files", manyFiles("gen", 301))
				c2 := e.repo.Commit("one more", map[string]string{"z.txt": "z\n"})
				e.send("push", e.push("refs/heads/main", before, c2, false, false, c1, c2))
				return c2, []string{"Net diff scanned", "(files past the first 300) of " + c2[:12]}
			}},
		{name: "a commit lists at most 3000 files", config: e2eConfig{},
			setup: func(t *testing.T, e *e2e) (string, []string) {
				if testing.Short() {
					t.Skip("3001 files take git some seconds")
				}
				before := e.repo.Head()
				c := e.repo.Commit("huge commit", manyFiles("huge", 3001))
				e.send("push", e.push("refs/heads/main", before, c, false, false, c))
				return c, []string{"(files past the first 3000) of " + c[:12]}
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := startE2E(t, tc.config)
			head, want := tc.setup(t, e)
			run := e.waitRun(head)
			if run.Conclusion != "action_required" {
				t.Errorf("conclusion %q, want action_required: unscanned content must not pass silently", run.Conclusion)
			}
			if !strings.Contains(run.Output.Title, "not scanned") {
				t.Errorf("title %q does not say something was not scanned", run.Output.Title)
			}
			for _, w := range want {
				if !strings.Contains(run.Output.Summary, w) {
					t.Errorf("summary lacks %q:\n%s", w, run.Output.Summary)
				}
			}
		})
	}
}

// TestE2ETimeBudget scans with a budget already spent: every file is named
// "not scanned (time budget)", the planted secret is neither found nor
// leaked, and the check does not pass.
func TestE2ETimeBudget(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{scanBudget: time.Nanosecond})
	s := plant(t, 31)
	before := e.repo.Head()
	c := e.repo.Commit("key", map[string]string{"k.env": "GITHUB_TOKEN=" + s.github + "\n", "notes.txt": "hello\n"})
	e.send("push", e.push("refs/heads/main", before, c, false, false, c))
	run := e.waitRun(c)
	if run.Conclusion != "action_required" {
		t.Errorf("conclusion %q, want action_required", run.Conclusion)
	}
	for _, w := range []string{"2 files not scanned (time budget)", "`k.env`", "`notes.txt`"} {
		if !strings.Contains(run.Output.Summary, w) {
			t.Errorf("summary lacks %q:\n%s", w, run.Output.Summary)
		}
	}
	e.assertNoSecret(s.github)
}

// TestE2ENetDiffNamedInComment: a pull request past the per-commit limit is
// scanned as a net diff, and the PR comment listing its findings says so.
func TestE2ENetDiffNamedInComment(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{maxCommits: 2})
	s := plant(t, 32)
	e.repo.Branch("feature")
	e.repo.Checkout("feature")
	commitN(e, 2)
	c := e.repo.Commit("key", map[string]string{"k.env": "GITHUB_TOKEN=" + s.github + "\n"})
	pr := e.gh.AddPullRequest(e.repo, 9, e.repo, "feature", "main")
	e.send("pull_request", e.pullRequest("opened", pr))
	run := e.waitRun(c)
	e.waitQuiet()
	if run.Conclusion != "failure" {
		t.Errorf("conclusion %q, want failure", run.Conclusion)
	}
	comments := e.pushguardComments(pr)
	if len(comments) != 1 || !strings.Contains(comments[0].Body, "net diff") {
		t.Errorf("the PR comment does not say the net diff was scanned: %+v", comments)
	}
	e.assertNoSecret(s.github)
}

// commitN makes n small commits and returns their SHAs, oldest first.
func commitN(e *e2e, n int) []string {
	var shas []string
	for i := 0; i < n; i++ {
		shas = append(shas, e.repo.Commit(fmt.Sprintf("c%d", i), map[string]string{fmt.Sprintf("f%d.txt", i): "x\n"}))
	}
	return shas
}

// manyFiles is n one-line files under dir, all alike so that git stores
// one blob.
func manyFiles(dir string, n int) map[string]string {
	files := make(map[string]string, n)
	for i := 0; i < n; i++ {
		files[fmt.Sprintf("%s/f%04d.txt", dir, i)] = "line\n"
	}
	return files
}
