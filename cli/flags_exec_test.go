package cli

import (
	"encoding/csv"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScanFlagsExec runs the built binary with the flags people type from
// other scanners: --version, -o, --exit-code, and checks the summary on
// stderr and that files not scanned are listed once.
func TestScanFlagsExec(t *testing.T) {
	t.Parallel()
	exe := buildPushguard(t)
	token := githubToken(t)
	dir := t.TempDir()
	writeFile(t, dir, "src/config.env", []byte("GITHUB_TOKEN="+token+"\n"))
	writeFile(t, dir, "src/logo.bin", []byte("\x89PNG\x00\x00"))
	out := filepath.Join(dir, "report.json")
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string // substring; "" means stdout must be empty
		wantStderr string // exact
	}{
		{"--version", []string{"--version"}, 0, "pushguard ", ""},
		{"-version", []string{"-version"}, 0, "pushguard ", ""},
		{"-o writes the report, the summary goes to stderr", []string{"scan", "src", "-o", out, "--format", "json"}, 1, "",
			"pushguard: not scanned: src/logo.bin (binary)\npushguard: 1 finding in 1 file (1 file not scanned) (report in " + out + ")\n"},
		{"--output, text", []string{"scan", "src", "--output", out}, 1, "",
			"pushguard: not scanned: src/logo.bin (binary)\npushguard: 1 finding in 1 file (1 file not scanned) (report in " + out + ")\n"},
		{"text on stdout lists not scanned once", []string{"scan", "src"}, 1, "not scanned: src/logo.bin (binary)", ""},
		{"json on stdout: not scanned on stderr", []string{"scan", "src", "--format", "json"}, 1, `"path": "src/config.env"`,
			"pushguard: not scanned: src/logo.bin (binary)\n"},
		{"--exit-code 3", []string{"scan", "src", "--exit-code", "3"}, 3, "1 finding in 1 file", ""},
		{"--exit-code 0", []string{"scan", "src", "--exit-code", "0"}, 0, "1 finding in 1 file", ""},
		{"--exit-code with nothing found", []string{"scan", "src/logo.bin", "--exit-code", "3"}, 0, "nothing scanned", ""},
		{"--exit-code 2 is refused", []string{"scan", "src", "--exit-code", "2"}, 2, "",
			"pushguard: scan: --exit-code 2: want 0 to 125, but not 2 (failures exit with it) (see 'pushguard scan --help')\n"},
		{"--exit-code 300 is refused", []string{"scan", "src", "--exit-code", "300"}, 2, "",
			"pushguard: scan: --exit-code 300: want 0 to 125, but not 2 (failures exit with it) (see 'pushguard scan --help')\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runExe(t, exe, dir, nil, tt.args...)
			checkNoSecret(t, token, got.stdout, got.stderr)
			if got.code != tt.wantCode || got.stderr != tt.wantStderr {
				t.Errorf("exit %d, stderr %q; want %d and %q", got.code, got.stderr, tt.wantCode, tt.wantStderr)
			}
			if tt.wantStdout == "" && got.stdout != "" || !strings.Contains(got.stdout, tt.wantStdout) {
				t.Errorf("stdout %q, want %q", got.stdout, tt.wantStdout)
			}
			if strings.Count(got.stdout+got.stderr, "logo.bin (binary)") > 1 {
				t.Errorf("not scanned listed more than once:\n%s\n%s", got.stdout, got.stderr)
			}
		})
	}
	t.Run("-o file content", func(t *testing.T) {
		got := runExe(t, exe, dir, nil, "scan", "src", "-o", filepath.Join(dir, "r.sarif"), "--format", "sarif")
		data, err := os.ReadFile(filepath.Join(dir, "r.sarif"))
		if err != nil || got.code != 1 || !strings.Contains(string(data), `"ruleId": "github-pat"`) {
			t.Errorf("exit %d, report %s (%v)", got.code, data, err)
		}
		checkNoSecret(t, token, string(data))
	})
}

// TestScanJUnitCSVExec checks the junit and csv formats of the built binary
// on a history scan: valid XML with a redacted failure per finding, RFC 4180
// CSV with a header, and never the secret.
func TestScanJUnitCSVExec(t *testing.T) {
	exe := buildPushguard(t)
	token := githubToken(t)
	r := newGitRepo(t)
	writeFile(t, r.dir, "README.md", []byte("# demo\n"))
	r.commit("initial")
	writeFile(t, r.dir, "a,b.env", []byte("GITHUB_TOKEN="+token+"\naws = \""+awsKeyID+"\"\n"))
	sha := r.commit("add keys")

	junit := runExe(t, exe, r.dir, nil, "scan", "--git", "HEAD~1..HEAD", "--format", "junit")
	checkNoSecret(t, token, junit.stdout, junit.stderr)
	checkNoSecret(t, awsKeyID, junit.stdout, junit.stderr)
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Cases []struct {
				Name    string `xml:"name,attr"`
				Failure struct {
					Message string `xml:"message,attr"`
					Type    string `xml:"type,attr"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(junit.stdout), &doc); err != nil {
		t.Fatalf("junit is not XML: %v\n%s", err, junit.stdout)
	}
	if junit.code != 1 || doc.Tests != 2 || doc.Failures != 2 || len(doc.Suites) != 1 || len(doc.Suites[0].Cases) != 2 {
		t.Fatalf("exit %d, junit %+v; want 1 and two failed cases", junit.code, doc)
	}
	if c := doc.Suites[0].Cases[0]; c.Name != "a,b.env:1 github-pat (commit "+sha[:12]+")" || c.Failure.Message != "GitHub secret leaked: ghp_R2… (40 chars)" {
		t.Errorf("first case %+v", c)
	}

	got := runExe(t, exe, r.dir, nil, "scan", "--git", "HEAD~1..HEAD", "--format", "csv")
	checkNoSecret(t, token, got.stdout, got.stderr)
	checkNoSecret(t, awsKeyID, got.stdout, got.stderr)
	rows, err := csv.NewReader(strings.NewReader(got.stdout)).ReadAll()
	if err != nil {
		t.Fatalf("csv: %v\n%s", err, got.stdout)
	}
	if got.code != 1 || len(rows) != 3 || rows[0][0] != "rule_id" || rows[1][2] != "a,b.env" || rows[1][3] != sha || rows[2][0] != "aws-access-key-id" {
		t.Errorf("exit %d, rows %q", got.code, rows)
	}
	if !strings.HasPrefix(got.stdout, "rule_id,") || !strings.Contains(got.stdout, "\r\n") {
		t.Errorf("csv does not start with the header or lacks CRLF line ends: %q", got.stdout)
	}
}

// TestScanPartialPathsExec names existing, missing and unreadable paths
// together: the missing ones are reported as not scanned, the rest is
// scanned; only when nothing could be read is it a failure.
func TestScanPartialPathsExec(t *testing.T) {
	t.Parallel()
	exe := buildPushguard(t)
	token := githubToken(t)
	dir := t.TempDir()
	writeFile(t, dir, "a/x.env", []byte("GITHUB_TOKEN="+token+"\n"))
	writeFile(t, dir, "b/clean.txt", []byte("hello\n"))
	writeFile(t, dir, "c.env", []byte("aws = \""+awsKeyID+"\"\n"))
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout []string
		wantStderr string
	}{
		{"one missing among several", []string{"a", "b", "missing", "c.env"}, 1,
			[]string{"a/x.env:1:14", "c.env:1:8", "not scanned: missing (missing)", "2 findings in 2 files (1 file not scanned)"}, ""},
		{"a path under a file", []string{"b", "c.env/x"}, 0,
			[]string{"not scanned: c.env/x (unreadable: not a directory)", "no secrets in the 1 file scanned; 1 file not scanned"}, ""},
		{"clean and missing", []string{"b", "missing"}, 0,
			[]string{"no secrets in the 1 file scanned; 1 file not scanned"}, ""},
		{"json", []string{"a", "missing", "--format", "json"}, 1,
			[]string{`"path": "a/x.env"`}, "pushguard: not scanned: missing (missing)\n"},
		{"all missing", []string{"missing", "gone"}, 2, nil,
			"pushguard: scan: nothing could be scanned: stat missing: no such file or directory; stat gone: no such file or directory\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := runExe(t, exe, dir, nil, append([]string{"scan"}, tt.args...)...)
			checkNoSecret(t, token, got.stdout, got.stderr)
			checkNoSecret(t, awsKeyID, got.stdout, got.stderr)
			if got.code != tt.wantCode || got.stderr != tt.wantStderr {
				t.Errorf("exit %d, stderr %q; want %d and %q\nstdout %s", got.code, got.stderr, tt.wantCode, tt.wantStderr, got.stdout)
			}
			for _, want := range tt.wantStdout {
				if !strings.Contains(got.stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, got.stdout)
				}
			}
			if strings.Contains(got.stdout, "no secrets found") {
				t.Errorf("a scan that left paths out says no secrets found:\n%s", got.stdout)
			}
		})
	}
}

// TestScanUnreadableExec makes a file and a directory unreadable (not
// possible as root, who reads everything).
func TestScanUnreadableExec(t *testing.T) {
	t.Parallel()
	if os.Geteuid() == 0 {
		t.Skip("root reads files whatever their mode")
	}
	exe := buildPushguard(t)
	dir := t.TempDir()
	writeFile(t, dir, "ok.txt", []byte("hello\n"))
	locked := writeFile(t, dir, "locked.txt", []byte("hello\n"))
	writeFile(t, dir, "sealed/inner.txt", []byte("hello\n"))
	for _, p := range []string{locked, filepath.Join(dir, "sealed")} {
		if err := os.Chmod(p, 0); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(p, 0o755) })
	}
	got := runExe(t, exe, dir, nil, "scan", ".")
	for _, want := range []string{"not scanned: locked.txt (unreadable: permission denied)", "not scanned: sealed (unreadable: permission denied)",
		"no secrets in the 1 file scanned; 2 files not scanned"} {
		if got.code != 0 || !strings.Contains(got.stdout, want) {
			t.Errorf("exit %d, stdout lacks %q:\n%s", got.code, want, got.stdout)
		}
	}
}

// TestScanAllowCommentsExec checks through the binary that gitleaks:allow
// on a line suppresses its findings as pushguard:allow does, and that the
// line after is still scanned.
func TestScanAllowCommentsExec(t *testing.T) {
	t.Parallel()
	exe := buildPushguard(t)
	token := githubToken(t)
	dir := t.TempDir()
	writeFile(t, dir, "a.py", []byte(
		"t1 = \""+token+"\"  # gitleaks:allow\n"+
			"t2 = \""+token+"\"  # pushguard:allow\n"+
			"t3 = \""+token+"\"  // GITLEAKS:ALLOW\n"+
			"t4 = \""+token+"\"\n"))
	got := runExe(t, exe, dir, nil, "scan", "a.py", "--format", "json")
	checkNoSecret(t, token, got.stdout, got.stderr)
	var lines []int
	for _, f := range parseFindings(t, got.stdout) {
		lines = append(lines, f.Line)
	}
	if got.code != 1 || len(lines) != 1 || lines[0] != 4 {
		t.Errorf("exit %d, findings on lines %v; want 1 and line 4 only", got.code, lines)
	}
}
