package decisions_test

import (
	"strings"
	"testing"

	"github.com/pushguard/pushguard/decisions"
)

func TestHelpText(t *testing.T) {
	t.Parallel()
	help := decisions.HelpText()
	want := []string{"/pushguard dismiss <fingerprint> <reason> [note]", "/pushguard dismiss all", "/pushguard undo <fingerprint>",
		"/pushguard rescan", "/pushguard help", "/pushguard revoke <fingerprint>", "/pushguard revoke all", "/pushguard resolve <fingerprint", "at least 6 characters", "bypass.allowed", "write, maintain or admin"}
	for _, r := range decisions.Reasons() {
		want = append(want, "`"+string(r)+"`")
	}
	for _, w := range want {
		if !strings.Contains(help, w) {
			t.Errorf("help lacks %q", w)
		}
	}
	// Posting or quoting the help must run nothing.
	if cmds := decisions.Parse(help); len(cmds) != 0 {
		t.Errorf("Parse(HelpText()) = %+v, want no commands", cmds)
	}
}

func TestReasons(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		want   decisions.Reason
		ok     bool
		bypass bool
	}{
		{"revoked", decisions.ReasonRevoked, true, false},
		{"Test-Data", decisions.ReasonTestData, true, false},
		{"false_positive", decisions.ReasonFalsePositive, true, true},
		{"ACCEPTED-RISK", decisions.ReasonAcceptedRisk, true, true},
		{"wontfix", "", false, false},
		{"", "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := decisions.ParseReason(tt.in)
			if ok != tt.ok || ok && got != tt.want {
				t.Fatalf("ParseReason(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
			if ok && decisions.RequiresBypass(got) != tt.bypass {
				t.Errorf("RequiresBypass(%q) = %v, want %v", got, !tt.bypass, tt.bypass)
			}
			if ok && got.Description() == "" {
				t.Errorf("%q has no description", got)
			}
		})
	}
}
