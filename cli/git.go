package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"strings"

	"github.com/pushguard/pushguard/scanner"
)

// newBranchRange matches a range from the all-zero SHA, as a pre-push hook
// reads it for a branch the remote does not have yet. The revision after
// the dots may not start with "-": git would read it as an option.
var newBranchRange = regexp.MustCompile(`^(?:0{40}|0{64})\.\.([^-].*)$`)

// gitSafeConfig is the configuration that keeps the user's and the
// repository's settings from changing the text git prints: colour, pager,
// path prefixes, a root commit shown without its diff, relative paths.
func gitSafeConfig(repo string) []string {
	return []string{
		"--no-pager", "-C", repo,
		"-c", "color.ui=never", "-c", "color.diff=never", "-c", "diff.noprefix=false", "-c", "diff.mnemonicPrefix=false",
		"-c", "log.showRoot=true", "-c", "log.showSignature=false", "-c", "diff.relative=false",
	}
}

// gitDiffOptions are the diff options of every git command pushguard reads:
// no context lines, no colour, no external diff or textconv drivers, the
// a/ and b/ prefixes.
var gitDiffOptions = []string{"-U0", "--no-color", "--no-ext-diff", "--no-textconv", "--no-relative", "--src-prefix=a/", "--dst-prefix=b/"}

// gitLogArgs is the git command line that prints every commit that user
// (scan --git's arguments) selects with the lines it added: oldest first,
// merges as combined diffs, in the text pushguard parses whatever the
// configuration (gitSafeConfig, gitDiffOptions). Options in user must be
// ones that choose commits (checkGitOption); other arguments are
// revisions, up to a "--" that starts paths. A range from the all-zero SHA,
// 0000..B (what a pre-push hook reads for a new branch), becomes the commits
// of B that no remote has: B --not --remotes.
func gitLogArgs(repo string, user []string) ([]string, error) {
	args := append(gitSafeConfig(repo), "log", "-p", "--reverse", "--cc")
	args = append(args, gitDiffOptions...)
	args = append(args, "--format=commit %H")
	for i, a := range user {
		switch {
		case a == "--":
			return append(args, user[i:]...), nil
		case strings.HasPrefix(a, "-"):
			if err := checkGitOption(a); err != nil {
				return nil, err
			}
			args = append(args, a)
		case newBranchRange.MatchString(a):
			args = append(args, "--not", "--remotes", "--not", newBranchRange.FindStringSubmatch(a)[1])
		default:
			args = append(args, a)
		}
	}
	return append(args, "--"), nil
}

// gitStagedArgs is the git command line that prints what `git commit` is
// about to record: the index against HEAD (against nothing before the first
// commit), in the text pushguard parses whatever the configuration.
func gitStagedArgs(repo string) []string {
	args := append(gitSafeConfig(repo), "diff", "--cached")
	return append(args, gitDiffOptions...)
}

// scanGitOutput scans the diff a started git command prints. Findings carry
// the commit that added them (with git log). A file whose added text in one
// commit exceeds maxFileSize is not scanned.
func scanGitOutput(ctx context.Context, s *scanner.Scanner, g *gitRun, maxFileSize int64) (*scanner.Result, error) {
	res, scanErr := s.ScanDiffLimit(ctx, g.out, maxFileSize)
	waitErr := g.wait(scanErr != nil) // kill git on a scan error: it may be blocked writing output nobody reads
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case scanErr != nil:
		return nil, fmt.Errorf("scan %s: %w", g.what, scanErr)
	case waitErr != nil:
		return nil, gitError(g.what, g.stderr.String(), waitErr)
	}
	return res, nil
}

// gitError turns git's failure into one line, led by git's own message
// ("fatal: bad revision 'x'").
func gitError(what, stderr string, err error) error {
	msg := ""
	for _, line := range strings.Split(stderr, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			msg = line
			break
		}
	}
	var exit *exec.ExitError
	if msg == "" || !errors.As(err, &exit) {
		return fmt.Errorf("%s: %w", what, err)
	}
	return fmt.Errorf("%s: %s (%w)", what, msg, err)
}

// gitRevParse runs git rev-parse args in dir and returns its output,
// trimmed. A failure is an error starting with what and giving git's
// message (see gitError).
func gitRevParse(ctx context.Context, what, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir, "rev-parse"}, args...)...)
	stderr := &headBuffer{max: 4 << 10}
	cmd.Stderr = stderr
	out, err := cmd.Output()
	if err != nil {
		return "", gitError(what, stderr.String(), err)
	}
	return strings.TrimSpace(string(out)), nil
}

// headBuffer keeps the first max bytes written to it and discards the rest,
// so a chatty child process cannot grow memory.
type headBuffer struct {
	max int
	buf []byte
}

var _ io.Writer = (*headBuffer)(nil)

func (b *headBuffer) Write(p []byte) (int, error) {
	if room := b.max - len(b.buf); room > 0 {
		b.buf = append(b.buf, p[:min(len(p), room)]...)
	}
	return len(p), nil
}

func (b *headBuffer) String() string { return string(b.buf) }
