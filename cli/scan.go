package cli

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"

	"github.com/pushguard/pushguard/scanner"
	"github.com/pushguard/pushguard/scanner/report"
)

// Defaults and names of the scan command.
const (
	defaultMaxFileSize = 10 << 20
	// fingerprintKeyEnv names the variable holding the fingerprint key. Set
	// it to the App's key and the CLI's fingerprints equal the App's.
	fingerprintKeyEnv = "PUSHGUARD_FINGERPRINT_KEY"
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
is above it) are not scanned and are listed on stderr and in the report.
Input to --diff that holds no diff is an error; empty input is nothing to
scan.

Exit status: 0 nothing found, 1 secrets found, 2 usage error or failure.

Fingerprints are keyed with $PUSHGUARD_FINGERPRINT_KEY (set it to the App's
key to compare fingerprints with the App's); without it, with a random key
that changes every run.

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
}

func parseScan(e Env, args []string) (*scanOptions, error) {
	o := &scanOptions{maxFileSize: defaultMaxFileSize}
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	fs.StringVar(&o.diff, "diff", "", "scan the unified diff in `FILE` (- for stdin), added lines only")
	fs.Bool("git", false, "scan the commits that the git log `arguments` after it select (a RANGE, --all, --since, ...), added lines only")
	fs.BoolVar(&o.staged, "staged", false, "scan what git commit is about to record (the index), added lines only")
	fs.StringVar(&o.repo, "repo", ".", "the git repository `DIR` for --git and --staged")
	fs.StringVar(&o.format, "format", "text", "output `format`: text, json or sarif")
	fs.StringVar(&o.output, "output", "", "write the report to `FILE` instead of stdout")
	fs.Var(&o.maxFileSize, "max-file-size", "do not scan a file larger than `SIZE` (bytes, or with KiB, MiB, GiB); with --diff and --git, a file whose added text in one commit is larger")
	args, o.git, o.isGit = splitGitArgs(fs, args)
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
	case o.format != "text" && o.format != "json" && o.format != "sarif":
		return Usagef("unknown format %q (want text, json or sarif)", o.format)
	case o.maxFileSize <= 0:
		return Usagef("--max-file-size must be positive")
	}
	return nil
}

// Scan runs `pushguard scan` with args (the command line after "scan"). It
// returns ErrFindings when it found secrets, a *UsageError for a mistake on
// the command line, flag.ErrHelp after --help, and other errors for a scan
// that could not be done.
func Scan(ctx context.Context, e Env, args []string) error {
	o, err := parseScan(e, args)
	if err != nil {
		return err
	}
	rules, err := scanner.Default()
	if err != nil {
		return fmt.Errorf("built-in rules: %w", err)
	}
	key, err := fingerprintKey(e.Getenv)
	if err != nil {
		return err
	}
	s := scanner.New(rules, key)
	var res *scanner.Result
	switch {
	case o.diff != "":
		res, err = scanDiffFile(ctx, s, o.diff, e.Stdin, int64(o.maxFileSize))
	case o.isGit:
		res, err = scanGit(ctx, s, o.repo, o.git, int64(o.maxFileSize))
	case o.staged:
		res, err = scanStaged(ctx, s, o.repo, int64(o.maxFileSize))
	default:
		res, err = scanPaths(ctx, s, o.paths, e.Stdin, int64(o.maxFileSize))
	}
	if err != nil {
		return err
	}
	for _, sk := range res.Skipped {
		fmt.Fprintf(e.Stderr, "pushguard: not scanned: %s\n", report.DescribeSkipped(sk))
	}
	if err := writeReport(o, e.Stdout, res, rules, e.Version); err != nil {
		return err
	}
	if len(res.Findings) > 0 {
		return ErrFindings
	}
	return nil
}

// fingerprintKey returns the key of the run's fingerprints: the App's key
// from the environment when set, so fingerprints can be compared with the
// App's (and dismissed by them), else a random one.
//
// There is deliberately no fixed built-in key. A fingerprint is an HMAC of
// the secret; under a key everyone knows, anyone holding a fingerprint (from
// a CI log or a SARIF upload) could confirm a guess of a low-entropy secret,
// such as a password, by hashing candidates until one matches. A random key
// makes the fingerprints of a run comparable only with each other.
func fingerprintKey(getenv func(string) string) ([]byte, error) {
	if k := getenv(fingerprintKeyEnv); k != "" {
		return []byte(k), nil
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("random fingerprint key: %w", err)
	}
	return key, nil
}
