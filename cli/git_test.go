package cli

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitRepo is a real git repository in a temporary directory.
type gitRepo struct {
	t   *testing.T
	dir string
}

func newGitRepo(t *testing.T) *gitRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	// Keep the user's configuration out of the repository and of pushguard's git.
	t.Setenv("GIT_CONFIG_GLOBAL", filepath.Join(t.TempDir(), "none"))
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	r := &gitRepo{t: t, dir: t.TempDir()}
	r.git("init", "-q", "-b", "main")
	return r
}

func (r *gitRepo) git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", append([]string{"-C", r.dir, "-c", "user.name=Test", "-c", "user.email=test@example.com"}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func (r *gitRepo) commit(msg string) string {
	r.t.Helper()
	r.git("add", "-A")
	r.git("commit", "-q", "-m", msg)
	return r.git("rev-parse", "HEAD")
}

// TestScanGit plants a secret in one commit and deletes it in the next: the
// secret is still in the history and must be reported with the commit that
// added it.
func TestScanGit(t *testing.T) {
	token := githubToken(t)
	r := newGitRepo(t)
	writeFile(t, r.dir, "README.md", []byte("# demo\n"))
	base := r.commit("initial")
	writeFile(t, r.dir, "deploy/config.env", []byte("APP_ENV=production\nGITHUB_TOKEN="+token+"\n"))
	leak := r.commit("add config")
	r.git("rm", "-q", "deploy/config.env")
	r.commit("remove the token again")

	tests := []struct {
		name string
		rng  string
	}{
		{"range", base + "..HEAD"},
		{"whole history", "HEAD"},
		{"new branch from a pre-push hook", strings.Repeat("0", 40) + "..HEAD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, "", "scan", "--git", tt.rng, "--repo", r.dir, "--format", "json")
			checkNoSecret(t, token, got.stdout, got.stderr)
			if got.code != 1 {
				t.Fatalf("exit %d, want 1 (stderr %q)", got.code, got.stderr)
			}
			fs := parseFindings(t, got.stdout)
			if len(fs) != 1 {
				t.Fatalf("%d findings, want 1: %+v", len(fs), fs)
			}
			if f := fs[0]; f.Commit != leak || f.Path != "deploy/config.env" || f.Line != 2 || !strings.HasPrefix(f.RuleID, "github-") {
				t.Errorf("finding %+v, want a github- rule at deploy/config.env:2 in commit %s", f, leak)
			}
		})
	}
	t.Run("clean range", func(t *testing.T) {
		got := run(t, "", "scan", "--git", "HEAD~1..HEAD", "--repo", r.dir)
		if got.code != 0 || !strings.Contains(got.stdout, "no secrets found") {
			t.Errorf("exit %d, stdout %q; want 0 and no secrets found (stderr %q)", got.code, got.stdout, got.stderr)
		}
	})
}

func TestScanGitErrors(t *testing.T) {
	r := newGitRepo(t)
	writeFile(t, r.dir, "a.txt", []byte("a\n"))
	r.commit("a")
	tests := []struct {
		name       string
		args       []string
		wantStderr string
	}{
		{"bad range", []string{"--git", "nosuchbranch..HEAD", "--repo", r.dir}, "nosuchbranch"},
		{"not a repository", []string{"--git", "HEAD", "--repo", t.TempDir()}, "not a git repository"},
		{"no such directory", []string{"--git", "HEAD", "--repo", filepath.Join(t.TempDir(), "gone")}, "cannot change to"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, "", append([]string{"scan"}, tt.args...)...)
			if got.code != 2 {
				t.Errorf("exit %d, want 2", got.code)
			}
			if !strings.HasPrefix(got.stderr, "pushguard: scan: git log ") || !strings.Contains(got.stderr, tt.wantStderr) ||
				strings.Count(got.stderr, "\n") != 1 {
				t.Errorf("stderr %q, want one line about %q", got.stderr, tt.wantStderr)
			}
		})
	}
}
