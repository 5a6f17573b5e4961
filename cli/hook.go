package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

const installHookUsage = `Usage:
  pushguard install-hook [--pre-commit] [--pre-push] [--force] [--repo DIR]

Writes git hooks that run this pushguard binary (by its absolute path) in
the repository's hooks directory (core.hooksPath when set):

  pre-commit  pushguard scan --staged: refuses a commit whose staged changes
              add a secret
  pre-push    pushguard scan --git REMOTE..LOCAL for each pushed branch:
              refuses a push whose commits add a secret, even one removed
              again later (a new branch: its commits on no remote yet)

With neither flag, the pre-commit hook is written. A hook that pushguard
did not write is never replaced without --force; one it wrote is updated.
Your git configuration (colour, pager, prefixes, external diff, textconv)
does not change what the hooks scan.

Flags:
`

// hookMarker is the line that marks a hook pushguard wrote.
const hookMarker = "# Written by 'pushguard install-hook'."

// InstallHook runs `pushguard install-hook` with args (the command line
// after "install-hook").
func InstallHook(ctx context.Context, e Env, args []string) error {
	var preCommit, prePush, force bool
	repo := "."
	fs := flag.NewFlagSet("install-hook", flag.ContinueOnError)
	fs.BoolVar(&preCommit, "pre-commit", false, "write the pre-commit hook (the default)")
	fs.BoolVar(&prePush, "pre-push", false, "write the pre-push hook")
	fs.BoolVar(&force, "force", false, "replace a hook that pushguard did not write")
	fs.StringVar(&repo, "repo", ".", "the git repository `DIR`")
	rest, err := ParseFlags(e, fs, installHookUsage, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return Usagef("unexpected argument %q", rest[0])
	}
	if !preCommit && !prePush {
		preCommit = true
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find the pushguard binary: %w", err)
	}
	if exe, err = filepath.EvalSymlinks(exe); err != nil {
		return fmt.Errorf("find the pushguard binary: %w", err)
	}
	dir, err := hooksDir(ctx, repo)
	if err != nil {
		return err
	}
	for _, h := range []struct {
		name string
		want bool
	}{{"pre-commit", preCommit}, {"pre-push", prePush}} {
		if !h.want {
			continue
		}
		path := filepath.Join(dir, h.name)
		if err := writeHook(path, hookScript(h.name, exe), force); err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "pushguard: wrote the %s hook %s\n", h.name, path)
	}
	return nil
}

// hooksDir returns the repository's hooks directory, which git resolves
// (core.hooksPath, a linked worktree's common directory).
func hooksDir(ctx context.Context, repo string) (string, error) {
	dir, err := gitRevParse(ctx, "git rev-parse --git-path hooks", repo, "--path-format=absolute", "--git-path", "hooks")
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("hooks directory: %w", err)
	}
	return dir, nil
}

// hookScript is the hook name, running exe. The scans force their own git
// options, so no configuration changes what they read; a failing scan
// (exit status 2) refuses as a finding does.
func hookScript(name, exe string) []byte {
	q := shellQuote(exe)
	var body string
	switch name {
	case "pre-commit":
		body = "exec " + q + " scan --staged\n"
	case "pre-push":
		// Each line: <local ref> <local sha> <remote ref> <remote sha>. A
		// deletion (all-zero local sha) adds nothing; a new branch (all-zero
		// remote sha) is scanned for the commits no remote has.
		body = "while read -r _ local _ remote; do\n" +
			"  case $local in *[!0]*) " + q + " scan --git \"$remote..$local\" || exit 1 ;; esac\n" +
			"done\n"
	}
	return []byte("#!/bin/sh\n" + hookMarker + " Run it again to update; --force replaces another hook.\n" + body)
}

// shellQuote quotes s for sh, in single quotes.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// writeHook writes an executable hook at path, unless a hook pushguard did
// not write is there and force is not set.
func writeHook(path string, script []byte, force bool) error {
	old, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return fmt.Errorf("read the existing hook: %w", err)
	case !force && !bytes.Contains(old, []byte(hookMarker)):
		return fmt.Errorf("%s exists and pushguard did not write it: call pushguard from it, or replace it with --force", path)
	}
	tmp := path + ".pushguard-tmp"
	if err := os.WriteFile(tmp, script, 0o755); err != nil {
		return fmt.Errorf("write hook: %w", err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil { // whatever the umask
		return fmt.Errorf("write hook: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write hook: %w", err)
	}
	return nil
}
