package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// linkExe makes the pushguard binary reachable at a path with a space and a
// quote in it (a hard link, else a copy), so the hooks' quoting is tested.
func linkExe(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "it's a dir")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "pushguard")
	if err := os.Link(pushguardExe, exe); err != nil {
		data, err := os.ReadFile(pushguardExe)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(exe, data, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return exe
}

// TestInstallHookExec installs both hooks with the built binary in a
// repository whose configuration colours, pages and unprefixes, keeps
// pushguard off PATH, and checks that a commit and a push adding a key are
// refused while clean ones pass.
func TestInstallHookExec(t *testing.T) {
	exe := linkExe(t)
	t.Setenv("PATH", "/usr/bin:/bin") // the hooks must not need pushguard on PATH
	for _, hc := range []hostileGitConfig{{"default", nil}, hostileGitConfigs()[len(hostileGitConfigs())-1]} {
		t.Run(hc.name, func(t *testing.T) {
			r := newGitRepo(t)
			r.configure(hc.kv)
			remote := t.TempDir()
			r.git("init", "-q", "--bare", remote)
			r.git("remote", "add", "origin", remote)
			got := runExe(t, exe, r.dir, nil, "install-hook", "--pre-commit", "--pre-push")
			if got.code != 0 || strings.Count(got.stdout, "wrote the") != 2 {
				t.Fatalf("install-hook: exit %d, stdout %q, stderr %q", got.code, got.stdout, got.stderr)
			}
			checkHooksRefuse(t, r, "")
		})
	}
}

// TestInstallHookPlacesExec checks where install-hook writes and what it
// refuses to overwrite.
func TestInstallHookPlacesExec(t *testing.T) {
	exe := buildPushguard(t)
	t.Run("core.hooksPath", func(t *testing.T) {
		r := newGitRepo(t)
		r.git("config", "core.hooksPath", "team-hooks")
		got := runExe(t, exe, r.dir, nil, "install-hook")
		hook := filepath.Join(r.dir, "team-hooks", "pre-commit")
		if got.code != 0 || !strings.Contains(got.stdout, hook) {
			t.Fatalf("exit %d, stdout %q, stderr %q; want the hook at %s", got.code, got.stdout, got.stderr, hook)
		}
		if _, err := os.Stat(filepath.Join(r.dir, ".git", "hooks", "pre-commit")); err == nil {
			t.Error("hook written to .git/hooks despite core.hooksPath")
		}
		writeFile(t, r.dir, "a.env", []byte("aws = "+awsKeyID+"\n"))
		if out, err := r.try("commit-all", "key"); err == nil || !strings.Contains(out, "a.env:1:7") {
			t.Errorf("commit with a key: err %v, output %q; want refused by the hook in core.hooksPath", err, out)
		}
	})
	t.Run("commit -a and commit PATH use another index", func(t *testing.T) {
		r := newGitRepo(t)
		if got := runExe(t, exe, r.dir, nil, "install-hook"); got.code != 0 {
			t.Fatalf("install-hook: exit %d, stderr %q", got.code, got.stderr)
		}
		writeFile(t, r.dir, "f.txt", []byte("a\n"))
		r.commit("initial")
		writeFile(t, r.dir, "f.txt", []byte("a\naws = "+awsKeyID+"\n"))
		writeFile(t, r.dir, "g.txt", []byte("clean\n"))
		r.git("add", "g.txt")
		for _, tt := range []struct {
			args    []string
			refused bool
		}{
			{[]string{"commit", "-q", "-a", "-m", "all"}, true},
			{[]string{"commit", "-q", "-m", "only f", "f.txt"}, true},
			{[]string{"commit", "-q", "-m", "only g", "g.txt"}, false}, // f.txt's key is not in this commit
		} {
			cmd := exec.Command("git", append([]string{"-C", r.dir, "-c", "user.name=T", "-c", "user.email=t@example.com"}, tt.args...)...)
			out, err := cmd.CombinedOutput()
			if refused := err != nil; refused != tt.refused || refused && !strings.Contains(string(out), "f.txt:2:7") {
				t.Errorf("git %q: err %v, output %q; want refused %v", tt.args, err, out, tt.refused)
			}
		}
	})
	t.Run("foreign hook", func(t *testing.T) {
		r := newGitRepo(t)
		foreign := []byte("#!/bin/sh\necho mine\n")
		hook := writeFile(t, r.dir, ".git/hooks/pre-push", foreign)
		got := runExe(t, exe, r.dir, nil, "install-hook", "--pre-push")
		if got.code != 2 || !strings.Contains(got.stderr, "pushguard did not write it") || strings.Count(got.stderr, "\n") != 1 {
			t.Errorf("exit %d, stderr %q; want 2 and one line refusing", got.code, got.stderr)
		}
		if b, _ := os.ReadFile(hook); string(b) != string(foreign) {
			t.Errorf("foreign hook changed to %q", b)
		}
		got = runExe(t, exe, r.dir, nil, "install-hook", "--pre-push", "--force")
		if b, _ := os.ReadFile(hook); got.code != 0 || !strings.Contains(string(b), "scan --git") {
			t.Errorf("--force: exit %d, hook %q; want replaced", got.code, b)
		}
		got = runExe(t, exe, r.dir, nil, "install-hook", "--pre-push")
		if got.code != 0 {
			t.Errorf("updating its own hook: exit %d, stderr %q; want 0", got.code, got.stderr)
		}
	})
	t.Run("errors", func(t *testing.T) {
		for _, tt := range []struct {
			args []string
			want string
		}{
			{[]string{"install-hook", "--repo", t.TempDir()}, "pushguard: install-hook: git rev-parse --git-path hooks: fatal: not a git repository"},
			{[]string{"install-hook", "extra"}, "pushguard: install-hook: unexpected argument \"extra\""},
			{[]string{"install-hook", "--pre-merge"}, "pushguard: install-hook: flag provided but not defined: -pre-merge"},
		} {
			got := runExe(t, exe, t.TempDir(), nil, tt.args...)
			if got.code != 2 || !strings.HasPrefix(got.stderr, tt.want) || strings.Count(got.stderr, "\n") != 1 {
				t.Errorf("%q: exit %d, stderr %q; want 2 and one line starting %q", tt.args, got.code, got.stderr, tt.want)
			}
		}
	})
}
