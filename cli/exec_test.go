package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The tests in this file run pushguard as a user does: a binary built from
// this module, run with os/exec.

// awsKeyID is an AWS access key ID that the built-in rules report (random,
// never issued), assembled so that no whole key sits in the repository.
const awsKeyID = "AKIA" + "UJZDEGXDNCF32EPF"

// pushguardExe is the pushguard command, built once by TestMain for the
// tests that run it as a user would.
var pushguardExe string

// TestMain builds the pushguard command once for the package's tests.
func TestMain(m *testing.M) { os.Exit(buildAndRun(m)) }

func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "pushguard-cli-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	pushguardExe = filepath.Join(dir, "pushguard")
	if out, err := exec.Command("go", "build", "-o", pushguardExe, "github.com/pushguard/pushguard").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

// buildPushguard returns the path of the pushguard command TestMain built.
func buildPushguard(t *testing.T) string {
	t.Helper()
	return pushguardExe
}

// runExe runs exe with args and stdin in dir.
func runExe(t *testing.T, exe, dir string, stdin []byte, args ...string) result {
	t.Helper()
	cmd := exec.Command(exe, args...)
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("run %s: %v", exe, err)
	}
	return result{code: cmd.ProcessState.ExitCode(), stdout: stdout.String(), stderr: stderr.String()}
}

// TestScanInputsExec runs the built binary on diffs it must see through
// (colour, prefixes) and on input that is not a diff.
func TestScanInputsExec(t *testing.T) {
	t.Parallel()
	exe := buildPushguard(t)
	token := githubToken(t)
	dir := t.TempDir()
	bin := writeFile(t, dir, "some.bin", append([]byte("\x7fELF\x02\x01\x01\x00\x00\x00aws = "), awsKeyID...))
	tests := []struct {
		name       string
		stdin      string
		args       []string
		wantCode   int
		wantStdout []string // substrings
		wantStderr []string // substrings; "" means stderr must be empty
	}{
		{"coloured diff", fixture(t, "leak_color.diff", token), []string{"scan", "--diff", "-"}, 1,
			[]string{"deploy/config.env:3:14  GitHub", "1 finding in 1 file"}, []string{""}},
		{"noprefix diff keeps a b/ directory", fixture(t, "leak_noprefix.diff", token), []string{"scan", "--diff", "-"}, 1,
			[]string{"b/config.env:1:14  GitHub", "1 finding in 1 file"}, []string{""}},
		{"plain text to --diff", "aws = " + awsKeyID + "\n", []string{"scan", "--diff", "-"}, 2,
			nil, []string{"pushguard: scan: stdin: not a diff", "pushguard scan -"}},
		{"binary file to --diff", "", []string{"scan", "--diff", bin}, 2,
			nil, []string{"pushguard: scan: " + bin + ": not a diff"}},
		{"empty stdin", "", []string{"scan", "--diff", "-"}, 0, []string{"nothing to scan"}, []string{""}},
		{"blank stdin", "\n\n", []string{"scan", "--diff", "-"}, 0, []string{"nothing to scan"}, []string{""}},
		{"plain text from stdin", "x=1\naws = " + awsKeyID + "\n", []string{"scan", "-"}, 1,
			[]string{"-:2:7  Amazon Web Services", "1 finding in 1 file"}, []string{""}},
		{"plain text from stdin, json", "aws = " + awsKeyID + "\n", []string{"scan", "-", "--format", "json"}, 1,
			[]string{`"path": "-"`}, []string{""}},
		{"stdin above --max-file-size", "aws = " + awsKeyID + "\n", []string{"scan", "-", "--max-file-size", "10"}, 0,
			[]string{"not scanned: - (too large)", "nothing scanned: 1 file not scanned"}, []string{""}},
		{"diff above --max-file-size", fixture(t, "leak.diff", token), []string{"scan", "--diff", "-", "--max-file-size", "20"}, 0,
			[]string{"not scanned: deploy/config.env (too large)", "nothing scanned: 1 file not scanned"}, []string{""}},
		{"diff above --max-file-size, json", fixture(t, "leak.diff", token), []string{"scan", "--diff", "-", "--max-file-size", "20", "--format", "json"}, 0,
			[]string{"[]"}, []string{"pushguard: not scanned: deploy/config.env (too large)\n"}},
		{"diff under --max-file-size", fixture(t, "leak.diff", token), []string{"scan", "--diff", "-", "--max-file-size", "60"}, 1,
			[]string{"1 finding in 1 file"}, []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := runExe(t, exe, dir, []byte(tt.stdin), tt.args...)
			checkNoSecret(t, token, got.stdout, got.stderr)
			checkNoSecret(t, awsKeyID, got.stdout, got.stderr)
			if got.code != tt.wantCode {
				t.Errorf("exit %d, want %d\nstdout %q\nstderr %q", got.code, tt.wantCode, got.stdout, got.stderr)
			}
			for _, want := range tt.wantStdout {
				if !strings.Contains(got.stdout, want) {
					t.Errorf("stdout %q lacks %q", got.stdout, want)
				}
			}
			for _, want := range tt.wantStderr {
				if want == "" && got.stderr != "" || !strings.Contains(got.stderr, want) {
					t.Errorf("stderr %q, want %q", got.stderr, want)
				}
			}
			if tt.wantCode == 2 && strings.Count(got.stderr, "\n") != 1 {
				t.Errorf("stderr %q, want one line", got.stderr)
			}
			if tt.wantCode != 1 && len(tt.wantStdout) > 0 && tt.wantStdout[0] != "[]" && strings.Contains(got.stdout, "no secrets found") {
				t.Errorf("stdout %q says no secrets found", got.stdout)
			}
		})
	}
}

// TestScanGitMaxFileSizeExec checks that --max-file-size applies to each
// commit's added text in --git mode, and that every format names the file.
func TestScanGitMaxFileSizeExec(t *testing.T) {
	exe := buildPushguard(t)
	r := newGitRepo(t)
	writeFile(t, r.dir, "README.md", []byte("# demo\n"))
	r.commit("initial")
	writeFile(t, r.dir, "settings.py", []byte(strings.Repeat("# filler\n", 20)+"key = \""+awsKeyID+"\"\n"))
	big := r.commit("add settings")
	writeFile(t, r.dir, "small.py", []byte("key = \""+awsKeyID+"\"\n"))
	r.commit("small")
	notScanned := "pushguard: not scanned: settings.py (too large, commit " + big[:12] + ")\n"
	tests := []struct {
		format     string
		wantCode   int
		wantStdout []string
	}{
		{"text", 1, []string{"small.py:1:8", "not scanned: settings.py (too large, commit " + big[:12] + ")", "1 finding in 1 file (1 file not scanned)"}},
		{"json", 1, []string{`"path": "small.py"`}},
		{"sarif", 1, []string{`"toolExecutionNotifications"`, `"uri": "settings.py"`, "too large, commit " + big[:12]}},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			got := runExe(t, exe, r.dir, nil, "scan", "--git", "HEAD~2..HEAD", "--max-file-size", "100", "--format", tt.format)
			checkNoSecret(t, awsKeyID, got.stdout, got.stderr)
			wantStderr := notScanned // once: the text report on stdout lists it instead
			if tt.format == "text" {
				wantStderr = ""
			}
			if got.code != tt.wantCode || got.stderr != wantStderr {
				t.Errorf("exit %d, stderr %q; want %d and %q", got.code, got.stderr, tt.wantCode, wantStderr)
			}
			for _, want := range tt.wantStdout {
				if !strings.Contains(got.stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, got.stdout)
				}
			}
			if tt.format != "text" && !json.Valid([]byte(got.stdout)) {
				t.Errorf("stdout is not JSON:\n%s", got.stdout)
			}
		})
	}
	t.Run("everything skipped", func(t *testing.T) {
		got := runExe(t, exe, r.dir, nil, "scan", "--git", "HEAD~2..HEAD~1", "--max-file-size", "100")
		if got.code != 0 || strings.Contains(got.stdout, "no secrets found") || !strings.Contains(got.stdout, "nothing scanned: 1 file not scanned") {
			t.Errorf("exit %d, stdout %q; want 0 and nothing scanned", got.code, got.stdout)
		}
	})
}

// hostileGitConfig is a repository setting that changes what git diff and
// git log print.
type hostileGitConfig struct {
	name string
	kv   [][2]string
}

// hostileGitConfigs lists the settings the hooks and scan --git must see
// through.
func hostileGitConfigs() []hostileGitConfig {
	return []hostileGitConfig{
		{"color.ui always", [][2]string{{"color.ui", "always"}}},
		{"color.diff always", [][2]string{{"color.diff", "always"}, {"color.diff.new", "bold green reverse"}}},
		{"diff.noprefix", [][2]string{{"diff.noprefix", "true"}}},
		{"diff.mnemonicPrefix", [][2]string{{"diff.mnemonicPrefix", "true"}}},
		{"diff.external", [][2]string{{"diff.external", "true"}}},
		{"pager", [][2]string{{"core.pager", "true"}, {"pager.diff", "true"}, {"pager.log", "true"}}},
		{"textconv", [][2]string{{"diff.hide.textconv", "true"}}},
		{"log.showRoot off", [][2]string{{"log.showRoot", "false"}}},
		{"everything", [][2]string{
			{"color.ui", "always"}, {"diff.noprefix", "true"}, {"diff.mnemonicPrefix", "true"},
			{"diff.external", "true"}, {"core.pager", "true"}, {"diff.hide.textconv", "true"},
		}},
	}
}

// configure applies one hostile configuration to the repository (and a
// textconv driver that hides every file's content).
func (r *gitRepo) configure(kv [][2]string) {
	r.t.Helper()
	for _, c := range kv {
		r.git("config", c[0], c[1])
	}
	writeFile(r.t, r.dir, ".git/info/attributes", []byte("* diff=hide\n"))
}

// readmeHook returns the body of the README's hook that follows marker.
func readmeHook(t *testing.T, marker string) string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), marker)
	if !ok {
		t.Fatalf("README.md has no %q", marker)
	}
	_, rest, ok = strings.Cut(rest, "```sh\n")
	body, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 || !strings.HasPrefix(body, "#!/bin/sh\n") {
		t.Fatalf("README.md has no sh block after %q", marker)
	}
	return body
}

// TestReadmeHooksHostileConfig installs the README's pre-commit and pre-push
// hooks in repositories configured to colour, page, unprefix and externally
// diff, and checks that a commit and a push adding an AWS key are refused,
// while clean ones go through.
func TestReadmeHooksHostileConfig(t *testing.T) {
	exe := buildPushguard(t)
	preCommit := readmeHook(t, "(`.git/hooks/pre-commit`, executable):")
	prePush := readmeHook(t, "(`.git/hooks/pre-push`, executable):")
	t.Setenv("PATH", filepath.Dir(exe)+string(os.PathListSeparator)+os.Getenv("PATH"))
	for _, hc := range hostileGitConfigs() {
		t.Run(hc.name, func(t *testing.T) {
			r := newGitRepo(t)
			remote := t.TempDir()
			r.git("init", "-q", "--bare", remote)
			r.configure(hc.kv)
			writeFile(t, r.dir, ".git/hooks/pre-commit", []byte(preCommit))
			writeFile(t, r.dir, ".git/hooks/pre-push", []byte(prePush))
			for _, h := range []string{"pre-commit", "pre-push"} {
				if err := os.Chmod(filepath.Join(r.dir, ".git", "hooks", h), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			r.git("remote", "add", "origin", remote)
			writeFile(t, r.dir, "b/README.md", []byte("# demo\n"))
			if out, err := r.try("commit-all", "initial"); err != nil {
				t.Fatalf("clean commit refused: %v\n%s", err, out)
			}
			writeFile(t, r.dir, "b/settings.py", []byte("AWS_ACCESS_KEY_ID = \""+awsKeyID+"\"\n"))
			out, err := r.try("commit-all", "add a key")
			checkNoSecret(t, awsKeyID, out)
			if err == nil || !strings.Contains(out, "b/settings.py:1:22  Amazon Web Services") {
				t.Errorf("commit adding an AWS key: err %v, output %q; want refused with the finding", err, out)
			}
			if out, err := r.try("push", "main"); err != nil {
				t.Fatalf("clean push refused: %v\n%s", err, out)
			}
			if out, err := r.try("commit-no-verify", "add a key"); err != nil {
				t.Fatalf("commit --no-verify: %v\n%s", err, out)
			}
			out, err = r.try("push", "main")
			checkNoSecret(t, awsKeyID, out)
			if err == nil || !strings.Contains(out, "b/settings.py:1:22  Amazon Web Services") {
				t.Errorf("push adding an AWS key: err %v, output %q; want refused with the finding", err, out)
			}
		})
	}
}

// try runs a step of the hook test and returns git's combined output.
func (r *gitRepo) try(step, arg string) (string, error) {
	r.t.Helper()
	var args []string
	switch step {
	case "commit-all":
		r.git("add", "-A")
		args = []string{"commit", "-q", "-m", arg}
	case "commit-no-verify":
		r.git("add", "-A")
		args = []string{"commit", "-q", "--no-verify", "-m", arg}
	case "push":
		args = []string{"push", "-q", "origin", arg}
	}
	cmd := exec.Command("git", append([]string{"-C", r.dir, "-c", "user.name=Test", "-c", "user.email=test@example.com"}, args...)...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestScanGitHostileConfigExec checks scan --git against the same settings.
func TestScanGitHostileConfigExec(t *testing.T) {
	exe := buildPushguard(t)
	for _, hc := range hostileGitConfigs() {
		t.Run(hc.name, func(t *testing.T) {
			r := newGitRepo(t)
			r.configure(hc.kv)
			writeFile(t, r.dir, "b/settings.py", []byte("AWS_ACCESS_KEY_ID = \""+awsKeyID+"\"\n"))
			r.commit("root commit with a key")
			got := runExe(t, exe, r.dir, nil, "scan", "--git", "HEAD")
			checkNoSecret(t, awsKeyID, got.stdout, got.stderr)
			if got.code != 1 || !strings.Contains(got.stdout, "b/settings.py:1:22  Amazon Web Services") {
				t.Errorf("exit %d, stdout %q, stderr %q; want 1 and the finding at b/settings.py:1:22", got.code, got.stdout, got.stderr)
			}
		})
	}
}
