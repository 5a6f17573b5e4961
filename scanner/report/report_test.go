package report

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pushguard/pushguard/internal/golden"
	"github.com/pushguard/pushguard/scanner"
)

// The secrets planted in the fixtures. They match only the test rules.
const (
	testToken    = "pgtest_Q7fk2Lr9XwP3mZ8vB1nCa4Hd"
	testPassword = "Zq8!vR3#mK6$wP1x"
	testCommit   = "3f1c2a9b7d5e4f60718293a4b5c6d7e8f9012345"
)

// testRules is a small ruleset of the tests' own, so the golden files do not
// change when the built-in rules do.
func testRules(t *testing.T) *scanner.Ruleset {
	t.Helper()
	rs, err := scanner.NewRuleset([]scanner.Rule{
		{
			ID: "test-token", Provider: "Example", Description: "Example API tokens (pgtest_ and 24 base62 characters).",
			Keywords: []string{"pgtest_"}, Pattern: `\b(pgtest_[A-Za-z0-9]{24})\b`, Group: 1, Confidence: scanner.High,
			Remediation: scanner.Remediation{
				What:          "An Example API token grants full access to the account's projects.",
				RevokeURL:     "https://example.test/settings/tokens",
				Revoke:        "Delete the token under Settings > Tokens.",
				RevokeCommand: "curl -X DELETE https://api.example.test/tokens/<TOKEN_ID>",
				Rotate:        "Create a new token with the least scope and update the apps that use it.",
				Misuse:        "Check the account's audit log for requests from unknown addresses.",
				DocsURL:       "https://example.test/docs/tokens",
			},
		},
		{
			ID: "test-password", Provider: "Generic", Keywords: []string{"password"},
			Pattern: `password\s*=\s*"([^"]{12,})"`, Group: 1, Confidence: scanner.Low,
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// testFindings scans a git log -p style diff and a whole file with the test
// rules under a fixed key, so fingerprints are stable.
func testFindings(t *testing.T, rs *scanner.Ruleset) ([]scanner.Finding, []scanner.Skipped) {
	t.Helper()
	s := scanner.New(rs, []byte("report-test-key"))
	diff := "commit " + testCommit + "\n\n" +
		"diff --git a/config/app.env b/config/app.env\n--- a/config/app.env\n+++ b/config/app.env\n" +
		"@@ -2,0 +3,2 @@\n+EXAMPLE_TOKEN=" + testToken + "\n+db_password = \"" + testPassword + "\"\n"
	res, err := s.ScanDiff(context.Background(), strings.NewReader(diff))
	if err != nil {
		t.Fatal(err)
	}
	file, err := s.ScanFile(context.Background(), "docs/setup notes.md", "", strings.NewReader("# Setup\n\nUse `"+testToken+"` here.\n"))
	if err != nil {
		t.Fatal(err)
	}
	findings := append(res.Findings, file.Findings...)
	if len(findings) != 3 {
		t.Fatalf("fixture gave %d findings, want 3: %v", len(findings), findings)
	}
	skipped := []scanner.Skipped{{Path: "assets/logo.png", Reason: scanner.SkipBinary}, {Path: "dump.sql", Reason: "too large"}}
	return findings, skipped
}

// checkNoSecret fails when out holds a planted secret. It never prints one.
func checkNoSecret(t *testing.T, out []byte) {
	t.Helper()
	for _, s := range []string{testToken, testPassword} {
		if bytes.Contains(out, []byte(s)) {
			t.Errorf("output contains a planted secret (%s)", scanner.Redact(s))
		}
	}
}

// testScan is the fixture's findings as a report shows them: the first
// ignored with a reason, two findings hidden by a baseline.
func testScan(findings []scanner.Finding, skipped []scanner.Skipped) Scan {
	return Scan{
		Result:    &scanner.Result{Findings: findings[1:], Skipped: skipped, Files: 4},
		Ignored:   []Ignored{{Finding: findings[0], Reason: "test fixture, never issued"}},
		Baselined: 2,
	}
}

func TestGolden(t *testing.T) {
	t.Parallel()
	rs := testRules(t)
	findings, skipped := testFindings(t, rs)
	tests := []struct {
		name   string
		render func(w *bytes.Buffer, s Scan) error
	}{
		{"text", func(w *bytes.Buffer, s Scan) error { return Text(w, s, rs) }},
		{"json", func(w *bytes.Buffer, s Scan) error { return JSON(w, s) }},
		{"sarif", func(w *bytes.Buffer, s Scan) error { return SARIF(w, s, rs, "1.2.3") }},
		{"junit", func(w *bytes.Buffer, s Scan) error { return JUnit(w, s) }},
		{"csv", func(w *bytes.Buffer, s Scan) error { return CSV(w, s) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tt.render(&buf, testScan(findings, skipped)); err != nil {
				t.Fatal(err)
			}
			checkNoSecret(t, buf.Bytes())
			golden.Check(t, filepath.Join("testdata", tt.name+".golden"), buf.Bytes())
		})
		t.Run(tt.name+" clean", func(t *testing.T) {
			var buf bytes.Buffer
			if err := tt.render(&buf, Scan{Result: &scanner.Result{Files: 1}}); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", tt.name+"_clean.golden"), buf.Bytes())
		})
	}
}
