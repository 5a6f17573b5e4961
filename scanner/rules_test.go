package scanner

import (
	"context"
	"regexp"
	"strings"
	"testing"
)

// testKey is the fingerprint key of the tests.
var testKey = []byte("pushguard-test-fingerprint-key")

// scanText scans text as a whole file with rs.
func scanText(t testing.TB, rs *Ruleset, text string) []Finding {
	t.Helper()
	res, err := New(rs, testKey).ScanFile(context.Background(), "case.txt", "", strings.NewReader(text))
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	return res.Findings
}

func defaultRules(t testing.TB) *Ruleset {
	t.Helper()
	rs, err := Default()
	if err != nil {
		t.Fatalf("built-in rules: %v", err)
	}
	return rs
}

func oneRule(t testing.TB, r Rule) *Ruleset {
	t.Helper()
	rs, err := NewRuleset([]Rule{r})
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	return rs
}

func countRule(fs []Finding, id string) int {
	n := 0
	for _, f := range fs {
		if f.RuleID == id {
			n++
		}
	}
	return n
}

// TestRuleCases runs every built-in rule over its own cases: each true
// positive gives exactly one finding of the rule (alone, and still with every
// other rule competing for the same text), each false positive none.
func TestRuleCases(t *testing.T) {
	t.Parallel()
	all := defaultRules(t)
	for _, r := range Builtin() {
		t.Run(r.ID, func(t *testing.T) {
			t.Parallel()
			if len(r.TruePositives) < 2 {
				t.Errorf("%d true positives, want at least 2", len(r.TruePositives))
			}
			if len(r.FalsePositives) < 2 {
				t.Errorf("%d false positives, want at least 2", len(r.FalsePositives))
			}
			alone := oneRule(t, r)
			for _, tp := range r.TruePositives {
				if n := countRule(scanText(t, alone, tp), r.ID); n != 1 {
					t.Errorf("true positive gave %d findings, want 1:\n%s", n, tp)
				}
				if n := countRule(scanText(t, all, tp), r.ID); n != 1 {
					t.Errorf("true positive lost to another rule with every rule on (%v):\n%s", scanText(t, all, tp), tp)
				}
			}
			for _, fp := range r.FalsePositives {
				if fs := scanText(t, alone, fp); len(fs) != 0 {
					t.Errorf("false positive flagged %v:\n%s", fs, fp)
				}
			}
		})
	}
}

// TestRulePrefilter fails when a rule's pattern matches a true positive whose
// text holds none of the rule's keywords: the prefilter would skip it.
func TestRulePrefilter(t *testing.T) {
	t.Parallel()
	for _, r := range Builtin() {
		t.Run(r.ID, func(t *testing.T) {
			re := regexp.MustCompile(r.Pattern)
			for _, tp := range r.TruePositives {
				lower := strings.ToLower(tp)
				hit := false
				for _, k := range r.Keywords {
					hit = hit || strings.Contains(lower, k)
				}
				if !hit && (re.MatchString(tp) || r.Block != nil) {
					t.Errorf("no keyword of %q in true positive:\n%s", r.Keywords, tp)
				}
			}
		})
	}
}

// TestRuleData checks what a check run will show of each rule.
func TestRuleData(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, r := range Builtin() {
		t.Run(r.ID, func(t *testing.T) {
			if seen[r.ID] {
				t.Errorf("duplicate id")
			}
			seen[r.ID] = true
			if !regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`).MatchString(r.ID) {
				t.Errorf("id is not lower-kebab-case")
			}
			if !strings.Contains(r.Description, "https://") {
				t.Errorf("description cites no source of the format: %q", r.Description)
			}
			m := r.Remediation
			for name, v := range map[string]string{"What": m.What, "RevokeURL": m.RevokeURL, "Revoke": m.Revoke, "Rotate": m.Rotate, "Misuse": m.Misuse} {
				if strings.TrimSpace(v) == "" {
					t.Errorf("remediation %s is empty", name)
				}
			}
			if !strings.HasPrefix(m.RevokeURL, "https://") {
				t.Errorf("revoke URL %q is not https", m.RevokeURL)
			}
		})
	}
}

func TestRuleCount(t *testing.T) {
	t.Parallel()
	if n := len(Builtin()); n < 150 {
		t.Errorf("%d built-in rules, want at least 150", n)
	}
}
