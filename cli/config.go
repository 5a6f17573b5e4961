package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/pushguard/pushguard/repoconfig"
	"github.com/pushguard/pushguard/scanner"
)

// configPath is where the repository configuration lives, relative to the
// repository's root: the file the App reads.
const configPath = ".github/pushguard.yml"

// repoRoot returns the root of the repository being scanned: the git
// top-level of --repo (with --git), of the first path that exists (a file's
// directory), or of the working directory (--diff, stdin). Outside a git
// repository it is that directory itself.
func repoRoot(ctx context.Context, o *scanOptions) (string, error) {
	dir := "."
	switch {
	case o.fromGit():
		dir = o.repo
	case o.diff == "":
		for _, p := range o.paths {
			if info, err := os.Stat(p); err == nil && p != "-" {
				dir = p
				if !info.IsDir() {
					dir = filepath.Dir(p)
				}
				break
			}
		}
	}
	if top, err := gitRevParse(ctx, "git rev-parse --show-toplevel", dir, "--show-toplevel"); err == nil && top != "" {
		dir = top
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("repository root: %w", err)
	}
	return abs, nil
}

// loadConfig reads the repository configuration with the App's parser:
// --config FILE when given (it must exist), else .github/pushguard.yml under
// root when there is one. No file is the default configuration (nil). A
// file with problems is an error listing each with its line. It also
// returns the file's name, for messages.
func loadConfig(o *scanOptions, root string, builtin *scanner.Ruleset) (*repoconfig.Config, string, error) {
	cfg, err := parseConfig(o, root, builtin)
	return cfg, cmp.Or(o.config, configPath), err
}

// parseConfig is loadConfig without the file's name.
func parseConfig(o *scanOptions, root string, builtin *scanner.Ruleset) (*repoconfig.Config, error) {
	path, data, err := readNamedOrDefault(o.config, filepath.Join(root, filepath.FromSlash(configPath)))
	if err != nil || data == nil {
		return nil, wrapIf("configuration", err)
	}
	cfg, problems := repoconfig.Parse(path, data, builtin)
	if len(problems) > 0 {
		msgs := make([]string, len(problems))
		for i, p := range problems {
			msgs[i] = p.String()
		}
		return nil, fmt.Errorf("configuration: %s", strings.Join(msgs, "; "))
	}
	return cfg, nil
}

// pathIgnored returns the test of paths.ignore for the scan's paths. Paths
// from --diff and --git are relative to the repository's root already;
// paths named on the command line are made so (a path outside root, and
// stdin, is never ignored).
func pathIgnored(cfg *repoconfig.Config, o *scanOptions, root string) func(path string) bool {
	if len(cfg.IgnorePatterns()) == 0 {
		return func(string) bool { return false }
	}
	if o.diff != "" || o.fromGit() {
		return cfg.Ignored
	}
	return func(path string) bool {
		if path == "-" {
			return false
		}
		abs, err := filepath.Abs(path)
		if err != nil {
			return false
		}
		rel, err := filepath.Rel(root, abs)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return false
		}
		return cfg.Ignored(filepath.ToSlash(rel))
	}
}

// dropIgnoredPaths removes the findings and the files not scanned whose
// path paths.ignore names, as the App does.
func dropIgnoredPaths(res *scanner.Result, ignored func(string) bool) {
	var findings []scanner.Finding
	for _, f := range res.Findings {
		if !ignored(f.Path) {
			findings = append(findings, f)
		}
	}
	var skipped []scanner.Skipped
	for _, s := range res.Skipped {
		if !ignored(s.Path) {
			skipped = append(skipped, s)
		}
	}
	res.Findings, res.Skipped = findings, skipped
}

// dropAllowedCommits removes the findings of the configuration's
// allowlist.commits, counting them in res.Allowed with those the ruleset's
// allowlist dropped, as the App does.
func dropAllowedCommits(res *scanner.Result, cfg *repoconfig.Config) {
	var n int
	res.Findings, n = cfg.DropAllowedCommits(res.Findings)
	res.Allowed += n
}

// readNamedOrDefault reads the file the user named, which must exist, or
// when they named none the default one, which may be missing: then data is
// nil.
func readNamedOrDefault(named, def string) (path string, data []byte, err error) {
	path = cmp.Or(named, def)
	data, err = os.ReadFile(path)
	if named == "" && errors.Is(err, fs.ErrNotExist) {
		return path, nil, nil
	}
	return path, data, err
}

// wrapIf prefixes err with what, or returns nil.
func wrapIf(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}
