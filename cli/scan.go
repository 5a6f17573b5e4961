package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/pushguard/pushguard/repoconfig"
	"github.com/pushguard/pushguard/scanner"
)

// Defaults of the scan command.
const (
	defaultMaxFileSize = 10 << 20
	defaultExitCode    = ExitFindings
)

const scanUsage = `Usage:
  pushguard scan --diff FILE        scan the added lines of a unified diff (- for stdin)
  pushguard scan --git [RANGE] [git log options] [-- PATHS]
                                    scan the lines each commit git log selects added
  pushguard scan --staged           scan the added lines of what git commit records
  pushguard scan PATH...            scan files and directories whole (- for stdin)

A git RANGE is one revision range as git log takes it: main..HEAD,
v1.0..v2.0, HEAD~5.. or a single commit (all its history). Every commit's
added lines are scanned, so a secret added in one commit and removed in the
next is still found. A range from the all-zero SHA (what a pre-push hook
gets for a new branch), 0000...0000..B, scans the commits of B that are on
no remote yet. The arguments after --git that are not this command's flags
go to git log: revisions, "--" and paths, and the options that choose
commits (--all, --branches, --since, --until, --author, --grep, -n N,
--no-merges, --first-parent, ...); options that change git's output
(--format, -p, --color, ...) are refused.

Directories are walked in lexical order. .git directories and symbolic links
met inside a directory are skipped (a link named on the command line is
followed). "-" scans stdin as one file named "-". Binary files and files
above --max-file-size (with --diff and --git: whose added text in one commit
is above it) are not scanned and are listed once: in a text report on
stdout, else on stderr.
Input to --diff that holds no diff is an error; empty input is nothing to
scan.

The repository's .github/pushguard.yml (the App's configuration: path
ignores, rules, fail_on) applies, or --config FILE. Findings whose
fingerprint .pushguardignore (or --ignore-file) lists with a reason are
reported as ignored; those in --baseline REPORT.json (a previous --format
json report) are hidden and counted. A paths argument that is missing or
unreadable is reported as not scanned and the rest is scanned.

Exit status: 0 nothing found, 1 (or --exit-code) secrets found, 2 usage
error or failure (and when no path could be read at all).

Fingerprints are stable from run to run; $PUSHGUARD_FINGERPRINT_KEY or
$PUSHGUARD_FINGERPRINT_KEY_FILE keys them as the App does (use a key when
reports are shared: an unkeyed fingerprint lets whoever holds it confirm a
guess of a short secret).

Flags:
`

// scanOptions is the parsed scan command line.
type scanOptions struct {
	diff        string
	git         []string // scan --git's arguments for git log; see splitGitArgs
	isGit       bool
	staged      bool
	repo        string
	paths       []string
	format      string
	output      string
	maxFileSize byteSize

	config        string
	baseline      string
	writeBaseline string
	ignoreFile    string
	exitCode      int
}

// fromGit reports whether the input is read from the git repository --repo
// (whose paths are relative to its root).
func (o *scanOptions) fromGit() bool { return o.isGit || o.staged }

// toStdout reports whether the report goes to stdout.
func (o *scanOptions) toStdout() bool { return o.output == "" || o.output == "-" }

func parseScan(e Env, args []string) (*scanOptions, error) {
	o := &scanOptions{maxFileSize: defaultMaxFileSize, exitCode: defaultExitCode}
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	fs.StringVar(&o.diff, "diff", "", "scan the unified diff in `FILE` (- for stdin), added lines only")
	fs.Bool("git", false, "scan the commits that the git log `arguments` after it select (a RANGE, --all, --since, ...), added lines only")
	fs.BoolVar(&o.staged, "staged", false, "scan what git commit is about to record (the index), added lines only")
	fs.StringVar(&o.repo, "repo", ".", "the git repository `DIR` for --git and --staged")
	fs.StringVar(&o.format, "format", "text", "output `format`: "+strings.Join(formats(), ", "))
	fs.StringVar(&o.output, "output", "", "write the report to `FILE` instead of stdout")
	fs.Var(&o.maxFileSize, "max-file-size", "do not scan a file larger than `SIZE` (bytes, or with KiB, MiB, GiB); with --diff and --git, a file whose added text in one commit is larger")
	addPolicyFlags(fs, o)
	args, o.git, o.isGit = splitGitArgs(fs, args) // after every flag is declared: they stay ours after --git
	paths, err := ParseFlags(e, fs, scanUsage, args)
	if err != nil {
		return nil, err
	}
	o.paths = paths
	return o, o.validate(fs)
}

func (o *scanOptions) validate(fs *flag.FlagSet) error {
	inputs := 0
	for _, set := range []bool{o.diff != "", o.isGit, o.staged, len(o.paths) > 0} {
		if set {
			inputs++
		}
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case inputs == 0:
		return Usagef("nothing to scan: give --diff FILE, --git RANGE, --staged or paths")
	case inputs > 1:
		return Usagef("give only one of --diff, --git, --staged and paths")
	case set["repo"] && !o.isGit && !o.staged:
		return Usagef("--repo needs --git or --staged")
	case !slices.Contains(formats(), o.format):
		return Usagef("unknown format %q (want %s)", o.format, strings.Join(formats(), ", "))
	case o.exitCode < 0 || o.exitCode > 125 || o.exitCode == ExitError:
		return Usagef("--exit-code %d: want 0 to 125, but not %d (failures exit with it)", o.exitCode, ExitError)
	case o.maxFileSize <= 0:
		return Usagef("--max-file-size must be positive")
	}
	return nil
}

// addPolicyFlags declares the flags of what the report keeps and how the
// scan exits: configuration, baseline, ignore file, -o and --exit-code.
func addPolicyFlags(fs *flag.FlagSet, o *scanOptions) {
	fs.StringVar(&o.output, "o", "", "shorthand for --output `FILE`")
	fs.StringVar(&o.config, "config", "", "read the configuration from `FILE` (default: .github/pushguard.yml at the repository's root)")
	fs.StringVar(&o.baseline, "baseline", "", "hide the findings of `REPORT.json`, a previous --format json report")
	fs.StringVar(&o.writeBaseline, "write-baseline", "", "write every finding not ignored to `FILE`, for --baseline")
	fs.StringVar(&o.ignoreFile, "ignore-file", "", "read ignored fingerprints from `FILE` (default: .pushguardignore at the repository's root)")
	fs.IntVar(&o.exitCode, "exit-code", defaultExitCode, "exit with `N` when secrets are found")
}

// Scan runs `pushguard scan` with args (the command line after "scan"). It
// returns a *FindingsError (errors.Is ErrFindings) when it found secrets
// that fail the scan, a *UsageError for a mistake on the command line,
// flag.ErrHelp after --help, and other errors for a scan that could not be
// done.
func Scan(ctx context.Context, e Env, args []string) error {
	o, err := parseScan(e, args)
	if err != nil {
		return err
	}
	git, err := startGitInput(ctx, o) // git works while the rules compile
	if err != nil {
		return err
	}
	defer git.close()
	p, err := loadPolicy(ctx, e, o)
	if err != nil {
		return err
	}
	res, err := scanInput(ctx, e, o, p, git)
	if err != nil {
		return err
	}
	dropIgnoredPaths(res, p.ignoredPath)
	dropAllowedCommits(res, p.config)
	out, known := triage(res, p.ignores, p.baseline)
	writeNotices(o, e.Stderr, out, p.configName)
	if err := writeReport(o, e.Stdout, out, p.scanner.Rules(), e.Version); err != nil {
		return err
	}
	if o.writeBaseline != "" {
		if err := writeBaseline(o.writeBaseline, known); err != nil {
			return fmt.Errorf("write baseline: %w", err)
		}
	}
	return p.verdict(e.Stderr, o, out.Result.Findings)
}

// policy is what the scan brings from the repository and the command line:
// its scanner (rules and key), configuration, ignore file and baseline.
type policy struct {
	scanner     *scanner.Scanner
	config      *repoconfig.Config
	configName  string // the configuration file's name, for messages
	ignoredPath func(string) bool
	ignores     ignoreList
	baseline    baseline
}

// loadPolicy builds the scanner and reads the configuration, the ignore
// file and the baseline; any of them broken is an error.
func loadPolicy(ctx context.Context, e Env, o *scanOptions) (*policy, error) {
	builtin, err := scanner.Default()
	if err != nil {
		return nil, fmt.Errorf("built-in rules: %w", err)
	}
	key, err := fingerprintKey(e.Getenv)
	if err != nil {
		return nil, err
	}
	root, err := repoRoot(ctx, o)
	if err != nil {
		return nil, err
	}
	p := &policy{}
	if p.config, p.configName, err = loadConfig(o, root, builtin); err != nil {
		return nil, err
	}
	rules, err := p.config.Ruleset(builtin)
	if err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	p.scanner = scanner.New(rules, key)
	p.ignoredPath = pathIgnored(p.config, o, root)
	if p.ignores, err = loadIgnoreFile(o, root, p.scanner.RedactText); err != nil {
		return nil, err
	}
	if p.baseline, err = loadBaseline(o.baseline); err != nil {
		return nil, err
	}
	return p, nil
}

// scanInput scans the one input the command line names (git's output,
// for --git and --staged).
func scanInput(ctx context.Context, e Env, o *scanOptions, p *policy, git *gitRun) (*scanner.Result, error) {
	switch {
	case o.diff != "":
		return scanDiffFile(ctx, p.scanner, o.diff, e.Stdin, int64(o.maxFileSize))
	case git != nil:
		return scanGitOutput(ctx, p.scanner, git, int64(o.maxFileSize))
	}
	return scanPaths(ctx, p.scanner, o.paths, e.Stdin, int64(o.maxFileSize), p.ignoredPath)
}

// verdict is the scan's outcome: a *FindingsError when a finding reaches
// the configuration's fail_on. Findings below it are reported and, on
// stderr, said not to fail the scan.
func (p *policy) verdict(stderr io.Writer, o *scanOptions, findings []scanner.Finding) error {
	failing := 0
	for _, f := range findings {
		if p.config.Fails(f.Confidence) {
			failing++
		}
	}
	if below := len(findings) - failing; below > 0 {
		fmt.Fprintf(stderr, "pushguard: %d of %d findings are below fail_on (%s) and do not fail the scan\n", below, len(findings), p.config.FailOn())
	}
	if failing == 0 {
		return nil
	}
	return &FindingsError{Code: o.exitCode}
}
