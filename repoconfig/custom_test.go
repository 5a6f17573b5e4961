package repoconfig

import (
	"context"
	"strings"
	"testing"

	"github.com/pushguard/pushguard/scanner"
)

// customFile is a file with one custom rule made of the given lines.
func customFile(ruleLines ...string) []byte {
	lines := []string{"rules:", "  custom:"}
	for i, l := range ruleLines {
		prefix := "      "
		if i == 0 {
			prefix = "    - "
		}
		lines = append(lines, prefix+l)
	}
	return yml(lines...)
}

// TestCustomRuleProblems checks that every unsafe or incomplete custom rule
// is refused with a message at the offending line.
func TestCustomRuleProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		rule  []string
		line  int
		inMsg string
	}{
		{"invalid syntax", []string{"id: a", "pattern: 'acme_[a-z'", "keywords: [acme_]"}, 4, "missing closing ]"},
		{"lookaround", []string{"id: a", "pattern: 'acme_(?=x)'", "keywords: [acme_]"}, 4, "no lookaround"},
		{"backreference", []string{"id: a", `pattern: '(acme)_\1'`, "keywords: [acme_]"}, 4, "invalid escape"},
		{"too long", []string{"id: a", "pattern: 'acme_" + strings.Repeat("x", maxPatternLen) + "'", "keywords: [acme_]"}, 4, "the limit is 1024"},
		{"repeat over 1000", []string{"id: a", "pattern: 'acme_[a-z]{1001}'", "keywords: [acme_]"}, 4, "invalid repeat count"},
		{"nested repeat over 1000", []string{"id: a", "pattern: 'acme_(?:(?:[a-z]{100}){100})'", "keywords: [acme_]"}, 4, "invalid repeat count"},
		{"matches empty", []string{"id: a", "pattern: '.*'", "keywords: [acme_]"}, 4, "matches the empty string"},
		{"matches empty via optional", []string{"id: a", "pattern: '(acme_[a-z]{8})?'", "keywords: [acme_]"}, 4, "matches the empty string"},
		{"matches prose", []string{"id: a", `pattern: '\w{3,}'`, "keywords: [acme_]"}, 4, "matches ordinary text"},
		{"matches keyword alone", []string{"id: a", "pattern: 'acme_'", "keywords: [acme_]"}, 4, "matches ordinary text"},
		{"matches everything non-empty", []string{"id: a", "pattern: '.+'", "keywords: [acme_]", "min_entropy: 7"}, 4, "matches ordinary text"},
		{"missing pattern", []string{"id: a", "keywords: [acme_]"}, 3, "pattern is required"},
		{"missing keywords", []string{"id: a", "pattern: 'acme_[a-z]{8}'"}, 3, "keywords are required"},
		{"short keyword", []string{"id: a", "pattern: 'acme_[a-z]{8}'", "keywords: [ac]"}, 5, "shorter than 3"},
		{"missing id", []string{"pattern: 'acme_[a-z]{8}'", "keywords: [acme_]"}, 3, "id is required"},
		{"bad id", []string{"id: 'acme key'", "pattern: 'acme_[a-z]{8}'", "keywords: [acme_]"}, 3, "lower-case letters, digits and hyphens"},
		{"group out of range", []string{"id: a", "pattern: 'acme_([a-z]{8})'", "keywords: [acme_]", "secret_group: 2"}, 4, "secret_group 2 is out of range"},
		{"bad confidence", []string{"id: a", "pattern: 'acme_[a-z]{8}'", "keywords: [acme_]", "confidence: severe"}, 6, "want low, medium or high"},
		{"entropy out of range", []string{"id: a", "pattern: 'acme_[a-z]{8}'", "keywords: [acme_]", "min_entropy: -1"}, 6, "outside 0 to 8"},
		{"not a mapping", []string{"acme_[a-z]{8}"}, 3, "want a mapping of keys"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, problems := Parse(testPath, customFile(tt.rule...), builtin(t))
			if len(problems) != 1 {
				t.Fatalf("want one problem, got %v", problemStrings(problems))
			}
			if p := problems[0]; p.Line != tt.line || !strings.Contains(p.Message, tt.inMsg) {
				t.Errorf("got %s, want line %d with %q", p, tt.line, tt.inMsg)
			}
			if len(c.CustomRules()) != 0 {
				t.Error("a refused rule was kept")
			}
		})
	}
}

func TestCustomRuleIDs(t *testing.T) {
	t.Parallel()
	file := yml(
		"rules:",
		"  custom:",
		"    - {id: acme, pattern: 'acme_[a-z0-9]{24}', keywords: [acme_]}",
		"    - {id: custom-acme, pattern: 'acme_[a-z0-9]{30}', keywords: [acme_]}",
		"    - {id: custom-zeta, pattern: 'zeta_[a-z0-9]{30}', keywords: [zeta_]}",
	)
	c, problems := Parse(testPath, file, builtin(t))
	if len(problems) != 1 || problems[0].Line != 4 || !strings.Contains(problems[0].Message, `"custom-acme" is used twice`) {
		t.Fatalf("problems = %v", problemStrings(problems))
	}
	var ids []string
	for _, r := range c.CustomRules() {
		ids = append(ids, r.ID)
	}
	if strings.Join(ids, ",") != "custom-acme,custom-zeta" {
		t.Errorf("kept %v", ids)
	}

	// A custom id may not take a built-in rule's.
	clash := scanner.Rule{ID: "custom-acme", Provider: "Test", Keywords: []string{"acme_"}, Pattern: "acme_[0-9]{4}", Confidence: scanner.High}
	rs, err := scanner.NewRuleset([]scanner.Rule{clash})
	if err != nil {
		t.Fatal(err)
	}
	_, problems = Parse(testPath, file[:strings.Index(string(file), "    - {id: custom-acme")], rs)
	if len(problems) != 1 || !strings.Contains(problems[0].Message, "built-in rule") {
		t.Errorf("clash with built-in: %v", problemStrings(problems))
	}
}

// TestCustomRuleFindsPlantedToken runs a custom rule the way the worker
// will: parse, build the ruleset, scan a file.
func TestCustomRuleFindsPlantedToken(t *testing.T) {
	t.Parallel()
	c, problems := Parse(testPath, yml(
		"rules:",
		"  custom:",
		"    - id: acme-api-key",
		"      description: Acme Corp internal API key.",
		`      pattern: '\b(acme_live_[A-Za-z0-9]{32})\b'`,
		"      keywords: [ACME_LIVE_]",
		"      secret_group: 1",
		"      min_entropy: 3",
		"      confidence: high",
	), builtin(t))
	if len(problems) > 0 {
		t.Fatal(problemStrings(problems))
	}
	rs, err := c.Ruleset(builtin(t))
	if err != nil {
		t.Fatal(err)
	}
	const token = "acme_live_Q7vT2mXk9LpR4sWz8NbY3cHd6JfG1aEu"
	file := "package main\n\n// talks to Acme\nconst acme = \"" + token + "\"\nconst other = \"acme_live_short\"\n"
	res, err := scanner.New(rs, []byte("test key")).ScanFile(context.Background(), "main.go", "", strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	var found []scanner.Finding
	for _, f := range res.Findings {
		if f.RuleID == "custom-acme-api-key" {
			found = append(found, f)
		}
	}
	if len(found) != 1 {
		t.Fatalf("findings = %v, want one of custom-acme-api-key", res.Findings)
	}
	f := found[0]
	if f.Line != 4 || f.Secret() != token || f.Confidence != scanner.High {
		t.Errorf("finding = %v (secret %q)", f, f.Secret())
	}
	r, ok := rs.Rule(f.RuleID)
	if !ok || r.Remediation.What != "Acme Corp internal API key." || r.Remediation.Revoke == "" {
		t.Errorf("rule remediation = %+v", r.Remediation)
	}
}
