package cli

import (
	"strings"
	"testing"
)

// TestScanStagedExec runs `pushguard scan --staged` as a pre-commit check
// would: what is staged is scanned, what is only in the working tree is
// not, and a repository without commits yet works.
func TestScanStagedExec(t *testing.T) {
	exe := buildPushguard(t)
	t.Run("first commit", func(t *testing.T) {
		r := newGitRepo(t)
		writeFile(t, r.dir, "settings.py", []byte("x = 1\nAWS_ACCESS_KEY_ID = \""+awsKeyID+"\"\n"))
		r.git("add", "settings.py")
		checkStagedFinding(t, exe, r.dir, "settings.py:2:22")
	})
	r := newGitRepo(t)
	writeFile(t, r.dir, "README.md", []byte("# demo\n"))
	r.commit("initial")
	t.Run("nothing staged", func(t *testing.T) {
		got := runExe(t, exe, r.dir, nil, "scan", "--staged")
		if got.code != 0 || !strings.Contains(got.stdout, "nothing to scan") || got.stderr != "" {
			t.Errorf("exit %d, stdout %q, stderr %q; want 0 and nothing to scan", got.code, got.stdout, got.stderr)
		}
	})
	t.Run("unstaged secret is not what the commit records", func(t *testing.T) {
		writeFile(t, r.dir, "README.md", []byte("# demo\nclean line\n"))
		r.git("add", "README.md")
		writeFile(t, r.dir, "README.md", []byte("# demo\nclean line\naws = "+awsKeyID+"\n"))
		got := runExe(t, exe, r.dir, nil, "scan", "--staged")
		if got.code != 0 || !strings.Contains(got.stdout, "no secrets found") {
			t.Errorf("exit %d, stdout %q, stderr %q; want 0 and no secrets found", got.code, got.stdout, got.stderr)
		}
	})
	t.Run("staged secret, --repo from elsewhere", func(t *testing.T) {
		r.git("add", "README.md")
		got := runExe(t, exe, t.TempDir(), nil, "scan", "--staged", "--repo", r.dir, "--format", "json")
		checkNoSecret(t, awsKeyID, got.stdout, got.stderr)
		fs := parseFindings(t, got.stdout)
		if got.code != 1 || len(fs) != 1 || fs[0].Path != "README.md" || fs[0].Line != 3 || fs[0].Commit != "" {
			t.Errorf("exit %d, findings %+v; want 1 and one finding at README.md:3 with no commit", got.code, fs)
		}
	})
	t.Run("errors", func(t *testing.T) {
		for _, tt := range []struct {
			args []string
			want string
		}{
			{[]string{"--staged", "--repo", t.TempDir()}, "pushguard: scan: git diff --cached: fatal: not a git repository"},
			{[]string{"--staged", "--git", "HEAD"}, "pushguard: scan: give only one of --diff, --git, --staged and paths"},
			{[]string{"--staged", "x.txt"}, "pushguard: scan: give only one of --diff, --git, --staged and paths"},
		} {
			got := runExe(t, exe, r.dir, nil, append([]string{"scan"}, tt.args...)...)
			if got.code != 2 || !strings.HasPrefix(got.stderr, tt.want) || strings.Count(got.stderr, "\n") != 1 {
				t.Errorf("scan %q: exit %d, stderr %q; want 2 and one line starting %q", tt.args, got.code, got.stderr, tt.want)
			}
		}
	})
}

// checkStagedFinding runs scan --staged in dir and wants the AWS key found
// at the place given (path:line:col), and exit status 1.
func checkStagedFinding(t *testing.T, exe, dir, at string) {
	t.Helper()
	got := runExe(t, exe, dir, nil, "scan", "--staged")
	checkNoSecret(t, awsKeyID, got.stdout, got.stderr)
	if got.code != 1 || !strings.Contains(got.stdout, at+"  Amazon Web Services") {
		t.Errorf("exit %d, stdout %q, stderr %q; want 1 and the finding at %s", got.code, got.stdout, got.stderr, at)
	}
}
