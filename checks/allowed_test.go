package checks

import (
	"strings"
	"testing"
)

// TestRenderAllowed: findings the repository's allowlist dropped are
// counted in the summary, and do not fail the check.
func TestRenderAllowed(t *testing.T) {
	t.Parallel()
	rs := newTestRuleset(t)
	for _, tt := range []struct {
		allowed int
		want    string
	}{
		{0, ""},
		{1, "_1 finding allowed by .github/pushguard.yml allowlist._"},
		{3, "_3 findings allowed by .github/pushguard.yml allowlist._"},
	} {
		out := Render(Report{Commits: 1, Allowed: tt.allowed}, rs)
		if out.Conclusion != ConclusionSuccess {
			t.Errorf("%d allowed: conclusion %q", tt.allowed, out.Conclusion)
		}
		if got := strings.Contains(out.Summary, "allowed by"); got != (tt.want != "") || !strings.Contains(out.Summary, tt.want) {
			t.Errorf("%d allowed: summary\n%s\nwant %q", tt.allowed, out.Summary, tt.want)
		}
	}
}
