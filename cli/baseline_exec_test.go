package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pushguard/pushguard/scanner"
)

// TestScanBaselineExec adopts pushguard on a tree with a known secret:
// --write-baseline records it, --baseline then hides it and counts it, and
// a new secret is still reported.
func TestScanBaselineExec(t *testing.T) {
	t.Parallel()
	exe := buildPushguard(t)
	token := githubToken(t)
	dir := t.TempDir()
	writeFile(t, dir, "src/old.env", []byte("GITHUB_TOKEN="+token+"\n"))
	baseline := filepath.Join(t.TempDir(), "baseline.json")

	first := runExe(t, exe, dir, nil, "scan", "src", "--write-baseline", baseline)
	if first.code != 1 {
		t.Fatalf("first run exit %d, want 1 (it still reports the finding)", first.code)
	}
	data, err := os.ReadFile(baseline)
	if err != nil {
		t.Fatal(err)
	}
	checkNoSecret(t, token, string(data))
	if fs := parseFindings(t, string(data)); len(fs) != 1 {
		t.Fatalf("baseline holds %d findings, want 1", len(fs))
	}

	clean := runExe(t, exe, dir, nil, "scan", "src", "--baseline", baseline)
	if clean.code != 0 || !strings.Contains(clean.stdout, "no secrets found; 1 hidden by the baseline") {
		t.Errorf("with the baseline: exit %d, stdout %q; want 0 and the hidden count", clean.code, clean.stdout)
	}

	writeFile(t, dir, "src/new.env", []byte("aws_access_key_id = "+awsKeyID+"\n"))
	for _, format := range []string{"text", "json", "sarif"} {
		got := runExe(t, exe, dir, nil, "scan", "src", "--baseline", baseline, "--format", format)
		checkNoSecret(t, token, got.stdout, got.stderr)
		checkNoSecret(t, awsKeyID, got.stdout, got.stderr)
		want := map[string]string{"text": "1 finding in 1 file; 1 hidden by the baseline", "json": `"rule_id": "aws-access-key-id"`,
			"sarif": `"pushguard/hiddenByBaseline": 1`}[format]
		if got.code != 1 || !strings.Contains(got.stdout, want) || strings.Contains(got.stdout, "old.env") {
			t.Errorf("%s: exit %d, stdout %s; want 1, %q and nothing of old.env", format, got.code, got.stdout, want)
		}
	}
}

// TestScanBaselineMalformedExec checks that a baseline pushguard cannot
// read stops the scan (exit 2): it never silently hides nothing.
func TestScanBaselineMalformedExec(t *testing.T) {
	t.Parallel()
	exe := buildPushguard(t)
	dir := t.TempDir()
	writeFile(t, dir, "a.env", []byte("aws_access_key_id = "+awsKeyID+"\n"))
	fp := strings.Repeat("ab", 32)
	tests := []struct {
		name, content, wantStderr string
	}{
		{"not JSON", "hello", "not a pushguard JSON report"},
		{"an object", `{"findings": []}`, "not a pushguard JSON report"},
		{"SARIF", `{"version": "2.1.0", "runs": []}`, "not a pushguard JSON report"},
		{"null", "null", "not a pushguard JSON report"},
		{"no fingerprint", `[{"rule_id": "x"}]`, "finding 1 has no fingerprint"},
		{"short fingerprint", `[{"fingerprint": "` + fp + `"}, {"fingerprint": "abc"}]`, "finding 2 has no fingerprint"},
		{"fingerprint not a string", `[{"fingerprint": 12}]`, "not a pushguard JSON report"},
		{"empty file", "", "not a pushguard JSON report"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := writeFile(t, t.TempDir(), "baseline.json", []byte(tt.content))
			got := runExe(t, exe, dir, nil, "scan", ".", "--baseline", path)
			if got.code != 2 || got.stdout != "" || !strings.Contains(got.stderr, tt.wantStderr) || strings.Count(got.stderr, "\n") != 1 {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2 and one line with %q", got.code, got.stdout, got.stderr, tt.wantStderr)
			}
		})
	}
	t.Run("missing", func(t *testing.T) {
		t.Parallel()
		got := runExe(t, exe, dir, nil, "scan", ".", "--baseline", filepath.Join(dir, "nope.json"))
		if got.code != 2 || !strings.Contains(got.stderr, "no such file") {
			t.Errorf("exit %d, stderr %q; want 2", got.code, got.stderr)
		}
	})
	t.Run("empty array hides nothing", func(t *testing.T) {
		t.Parallel()
		path := writeFile(t, t.TempDir(), "baseline.json", []byte("[]\n"))
		if got := runExe(t, exe, dir, nil, "scan", ".", "--baseline", path); got.code != 1 {
			t.Errorf("exit %d, want 1", got.code)
		}
	})
}

// TestScanIgnoreFileExec lists a finding's fingerprint in .pushguardignore
// with a reason: every format shows it as ignored with the reason, it is not
// counted, and the scan passes.
func TestScanIgnoreFileExec(t *testing.T) {
	t.Parallel()
	exe := buildPushguard(t)
	token := githubToken(t)
	dir := t.TempDir()
	writeFile(t, dir, "deploy/config.env", []byte("GITHUB_TOKEN="+token+"\n"))
	fp := scanner.Fingerprint(nil, "github-pat", token)
	writeFile(t, dir, ".pushguardignore", []byte("# revoked keys\n\n"+fp[:12]+"  revoked 2026-11-02, see INC-42\n"))
	tests := []struct {
		format string
		want   []string
	}{
		{"text", []string{"ignored: deploy/config.env:1:14  GitHub", "fingerprint " + fp[:12] + ": revoked 2026-11-02, see INC-42", "no secrets found; 1 ignored"}},
		{"json", []string{`"status": "ignored"`, `"ignore_reason": "revoked 2026-11-02, see INC-42`}},
		{"sarif", []string{`"suppressions"`, `"kind": "external"`, `"justification": "revoked 2026-11-02, see INC-42`}},
		{"junit", []string{`<skipped message="ignored: revoked 2026-11-02, see INC-42`}},
		{"csv", []string{`,ignored,"revoked 2026-11-02, see INC-42"`}},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			t.Parallel()
			got := runExe(t, exe, dir, nil, "scan", ".", "--format", tt.format)
			checkNoSecret(t, token, got.stdout, got.stderr)
			checkNoSecret(t, awsKeyID, got.stdout, got.stderr)
			if got.code != 0 {
				t.Errorf("exit %d, want 0 (stderr %q)", got.code, got.stderr)
			}
			for _, want := range tt.want {
				if !strings.Contains(got.stdout, want) {
					t.Errorf("report lacks %q:\n%s", want, got.stdout)
				}
			}
		})
	}
	t.Run("--ignore-file elsewhere", func(t *testing.T) {
		t.Parallel()
		// A reason holding a secret is shown redacted.
		other := writeFile(t, t.TempDir(), "ignore", []byte(fp+" test data, not "+awsKeyID+"\n"))
		empty := writeFile(t, t.TempDir(), "empty", nil)
		got := runExe(t, exe, dir, nil, "scan", ".", "--ignore-file", other, "--format", "json")
		checkNoSecret(t, awsKeyID, got.stdout, got.stderr)
		if got.code != 0 || !strings.Contains(got.stdout, `"ignore_reason": "test data, not AKIA… (20 chars)"`) {
			t.Errorf("exit %d, stdout %s; want 0 and the other file's reason, redacted", got.code, got.stdout)
		}
		if got := runExe(t, exe, dir, nil, "scan", ".", "--ignore-file", empty); got.code != 1 {
			t.Errorf("an empty --ignore-file: exit %d, want 1 (it replaces .pushguardignore)", got.code)
		}
	})
}

// TestScanIgnoreFileProblemsExec checks that an ignore file line pushguard
// cannot read stops the scan with the file and the line.
func TestScanIgnoreFileProblemsExec(t *testing.T) {
	t.Parallel()
	exe := buildPushguard(t)
	fp := strings.Repeat("0123456789abcdef", 4)
	tests := []struct {
		name, content, wantStderr string
	}{
		{"no reason", "# ok\n" + fp + " fine\n" + fp[:20] + "\n", ".pushguardignore:3: fingerprint " + fp[:20] + " has no reason"},
		{"blank reason", fp + " \t \n", ".pushguardignore:1: fingerprint " + fp + " has no reason"},
		{"not hex", "ghp_notafingerprint reason\n", ".pushguardignore:1: "},
		{"too short", "abc123 reason\n", ".pushguardignore:1: "},
		{"too long", fp + "00 reason\n", ".pushguardignore:1: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeFile(t, dir, ".pushguardignore", []byte(tt.content))
			writeFile(t, dir, "a.env", []byte("x=1\n"))
			got := runExe(t, exe, dir, nil, "scan", ".")
			if got.code != 2 || !strings.Contains(got.stderr, tt.wantStderr) || strings.Count(got.stderr, "\n") != 1 {
				t.Errorf("exit %d, stderr %q; want 2 and one line with %q", got.code, got.stderr, tt.wantStderr)
			}
		})
	}
	t.Run("--ignore-file missing", func(t *testing.T) {
		t.Parallel()
		got := runExe(t, exe, t.TempDir(), nil, "scan", ".", "--ignore-file", "nope")
		if got.code != 2 || !strings.Contains(got.stderr, "no such file") {
			t.Errorf("exit %d, stderr %q; want 2", got.code, got.stderr)
		}
	})
}

// TestBaselineRoundTrip checks that a baseline written by one run is read
// by the next with every fingerprint.
func TestBaselineRoundTrip(t *testing.T) {
	t.Parallel()
	var report []map[string]any
	token := githubToken(t)
	dir := t.TempDir()
	writeFile(t, dir, "a.env", []byte("GITHUB_TOKEN="+token+"\naws = "+awsKeyID+"\n"))
	path := filepath.Join(dir, "b.json")
	run(t, "", "scan", filepath.Join(dir, "a.env"), "--write-baseline", path)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatal(err)
	}
	base, err := loadBaseline(path)
	if err != nil || len(base) != 2 || len(report) != 2 {
		t.Fatalf("baseline %v (%v) from %d findings, want 2", base, err, len(report))
	}
	for _, f := range report {
		if !base[f["fingerprint"].(string)] {
			t.Errorf("baseline lacks %v", f["fingerprint"])
		}
	}
}
