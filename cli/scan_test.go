package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pushguard/pushguard/scanner"
)

func TestScanDiff(t *testing.T) {
	token := githubToken(t)
	tests := []struct {
		name      string
		fixture   string
		wantCode  int
		wantFound int
	}{
		{"planted secret", "leak.diff", 1, 1},
		{"clean", "clean.diff", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, fixture(t, tt.fixture, token), "scan", "--diff", "-", "--format", "json")
			checkNoSecret(t, token, got.stdout, got.stderr)
			if got.code != tt.wantCode {
				t.Fatalf("exit %d, want %d (stderr %q)", got.code, tt.wantCode, got.stderr)
			}
			fs := parseFindings(t, got.stdout)
			if len(fs) != tt.wantFound {
				t.Fatalf("%d findings, want %d: %+v", len(fs), tt.wantFound, fs)
			}
			if len(fs) == 0 {
				if strings.TrimSpace(got.stdout) != "[]" {
					t.Errorf("clean JSON output %q, want []", got.stdout)
				}
				return
			}
			f := fs[0]
			if !strings.HasPrefix(f.RuleID, "github-") || f.Path != "deploy/config.env" || f.Line != 3 || f.Commit != "" {
				t.Errorf("finding %+v, want a github- rule at deploy/config.env:3", f)
			}
		})
	}
}

func TestScanDiffFile(t *testing.T) {
	token := githubToken(t)
	dir := t.TempDir()
	diff := writeFile(t, dir, "leak.diff", []byte(fixture(t, "leak.diff", token)))
	got := run(t, "", "scan", "--diff", diff)
	checkNoSecret(t, token, got.stdout, got.stderr)
	if got.code != 1 {
		t.Fatalf("exit %d, want 1 (stderr %q)", got.code, got.stderr)
	}
	for _, want := range []string{"deploy/config.env:3:14  GitHub", "revoke:", "fingerprint:", "1 finding in 1 file"} {
		if !strings.Contains(got.stdout, want) {
			t.Errorf("text report lacks %q:\n%s", want, got.stdout)
		}
	}
}

func TestScanFormats(t *testing.T) {
	token := githubToken(t)
	diff := fixture(t, "leak.diff", token)
	t.Run("sarif", func(t *testing.T) {
		got := run(t, diff, "scan", "--diff", "-", "--format", "sarif")
		checkNoSecret(t, token, got.stdout, got.stderr)
		var log struct {
			Version string `json:"version"`
			Runs    []struct {
				Results []struct {
					RuleID string `json:"ruleId"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal([]byte(got.stdout), &log); err != nil {
			t.Fatalf("not JSON: %v", err)
		}
		if got.code != 1 || log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Results) != 1 {
			t.Errorf("exit %d, SARIF %+v", got.code, log)
		}
	})
	t.Run("output file", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "report.json")
		got := run(t, diff, "scan", "--diff", "-", "--format", "json", "--output", out)
		if got.code != 1 || got.stdout != "" {
			t.Errorf("exit %d, stdout %q; want 1 and nothing on stdout", got.code, got.stdout)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		checkNoSecret(t, token, string(b), got.stderr)
		if fs := parseFindings(t, string(b)); len(fs) != 1 {
			t.Errorf("%d findings in the output file, want 1", len(fs))
		}
	})
}

// TestFingerprintKey checks that without a key fingerprints are the same
// from run to run (in JSON and in SARIF's partialFingerprints), and that
// PUSHGUARD_FINGERPRINT_KEY and PUSHGUARD_FINGERPRINT_KEY_FILE key them as
// the App does, so the CLI's agree with the App's.
func TestFingerprintKey(t *testing.T) {
	token := githubToken(t)
	diff := fixture(t, "leak.diff", token)
	dir := t.TempDir()
	keyFile := writeFile(t, dir, "fp.key", []byte("the-apps-key\n"))
	emptyFile := writeFile(t, dir, "empty.key", nil)
	tests := []struct {
		name    string
		key     string
		file    string
		wantKey string
		wantErr string
	}{
		{"no key", "", "", "", ""},
		{"from the environment", "the-apps-key", "", "the-apps-key", ""},
		{"from a file", "", keyFile, "the-apps-key", ""},
		{"both", "the-apps-key", keyFile, "", "not both"},
		{"empty file", "", emptyFile, "", "is empty"},
		{"missing file", "", filepath.Join(dir, "nope"), "", "no such file"},
		{"blank key", "  ", "", "", "blank"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(fingerprintKeyEnv, tt.key)
			t.Setenv(fingerprintKeyFileEnv, tt.file)
			jsonRun := run(t, diff, "scan", "--diff", "-", "--format", "json")
			if tt.wantErr != "" {
				if jsonRun.code != 2 || !strings.Contains(jsonRun.stderr, tt.wantErr) {
					t.Errorf("exit %d, stderr %q; want 2 and %q", jsonRun.code, jsonRun.stderr, tt.wantErr)
				}
				return
			}
			fs := parseFindings(t, jsonRun.stdout)
			if len(fs) != 1 {
				t.Fatalf("%d findings, want 1", len(fs))
			}
			want := scanner.Fingerprint([]byte(tt.wantKey), fs[0].RuleID, token)
			if fs[0].Fingerprint != want {
				t.Errorf("fingerprint %s, want %s", fs[0].Fingerprint, want)
			}
			sarifRun := run(t, diff, "scan", "--diff", "-", "--format", "sarif")
			if !strings.Contains(sarifRun.stdout, `"pushguardFingerprint/v1": "`+want+`"`) {
				t.Errorf("SARIF partialFingerprints lack %s:\n%s", want, sarifRun.stdout)
			}
		})
	}
}

func TestScanUsageErrors(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantStderr string
	}{
		{"bad flag", []string{"scan", "--nope"}, "flag provided but not defined: -nope"},
		{"no input", []string{"scan"}, "nothing to scan"},
		{"two inputs", []string{"scan", "--diff", "-", "somedir"}, "only one of"},
		{"repo without git", []string{"scan", "--repo", ".", "somedir"}, "--repo needs --git"},
		{"bad format", []string{"scan", "--format", "xml", "--diff", "-"}, `unknown format "xml"`},
		{"bad size", []string{"scan", "--max-file-size", "lots", "."}, "invalid size"},
		{"missing diff file", []string{"scan", "--diff", "/nonexistent/x.diff"}, "no such file"},
		{"missing path", []string{"scan", "/nonexistent/dir"}, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, "", tt.args...)
			if got.code != 2 {
				t.Errorf("exit %d, want 2", got.code)
			}
			if !strings.HasPrefix(got.stderr, "pushguard: scan: ") || !strings.Contains(got.stderr, tt.wantStderr) ||
				strings.Count(got.stderr, "\n") != 1 {
				t.Errorf("stderr %q, want one line with %q", got.stderr, tt.wantStderr)
			}
			if got.stdout != "" {
				t.Errorf("stdout %q, want nothing", got.stdout)
			}
		})
	}
}
