package worker

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pushguard/pushguard/checks"
)

// TestTrimmedPlan: the newest n commits of a payload's list are scanned and
// every other one is named, with a floor when the list is at GitHub's cap.
func TestTrimmedPlan(t *testing.T) {
	t.Parallel()
	list := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("%040x", i)
		}
		return out
	}
	tests := []struct {
		name        string
		listed      []string
		n           int
		wantKept    []string
		wantGap     bool
		wantCount   int
		wantAtLeast bool
		wantDropped []string
	}{
		{"under the limit", list(3), 5, list(3), false, 0, false, nil},
		{"at the limit", list(5), 5, list(5), false, 0, false, nil},
		{"past the limit", list(5), 3, list(5)[2:], true, 2, false, list(5)[:2]},
		{"one allowed", list(4), 1, list(4)[3:], true, 3, false, list(4)[:3]},
		{"payload at its cap, trimmed", list(pushPayloadMaxCommits), 250, list(pushPayloadMaxCommits)[pushPayloadMaxCommits-250:], true, pushPayloadMaxCommits - 250, true, list(pushPayloadMaxCommits)[:pushPayloadMaxCommits-250]},
		{"payload at its cap, all scanned", list(pushPayloadMaxCommits), 10000, list(pushPayloadMaxCommits), true, 0, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := trimmedPlan(tt.listed, tt.n, "Why.")
			if !slices.Equal(p.commits, tt.wantKept) {
				t.Errorf("kept %d commits, want %d", len(p.commits), len(tt.wantKept))
			}
			if !tt.wantGap {
				if len(p.unscanned) != 0 {
					t.Errorf("unscanned %+v, want none", p.unscanned)
				}
				return
			}
			if len(p.unscanned) != 1 {
				t.Fatalf("unscanned %+v, want one gap", p.unscanned)
			}
			g := p.unscanned[0]
			if g.Count != tt.wantCount || g.AtLeast != tt.wantAtLeast || !slices.Equal(g.SHAs, tt.wantDropped) {
				t.Errorf("gap count %d at least %v with %d SHAs; want %d, %v, %d", g.Count, g.AtLeast, len(g.SHAs), tt.wantCount, tt.wantAtLeast, len(tt.wantDropped))
			}
			if !strings.HasPrefix(g.Reason, "Why.") || !strings.Contains(g.Reason, fmt.Sprintf("It listed %d", len(tt.listed))) {
				t.Errorf("reason %q does not say why and how many", g.Reason)
			}
			if tt.wantAtLeast && !strings.Contains(g.Reason, "2048") {
				t.Errorf("reason %q does not name the payload's cap", g.Reason)
			}
			// Every listed commit is either scanned or named.
			if got := len(p.commits) + len(g.SHAs); got != len(tt.listed) {
				t.Errorf("%d commits scanned or named, want all %d", got, len(tt.listed))
			}
			if r := (checks.Report{UnscannedCommits: p.unscanned}); r.Conclusion() != checks.ConclusionActionRequired {
				t.Errorf("conclusion %q, want action_required", r.Conclusion())
			}
		})
	}
}
