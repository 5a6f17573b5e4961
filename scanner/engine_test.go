package scanner

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// Secrets planted by the engine tests. They are random and match only the
// test rules below.
const (
	tokA = "tok_Q7fk2Lr9XwP3mZ8vB1nC"
	tokB = "tok_H4sd8Kq2Vn6Ty1Lp9Rx3"
	near = "k3Jd9QwL2xZp7Rv4Tn8Bm1Yc6Hs5Ga"
)

// engineRules exercise the engine independently of the built-in rules.
func engineRules(t testing.TB) *Ruleset {
	t.Helper()
	fix := Remediation{What: "w", RevokeURL: "https://example.test", Revoke: "r", Rotate: "r", Misuse: "m"}
	rs, err := NewRuleset([]Rule{
		{ID: "test-token", Provider: "Test", Keywords: []string{"tok_"}, Pattern: `\b(tok_[A-Za-z0-9]{20})\b`, Group: 1, Confidence: High, Remediation: fix},
		{ID: "test-near", Provider: "Test", Keywords: []string{"near-key"}, KeywordWindow: 2, Pattern: `\b([A-Za-z0-9]{30})\b`, Group: 1, MinEntropy: 3.5, Confidence: Medium, Remediation: fix},
		{ID: "test-generic", Provider: "Generic", Keywords: []string{"secret"}, Pattern: `secret\s*=\s*"?([^"\s]{8,})`, Group: 1, MinEntropy: 3, Confidence: Low, Remediation: fix},
		{ID: "test-block", Provider: "Test", Keywords: []string{"-----begin test key-----"},
			Pattern:    `-----BEGIN TEST KEY-----(?:\n|\\n)((?:[A-Za-z0-9+/=]+(?:\n|\\n))+)-----END TEST KEY-----`,
			Group:      1,
			Block:      &Block{Begin: `-----BEGIN TEST KEY-----`, End: `-----END TEST KEY-----`, MaxLines: 10},
			Confidence: High, Remediation: fix},
	})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func locs(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s %s:%d-%d:%d-%d", f.RuleID, f.Path, f.Line, f.EndLine, f.StartColumn, f.EndColumn))
	}
	return out
}

func scanDiffText(t *testing.T, rs *Ruleset, diff string) *Result {
	t.Helper()
	res, err := New(rs, testKey).ScanDiff(context.Background(), strings.NewReader(diff))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestEngineFindings(t *testing.T) {
	t.Parallel()
	rs := engineRules(t)
	tests := []struct {
		name string
		diff string
		want []string
	}{
		{"added line only", "diff --git a/x.go b/x.go\n--- a/x.go\n+++ b/x.go\n@@ -10,3 +10,4 @@\n ctx " + tokB + "\n-old " + tokB + "\n+v := \"" + tokA + "\"\n ctx\n+ok\n",
			[]string{"test-token x.go:11-11:7-30"}},
		{"window after key id", "diff --git a/c b/c\n--- a/c\n+++ b/c\n@@ -0,0 +1,3 @@\n+near-key: id\n+x\n+val = " + near + "\n",
			[]string{"test-near c:3-3:7-36"}},
		{"window before key id", "diff --git a/c b/c\n--- a/c\n+++ b/c\n@@ -0,0 +1,2 @@\n+val = " + near + "\n+near-key: id\n",
			[]string{"test-near c:1-1:7-36"}},
		{"outside window", "diff --git a/c b/c\n--- a/c\n+++ b/c\n@@ -0,0 +1,4 @@\n+val = " + near + "\n+\n+\n+near-key: id\n",
			nil},
		{"block across context line", "diff --git a/k b/k\n--- a/k\n+++ b/k\n@@ -1,2 +1,5 @@\n+-----BEGIN TEST KEY-----\n+QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\n same\n+MDEyMzQ1Njc4OQ==\n+-----END TEST KEY-----\n",
			[]string{"test-block k:1-5:1-22"}},
		{"escaped block on one line", "diff --git a/k.json b/k.json\n--- a/k.json\n+++ b/k.json\n@@ -0,0 +1 @@\n+{\"k\": \"-----BEGIN TEST KEY-----\\nQUJDREVGR0hJSktM\\n-----END TEST KEY-----\\n\"}\n",
			[]string{"test-block k.json:1-1:34-51"}},
		{"unterminated block", "diff --git a/k b/k\n--- a/k\n+++ b/k\n@@ -0,0 +1,2 @@\n+-----BEGIN TEST KEY-----\n+QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\n",
			nil},
		{"allow marker", "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -0,0 +1 @@\n+t = \"" + tokA + "\" // pushguard:allow\n",
			nil},
		{"gitleaks allow marker", "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -0,0 +1 @@\n+t = \"" + tokA + "\" # gitleaks:allow\n",
			nil},
		{"allow marker on a long line", "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -0,0 +1 @@\n+t = \"" + tokA + "\" " + strings.Repeat("x", 5000) + " // GITLEAKS:ALLOW\n",
			nil},
		{"specific beats generic", "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -0,0 +1 @@\n+secret = " + tokA + "\n",
			[]string{"test-token x:1-1:10-33"}},
		{"generic alone", "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -0,0 +1 @@\n+secret = Zq8wLx2Vb7\n",
			[]string{"test-generic x:1-1:10-19"}},
		{"decoy placeholder", "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -0,0 +1 @@\n+secret = your_api_key_here\n",
			nil},
		{"decoy reference", "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -0,0 +1 @@\n+secret = ${SECRET_VALUE}\n",
			nil},
		{"columns count characters", "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -0,0 +1 @@\n+é = \"" + tokA + "\"\n",
			[]string{"test-token x:1-1:6-29"}},
		{"two on one line", "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -0,0 +1 @@\n+" + tokA + " " + tokB + "\n",
			[]string{"test-token x:1-1:1-24", "test-token x:1-1:26-49"}},
		{"binary", "diff --git a/b.bin b/b.bin\nBinary files a/b.bin and b/b.bin differ\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := locs(scanDiffText(t, rs, tt.diff).Findings)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestEngineCommitAttribution(t *testing.T) {
	t.Parallel()
	rs := engineRules(t)
	const c1, c2 = "1111111111111111111111111111111111111111", "2222222222222222222222222222222222222222"
	diff := "commit " + c1 + "\nAuthor: a\n\n    add\n\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -0,0 +1 @@\n+" + tokA + "\n" +
		"\ncommit " + c2 + "\nAuthor: a\n\n    move\n\ndiff --git a/y b/y\n--- a/y\n+++ b/y\n@@ -0,0 +1,2 @@\n+\n+" + tokA + "\n"
	res := scanDiffText(t, rs, diff)
	if len(res.Findings) != 2 {
		t.Fatalf("got %d findings, want 2", len(res.Findings))
	}
	a, b := res.Findings[0], res.Findings[1]
	if a.Commit != c1 || b.Commit != c2 || a.Path != "x" || b.Path != "y" || b.Line != 2 {
		t.Errorf("attribution: %v / %v", a, b)
	}
	if a.Fingerprint != b.Fingerprint {
		t.Errorf("same secret in two commits and files has two fingerprints")
	}
	if a.Fingerprint == Fingerprint([]byte("other key"), a.RuleID, tokA) {
		t.Errorf("fingerprint does not depend on the key")
	}
}

// TestEngineLongLine scans a line far longer than the reader's piece size,
// with secrets at its start, across the boundary of two pieces, and at its end.
func TestEngineLongLine(t *testing.T) {
	t.Parallel()
	rs := engineRules(t)
	filler := strings.Repeat("a ", maxLine/2)
	line := tokA + " " + filler[:maxLine-len(tokA)-10] + " " + tokB + " " + filler + tokA
	res, err := New(rs, testKey).ScanFile(context.Background(), "min.js", "", strings.NewReader("x\n"+line+"\ny\n"))
	if err != nil {
		t.Fatal(err)
	}
	var cols []int
	for _, f := range res.Findings {
		if f.Line != 2 {
			t.Errorf("finding on line %d", f.Line)
		}
		cols = append(cols, f.StartColumn)
	}
	want := []int{1, len(tokA) + 1 + maxLine - len(tokA) - 10 + 2, len(line) - len(tokA) + 1}
	if fmt.Sprint(cols) != fmt.Sprint(want) {
		t.Errorf("columns %v, want %v", cols, want)
	}
	if res.Lines != 3 {
		t.Errorf("lines = %d, want 3", res.Lines)
	}
}

func TestScanFileBinary(t *testing.T) {
	t.Parallel()
	res, err := New(engineRules(t), testKey).ScanFile(context.Background(), "x.bin", "c", strings.NewReader("\x00\x01"+tokA))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 0 || len(res.Skipped) != 1 || res.Skipped[0].Reason != SkipBinary {
		t.Errorf("binary file: %+v", res)
	}
}

// TestFindingNeverShowsSecret renders a finding every way it can leave the
// process and searches for the secret.
func TestFindingNeverShowsSecret(t *testing.T) {
	t.Parallel()
	res := scanDiffText(t, engineRules(t), "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -0,0 +1 @@\n+"+tokA+"\n")
	if len(res.Findings) != 1 {
		t.Fatalf("got %d findings", len(res.Findings))
	}
	f := res.Findings[0]
	js, _ := json.Marshal(res)
	for _, s := range []string{f.String(), fmt.Sprint(f), fmt.Sprintf("%v %+v %#v", f, f, f), string(js), f.Redacted} {
		if strings.Contains(s, tokA) || strings.Contains(s, tokA[4:]) {
			t.Errorf("secret in %q", s)
		}
	}
	if f.Secret() != tokA {
		t.Errorf("Secret() = %q", f.Secret())
	}
	if want := "tok_… (24 chars)"; f.Redacted != want {
		t.Errorf("Redacted = %q, want %q", f.Redacted, want)
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"":                       "… (0 chars)",
		"abcd":                   "… (4 chars)",
		"abcdefghij":             "ab… (10 chars)",
		strings.Repeat("z", 100): "zzzzzz… (100 chars)",
	}
	for in, want := range tests {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}
