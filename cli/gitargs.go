package cli

import (
	"flag"
	"slices"
	"strings"
)

// splitGitArgs takes the git log arguments out of a scan command line.
// Everything after --git that is not one of fs's own flags (with its value)
// is git's: revisions, ranges, options such as --all or --since, and "--"
// with the paths after it. --git=RANGE gives one argument inline. Before
// --git, and after a "--" that comes before it, nothing is git's. It
// reports whether --git was given at all.
func splitGitArgs(fs *flag.FlagSet, args []string) (ours, git []string, isGit bool) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, value, hasValue := flagName(a)
		switch {
		case !isGit && a == "--":
			return append(ours, args[i:]...), git, isGit
		case !isGit && name == "git":
			isGit = true
			if hasValue {
				git = append(git, value)
			}
		case !isGit:
			ours = append(ours, a)
		case a == "--":
			return ours, append(git, args[i:]...), isGit
		case name != "" && ownsFlag(fs, name):
			ours = append(ours, a)
			if !hasValue && !isBoolFlag(fs.Lookup(name)) && i+1 < len(args) {
				i++
				ours = append(ours, args[i])
			}
		case name != "" && gitTakesValue(a) && i+1 < len(args):
			git = append(git, joinGitValue(a, args[i+1]))
			i++
		default:
			git = append(git, a)
		}
	}
	return ours, git, isGit
}

// flagName returns the name of a "-name", "--name" or "--name=value"
// argument, or "" when a is not shaped like a flag.
func flagName(a string) (name, value string, hasValue bool) {
	if len(a) < 2 || a[0] != '-' || a == "--" {
		return "", "", false
	}
	name = strings.TrimPrefix(a[1:], "-")
	name, value, hasValue = strings.Cut(name, "=")
	return name, value, hasValue
}

// ownsFlag reports whether name is one of the scan command's own flags.
func ownsFlag(fs *flag.FlagSet, name string) bool {
	return fs.Lookup(name) != nil || name == "h" || name == "help"
}

func isBoolFlag(f *flag.Flag) bool {
	if f == nil {
		return true // -h, --help
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// gitValueOptions are the git log options scan --git passes through that
// take a value, as "--opt=value" or "--opt value".
var gitValueOptions = []string{
	"--since", "--after", "--until", "--before", "--since-as-filter",
	"--author", "--committer", "--grep",
	"--max-count", "--skip", "--min-parents", "--max-parents",
	"--branches", "--tags", "--remotes", "--glob", "--exclude",
}

// gitFlagOptions are the git log options scan --git passes through that
// take no value. Like gitValueOptions, they choose which commits are
// shown and in what order, never how they are printed.
var gitFlagOptions = []string{
	"--all", "--branches", "--tags", "--remotes", "--not", "--reflog", "--single-worktree",
	"--no-merges", "--merges", "--no-min-parents", "--no-max-parents", "--first-parent",
	"--ancestry-path", "--full-history", "--simplify-merges", "--dense", "--sparse", "--remove-empty",
	"--topo-order", "--date-order", "--author-date-order", "--no-walk", "--do-walk",
	"--all-match", "--invert-grep", "-i", "--regexp-ignore-case", "-E", "--extended-regexp",
	"-F", "--fixed-strings", "-P", "--perl-regexp", "--basic-regexp",
	"--cherry-pick", "--left-only", "--right-only",
}

// joinGitValue writes a pass-through option and its separate value as one
// argument.
func joinGitValue(opt, value string) string {
	if opt == "-n" {
		opt = "--max-count"
	}
	return opt + "=" + value
}

// gitTakesValue reports whether a (with no "=") is a pass-through option
// that takes the next argument as its value.
func gitTakesValue(a string) bool {
	return a == "-n" || (slices.Contains(gitValueOptions, a) && !isGitFlagOption(a))
}

// isGitFlagOption reports whether a is a pass-through option without a
// value.
func isGitFlagOption(a string) bool { return slices.Contains(gitFlagOptions, a) }

// checkGitOption returns a *UsageError unless a, which starts with "-", is
// a git log option scan --git passes through: one that chooses commits.
// Options that would change the text pushguard parses (--format, --pretty,
// -p and other diff options, --color, --output, ...) are refused, since
// pushguard sets those itself.
func checkGitOption(a string) error {
	if isGitFlagOption(a) || isDigits(strings.TrimPrefix(a, "-")) {
		return nil
	}
	if strings.HasPrefix(a, "-n") && isDigits(a[2:]) {
		return nil
	}
	if name, _, hasValue := strings.Cut(a, "="); hasValue && slices.Contains(gitValueOptions, name) {
		return nil
	}
	return Usagef("--git: git log option %q is not passed through: only options that choose commits are (%s, -n N); "+
		"pushguard sets the output options (format, patch, colour) itself", a, "--all, --branches, --since, --until, --author, --grep, --no-merges, --first-parent, ...")
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
