package repoconfig

import (
	"slices"
	"testing"

	"github.com/pushguard/pushguard/scanner"
)

// parse parses a file that must be valid.
func parse(t *testing.T, lines ...string) *Config {
	t.Helper()
	c, problems := Parse(testPath, yml(lines...), builtin(t))
	if len(problems) > 0 {
		t.Fatal(problemStrings(problems))
	}
	return c
}

func TestMerge(t *testing.T) {
	t.Parallel()
	org := parse(t,
		"paths: {ignore: ['**/testdata/**', 'docs/']}",
		"rules:",
		"  disable: [generic-secret]",
		"  custom:",
		"    - {id: shared, pattern: 'shared_[a-z0-9]{20}', keywords: [shared_], confidence: low}",
		"    - {id: org-only, pattern: 'orgo_[a-z0-9]{20}', keywords: [orgo_]}",
		"comments: false",
		"fail_on: medium",
		"bypass: {allowed: ['@octo-org/security']}",
	)
	repo := parse(t,
		"paths: {ignore: ['docs/', 'fixtures/**']}",
		"rules:",
		"  disable: [generic-secret-hex]",
		"  custom:",
		"    - {id: shared, pattern: 'shared_[a-z0-9]{32}', keywords: [shared_], confidence: high}",
		"    - {id: repo-only, pattern: 'repo_[a-z0-9]{20}', keywords: [repo_]}",
	)

	m := Merge(org, repo)
	t.Run("ignore is the union", func(t *testing.T) {
		if got, want := m.IgnorePatterns(), []string{"**/testdata/**", "docs/**", "fixtures/**"}; !slices.Equal(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("disable is the union", func(t *testing.T) {
		if got, want := m.DisabledRules(), []string{"generic-secret", "generic-secret-hex"}; !slices.Equal(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("custom rules: union, repo wins on id", func(t *testing.T) {
		rules := m.CustomRules()
		var ids []string
		for _, r := range rules {
			ids = append(ids, r.ID)
		}
		if want := []string{"custom-shared", "custom-org-only", "custom-repo-only"}; !slices.Equal(ids, want) {
			t.Fatalf("ids %q, want %q", ids, want)
		}
		if rules[0].Confidence != scanner.High {
			t.Errorf("custom-shared came from the org, not the repo")
		}
	})
	t.Run("scalars unset in repo come from org", func(t *testing.T) {
		if m.CommentsEnabled() || m.FailOn() != scanner.Medium || m.MayBypass("octocat", nil) {
			t.Errorf("comments %v, fail_on %v, bypass open %v", m.CommentsEnabled(), m.FailOn(), m.MayBypass("octocat", nil))
		}
	})
	t.Run("scalars set in repo override org", func(t *testing.T) {
		over := Merge(org, parse(t, "comments: true", "fail_on: high", "bypass: {allowed: [octocat]}"))
		if !over.CommentsEnabled() || over.FailOn() != scanner.High || !over.MayBypass("octocat", nil) ||
			over.MayBypass("hubot", []string{"octo-org/security"}) {
			t.Error("repo did not override")
		}
		open := Merge(org, parse(t, "bypass: {allowed: []}"))
		if !open.MayBypass("hubot", nil) {
			t.Error("an explicit empty list in the repo did not reopen bypass")
		}
	})
	t.Run("repo may disable an org custom rule", func(t *testing.T) {
		d := Merge(org, parse(t, "rules: {disable: [custom-org-only]}"))
		for _, r := range d.CustomRules() {
			if r.ID == "custom-org-only" {
				t.Error("disabled custom rule still returned")
			}
		}
	})
	t.Run("nil sides", func(t *testing.T) {
		if got := Merge(nil, repo).IgnorePatterns(); !slices.Equal(got, repo.IgnorePatterns()) {
			t.Errorf("Merge(nil, repo) ignore = %q", got)
		}
		if got := Merge(org, nil); got.FailOn() != scanner.Medium {
			t.Errorf("Merge(org, nil) fail_on = %v", got.FailOn())
		}
		if got := Merge(nil, nil); !got.CommentsEnabled() || got.FailOn() != DefaultFailOn {
			t.Error("Merge(nil, nil) is not the default")
		}
	})
	t.Run("broken repo file falls back to org", func(t *testing.T) {
		broken, problems := Parse(testPath, yml("fail_on: low", "paths: {ignore: ['**/*.go']}", "typo: 1"), builtin(t))
		if len(problems) != 1 {
			t.Fatal(problemStrings(problems))
		}
		b := Merge(org, broken)
		if b.FailOn() != scanner.Medium || b.Ignored("main.go") || !slices.Equal(b.IgnorePatterns(), org.IgnorePatterns()) {
			t.Errorf("fail_on %v, ignore %q", b.FailOn(), b.IgnorePatterns())
		}
	})
	t.Run("inputs unchanged", func(t *testing.T) {
		if len(org.IgnorePatterns()) != 2 || len(repo.IgnorePatterns()) != 2 {
			t.Error("Merge modified its inputs")
		}
	})
}
