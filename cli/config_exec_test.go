package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// acmeKey is a secret only the tests' custom rule finds, assembled at run
// time so that no whole one sits in the repository.
const acmeKey = "acme_live_" + "Q8v2Lr7XkP3mZ9wB4nCt6Hd1Jf5Gs0Ya"

// acmeConfig is a .github/pushguard.yml with a custom rule (low
// confidence), an ignored directory and a disabled built-in rule.
const acmeConfig = `paths:
  ignore:
    - "fixtures/**"
rules:
  disable:
    - aws-access-key-id
  custom:
    - id: acme-api-key
      description: Acme Corp API key.
      pattern: '\b(acme_live_[A-Za-z0-9]{32})\b'
      keywords: [acme_live_]
      confidence: low
`

// TestScanConfigExec runs the built binary in a repository with a
// .github/pushguard.yml: its custom rule finds what the built-in rules do
// not, its paths.ignore and rules.disable take findings out, in every
// input mode, and --config reads another file.
func TestScanConfigExec(t *testing.T) {
	exe := buildPushguard(t)
	token := githubToken(t)
	r := newGitRepo(t)
	writeFile(t, r.dir, ".github/pushguard.yml", []byte(acmeConfig))
	writeFile(t, r.dir, "README.md", []byte("# demo\n"))
	base := r.commit("initial")
	writeFile(t, r.dir, "app/acme.env", []byte("ACME_KEY="+acmeKey+"\n"))
	writeFile(t, r.dir, "app/aws.env", []byte("aws_access_key_id = "+awsKeyID+"\n"))
	writeFile(t, r.dir, "fixtures/leak.env", []byte("GITHUB_TOKEN="+token+"\n"))
	r.commit("add secrets")
	diff := r.git("diff", base+"..HEAD") + "\n"
	other := writeFile(t, t.TempDir(), "other.yml", []byte("fail_on: low\n"))
	tests := []struct {
		name      string
		dir       string
		stdin     string
		args      []string
		wantRules string // the rules of the findings, in order
	}{
		{"paths from the root", r.dir, "", []string{"scan", "."}, "custom-acme-api-key"},
		{"paths from a subdirectory", filepath.Join(r.dir, "app"), "", []string{"scan", "."}, "custom-acme-api-key"},
		{"a path named from outside", t.TempDir(), "", []string{"scan", r.dir}, "custom-acme-api-key"},
		{"--git", r.dir, "", []string{"scan", "--git", base + "..HEAD"}, "custom-acme-api-key"},
		{"--git --repo", t.TempDir(), "", []string{"scan", "--git", base + "..HEAD", "--repo", r.dir}, "custom-acme-api-key"},
		{"--diff from stdin", filepath.Join(r.dir, "app"), diff, []string{"scan", "--diff", "-"}, "custom-acme-api-key"},
		{"--config replaces the repository's file", r.dir, "", []string{"scan", ".", "--config", other}, "aws-access-key-id github-pat"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runExe(t, exe, tt.dir, []byte(tt.stdin), append(tt.args, "--format", "json")...)
			checkNoSecret(t, token, got.stdout, got.stderr)
			checkNoSecret(t, acmeKey, got.stdout, got.stderr)
			checkNoSecret(t, awsKeyID, got.stdout, got.stderr)
			var rules []string
			for _, f := range parseFindings(t, got.stdout) {
				rules = append(rules, f.RuleID)
			}
			if strings.Join(rules, " ") != tt.wantRules {
				t.Errorf("rules %q, want %q (stderr %q)", rules, tt.wantRules, got.stderr)
			}
		})
	}
}

// TestScanFailOnExec checks that a finding below the configuration's
// fail_on is reported and does not fail the scan, and that one at it does.
func TestScanFailOnExec(t *testing.T) {
	exe := buildPushguard(t)
	dir := t.TempDir()
	writeFile(t, dir, ".github/pushguard.yml", []byte(acmeConfig+"fail_on: medium\n"))
	writeFile(t, dir, "acme.env", []byte("ACME_KEY="+acmeKey+"\n"))
	got := runExe(t, exe, dir, nil, "scan", ".")
	checkNoSecret(t, acmeKey, got.stdout, got.stderr)
	if got.code != 0 || !strings.Contains(got.stdout, "1 finding in 1 file") ||
		got.stderr != "pushguard: 1 of 1 findings are below fail_on (medium) and do not fail the scan\n" {
		t.Errorf("exit %d, stdout %q, stderr %q; want 0, the finding, and why it does not fail", got.code, got.stdout, got.stderr)
	}
	writeFile(t, dir, "aws.env", []byte("aws_access_key_id = "+awsKeyID+"\n"))
	writeFile(t, dir, ".github/pushguard.yml", []byte(strings.Replace(acmeConfig, "    - aws-access-key-id\n", "    - github-pat\n", 1)+"fail_on: medium\n"))
	if got := runExe(t, exe, dir, nil, "scan", "."); got.code != 1 {
		t.Errorf("exit %d with a high-confidence finding, want 1 (stderr %q)", got.code, got.stderr)
	}
}

// TestScanConfigProblemsExec checks that a broken configuration stops the
// scan with exit status 2 and says which file, line and what is wrong.
func TestScanConfigProblemsExec(t *testing.T) {
	exe := buildPushguard(t)
	tests := []struct {
		name       string
		config     string
		wantStderr []string
	}{
		{"unknown key", "paths:\n  ignore: [a]\nrule:\n  disable: []\n", []string{".github/pushguard.yml:3:1: ", "rule"}},
		{"bad fail_on", "fail_on: sometimes\n", []string{".github/pushguard.yml:1:10: fail_on: want low, medium or high"}},
		{"unknown rule", "rules:\n  disable:\n    - no-such-rule\n", []string{".github/pushguard.yml:3:7: rules.disable", "no-such-rule"}},
		{"not YAML", "paths: [\n", []string{".github/pushguard.yml:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, ".github/pushguard.yml", []byte(tt.config))
			writeFile(t, dir, "a.env", []byte("x=1\n"))
			got := runExe(t, exe, dir, nil, "scan", ".")
			if got.code != 2 || got.stdout != "" || strings.Count(got.stderr, "\n") != 1 {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2, nothing, one line", got.code, got.stdout, got.stderr)
			}
			for _, want := range tt.wantStderr {
				if !strings.Contains(got.stderr, want) {
					t.Errorf("stderr %q lacks %q", got.stderr, want)
				}
			}
		})
	}
	t.Run("--config FILE missing", func(t *testing.T) {
		got := runExe(t, exe, t.TempDir(), nil, "scan", ".", "--config", "nope.yml")
		if got.code != 2 || !strings.Contains(got.stderr, "nope.yml: no such file") {
			t.Errorf("exit %d, stderr %q; want 2 and the missing file", got.code, got.stderr)
		}
	})
}
