package app

import (
	"regexp"
	"strings"
	"testing"
)

// TestE2EAllowlist: an allowlist on the default branch drops a finding from
// the check run and the summary counts it, without the secret. The commit
// was scanned (and its result cached) before the allowlist was added, so
// this also proves the cached result is not reused once the allowlist
// changes the ruleset.
func TestE2EAllowlist(t *testing.T) {
	t.Parallel()
	e := startE2E(t, e2eConfig{})
	allowed, kept := plant(t, 70).github, plant(t, 71).github
	start := e.repo.Head()
	leak := e.repo.Commit("test key", map[string]string{"testdata/keys.env": "GITHUB_TOKEN=" + allowed + "\n"})
	e.send("push", e.push("refs/heads/main", start, leak, false, false, leak))
	if run := e.waitRun(leak); run.Conclusion != "failure" {
		t.Fatalf("before the allowlist: conclusion %q, want failure", run.Conclusion)
	}

	// The expression names part of the key only: the file itself holds no key.
	rule := "allowlist:\n  regexes: ['" + regexp.QuoteMeta(allowed[4:20]) + "']\n"
	e.repo.Commit("allowlist", map[string]string{".github/pushguard.yml": rule})
	other := e.repo.Commit("other key", map[string]string{"testdata/other.env": "SECOND=" + kept + "\n"})
	e.send("push", e.push("refs/heads/main", start, other, false, true, leak, other))
	run := e.waitRun(other)
	if got := strings.Join(annotationsAt(run), " "); got != "testdata/other.env:1" {
		t.Errorf("annotations %q, want only the key the allowlist does not name", got)
	}
	if !strings.Contains(run.Output.Summary, "1 finding allowed by .github/pushguard.yml allowlist") {
		t.Errorf("summary does not count the allowed finding:\n%s", run.Output.Summary)
	}
	if strings.Contains(run.Output.Summary, allowed) || strings.Contains(run.Output.Summary, kept) {
		t.Error("summary holds a planted secret")
	}

	// allowlist.commits: the findings of a listed commit are dropped too.
	e.repo.Commit("allow commit", map[string]string{".github/pushguard.yml": rule + "  commits: [" + other + "]\n"})
	last := e.repo.Commit("docs", map[string]string{"README.md": "hello\n"})
	e.send("push", e.push("refs/heads/main", start, last, false, true, leak, other, last))
	run = e.waitRun(last)
	if run.Conclusion != "success" || !strings.Contains(run.Output.Summary, "2 findings allowed by .github/pushguard.yml allowlist") {
		t.Errorf("commit allowlist: conclusion %q; summary:\n%s", run.Conclusion, run.Output.Summary)
	}
}
