package cli

import (
	"flag"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// commitAt commits everything as author at the given date (author and
// committer date), and returns the commit's SHA.
func (r *gitRepo) commitAt(author, date, msg string) string {
	r.t.Helper()
	r.git("add", "-A")
	cmd := exec.Command("git", "-C", r.dir, "-c", "user.name="+author, "-c", "user.email="+strings.ToLower(author)+"@example.com",
		"commit", "-q", "-m", msg)
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
	if out, err := cmd.CombinedOutput(); err != nil {
		r.t.Fatalf("git commit: %v\n%s", err, out)
	}
	return r.git("rev-parse", "HEAD")
}

// passThroughRepo is a repository with a secret in each of three commits:
// a.env on main (Alice, February), side.env on branch side (Bob, March),
// docs/x.env on main (Alice, April).
func passThroughRepo(t *testing.T) *gitRepo {
	r := newGitRepo(t)
	writeFile(t, r.dir, "README.md", []byte("# demo\n"))
	r.commitAt("Alice", "2024-01-01T12:00:00Z", "initial")
	writeFile(t, r.dir, "a.env", []byte("GITHUB_TOKEN="+githubTokenFrom(t, "Hq3ZtV8mWc2LkR5xNp7BdF4sJg9YaE")+"\n"))
	r.commitAt("Alice", "2024-02-01T12:00:00Z", "a")
	r.git("checkout", "-q", "-b", "side")
	writeFile(t, r.dir, "side.env", []byte("GITHUB_TOKEN="+githubTokenFrom(t, "Pv6TnK2wXr8QhM4cLz9GbS3dYf7JuA")+"\n"))
	r.commitAt("Bob", "2024-03-01T12:00:00Z", "side")
	r.git("checkout", "-q", "main")
	writeFile(t, r.dir, "docs/x.env", []byte("GITHUB_TOKEN="+githubTokenFrom(t, "Dm5RyW9kTq3NvB7hXc2LpF8sZg4JeU")+"\n"))
	r.commitAt("Alice", "2024-04-01T12:00:00Z", "x")
	return r
}

// TestScanGitPassThroughExec runs the built binary with git log options
// after --git and checks which commits were scanned, by the files whose
// secrets it reports.
func TestScanGitPassThroughExec(t *testing.T) {
	exe := buildPushguard(t)
	r := passThroughRepo(t)
	tests := []struct {
		name string
		args []string // after "scan"
		want []string // paths with findings, sorted
	}{
		{"bare --git is HEAD", []string{"--git"}, []string{"a.env", "docs/x.env"}},
		{"--all", []string{"--git", "--all"}, []string{"a.env", "docs/x.env", "side.env"}},
		{"--branches=pattern", []string{"--git", "--branches=si*"}, []string{"a.env", "side.env"}},
		{"--since value", []string{"--git", "--all", "--since", "2024-02-15"}, []string{"docs/x.env", "side.env"}},
		{"--since= --until=", []string{"--git", "--since=2024-01-15", "--until=2024-02-15"}, []string{"a.env"}},
		{"--author", []string{"--git", "--all", "--author=Bob"}, []string{"side.env"}},
		{"--author value", []string{"--git", "--all", "--author", "Alice"}, []string{"a.env", "docs/x.env"}},
		{"-n N", []string{"--git", "-n", "1"}, []string{"docs/x.env"}},
		{"-N", []string{"--git", "-2"}, []string{"a.env", "docs/x.env"}},
		{"--max-count=", []string{"--git", "--all", "--max-count=1"}, []string{"docs/x.env"}},
		{"range", []string{"--git", "main..side"}, []string{"side.env"}},
		{"--not", []string{"--git", "side", "--not", "main"}, []string{"side.env"}},
		{"paths", []string{"--git", "--all", "--", "docs", "side.env"}, []string{"docs/x.env", "side.env"}},
		{"--git=RANGE", []string{"--git=main~1..main"}, []string{"docs/x.env"}},
		{"our flags among git's", []string{"--format", "json", "--git", "--all", "--repo", r.dir, "--max-file-size=1MiB", "--no-merges"},
			[]string{"a.env", "docs/x.env", "side.env"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"scan", "--format", "json"}, tt.args...)
			got := runExe(t, exe, r.dir, nil, args...)
			if got.code != 1 {
				t.Fatalf("exit %d, want 1; stderr %q", got.code, got.stderr)
			}
			var paths []string
			for _, f := range parseFindings(t, got.stdout) {
				paths = append(paths, f.Path)
			}
			slices.Sort(paths)
			if !slices.Equal(paths, tt.want) {
				t.Errorf("findings in %q, want %q", paths, tt.want)
			}
		})
	}
}

// TestScanGitRefusedOptionsExec checks that options which would change the
// text pushguard parses, or that git log does not have, are refused with
// one clear line and exit status 2, before git runs.
func TestScanGitRefusedOptionsExec(t *testing.T) {
	t.Parallel()
	exe := buildPushguard(t)
	dir := t.TempDir() // not a repository: a refused option is reported before git runs
	for _, opt := range []string{
		"-p", "--patch", "-u", "--pretty=oneline", "--oneline", "--color=always", "--color", "--stat", "--word-diff",
		"-U3", "--unified=3", "--ext-diff", "--textconv", "--output-indicator-new=x", "--no-renames", "-M",
		"--src-prefix=x/", "--exec=sh", "--end-of-options", "-", "--since", "--no-such-option",
	} {
		t.Run(opt, func(t *testing.T) {
			t.Parallel()
			got := runExe(t, exe, dir, nil, "scan", "--git", "HEAD", opt)
			want := "pushguard: scan: --git: git log option \"" + opt + "\" is not passed through"
			if got.code != 2 || !strings.HasPrefix(got.stderr, want) || strings.Count(got.stderr, "\n") != 1 {
				t.Errorf("exit %d, stderr %q; want 2 and one line starting %q", got.code, got.stderr, want)
			}
		})
	}
}

// TestSplitGitArgs checks which arguments of a scan command line go to git.
func TestSplitGitArgs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		args      []string
		ours, git []string
		isGit     bool
	}{
		{"no --git", []string{"a", "--format", "json"}, []string{"a", "--format", "json"}, nil, false},
		{"--git before --", []string{"--", "--git", "x"}, []string{"--", "--git", "x"}, nil, false},
		{"range", []string{"--git", "a..b"}, nil, []string{"a..b"}, true},
		{"inline", []string{"-git=a..b", "--all"}, nil, []string{"a..b", "--all"}, true},
		{"ours keep their values", []string{"--git", "--all", "--format", "sarif", "--output=x", "--repo", "r"},
			[]string{"--format", "sarif", "--output=x", "--repo", "r"}, []string{"--all"}, true},
		{"git values joined", []string{"--git", "--since", "1 week ago", "-n", "3", "--branches", "x"},
			nil, []string{"--since=1 week ago", "--max-count=3", "--branches", "x"}, true},
		{"paths", []string{"--git", "x", "--", "--format", "p"}, nil, []string{"x", "--", "--format", "p"}, true},
		{"help", []string{"--git", "-h"}, []string{"-h"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fs := flag.NewFlagSet("scan", flag.ContinueOnError)
			for _, name := range []string{"format", "output", "repo"} {
				fs.String(name, "", "")
			}
			fs.Bool("staged", false, "")
			ours, git, isGit := splitGitArgs(fs, tt.args)
			if !slices.Equal(ours, tt.ours) || !slices.Equal(git, tt.git) || isGit != tt.isGit {
				t.Errorf("split %q = %q, %q, %v; want %q, %q, %v", tt.args, ours, git, isGit, tt.ours, tt.git, tt.isGit)
			}
		})
	}
}

// FuzzGitLogArgs checks, for any scan command line, that every argument
// split off for git either makes gitLogArgs fail or reaches git as a
// pass-through option, a revision that cannot be read as an option, or a
// path after "--"; and that pushguard's own output options always lead.
func FuzzGitLogArgs(f *testing.F) {
	f.Add("--git\x00--all\x00--since\x002024-01-01\x00--format\x00json")
	f.Add("--git=main..HEAD\x00--\x00-p")
	f.Add("--git\x00-n\x005\x00--output=x\x00--color")
	f.Add("--git\x00" + strings.Repeat("0", 40) + "..HEAD")
	f.Fuzz(func(t *testing.T, line string) {
		fs := flag.NewFlagSet("scan", flag.ContinueOnError)
		fs.String("format", "", "")
		fs.String("output", "", "")
		fs.Bool("staged", false, "")
		_, user, _ := splitGitArgs(fs, strings.Split(line, "\x00"))
		args, err := gitLogArgs("repo", user)
		if err != nil {
			return
		}
		base, err := gitLogArgs("repo", nil)
		if err != nil {
			t.Fatal(err)
		}
		base = base[:len(base)-1] // the trailing "--"
		if !slices.Equal(args[:len(base)], base) {
			t.Fatalf("gitLogArgs(%q) does not start with pushguard's own options: %q", user, args)
		}
		for _, a := range args[len(base):] {
			if a == "--" {
				return
			}
			if strings.HasPrefix(a, "-") && checkGitOption(a) != nil {
				t.Fatalf("gitLogArgs(%q) passes %q to git", user, a)
			}
		}
		t.Fatalf("gitLogArgs(%q) = %q: no \"--\" before the end", user, args)
	})
}
