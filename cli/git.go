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
// reads it for a branch the remote does not have yet.
var newBranchRange = regexp.MustCompile(`^(?:0{40}|0{64})\.\.(.+)$`)

// gitLogArgs is the git command line that prints every commit of rng with
// the lines it added: oldest first, merges as combined diffs, no context
// lines, and none of the user's or repository's configuration that would
// change the text (colour, pager, external diff and textconv drivers, path
// prefixes, a root commit shown without its diff, relative paths). RANGE
// comes after --end-of-options, so it can never be read as an option.
func gitLogArgs(repo, rng string) []string {
	args := []string{
		"--no-pager", "-C", repo,
		"-c", "color.ui=never", "-c", "color.diff=never", "-c", "diff.noprefix=false", "-c", "diff.mnemonicPrefix=false",
		"-c", "log.showRoot=true", "-c", "log.showSignature=false", "-c", "diff.relative=false",
		"log", "-p", "--reverse", "--cc", "-U0", "--no-color", "--no-ext-diff", "--no-textconv", "--no-relative",
		"--src-prefix=a/", "--dst-prefix=b/", "--format=commit %H",
	}
	if m := newBranchRange.FindStringSubmatch(rng); m != nil {
		// The commits of the new branch that no remote has: B --not --remotes.
		return append(args, "--not", "--remotes", "--not", "--end-of-options", m[1], "--")
	}
	return append(args, "--end-of-options", rng, "--")
}

// scanGit streams git log -p of rng in repo into the scanner. Findings carry
// the commit that added them.
// A file whose added text in one commit exceeds maxFileSize is not scanned.
func scanGit(ctx context.Context, s *scanner.Scanner, repo, rng string, maxFileSize int64) (*scanner.Result, error) {
	cmd := exec.CommandContext(ctx, "git", gitLogArgs(repo, rng)...)
	stderr := &headBuffer{max: 4 << 10}
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("run git: %w", err)
	}
	res, scanErr := s.ScanDiffLimit(ctx, out, maxFileSize)
	if scanErr != nil {
		_ = cmd.Process.Kill() // git may be blocked writing output nobody reads
	}
	waitErr := cmd.Wait()
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case scanErr != nil:
		return nil, fmt.Errorf("scan git log %s: %w", rng, scanErr)
	case waitErr != nil:
		return nil, gitError(rng, stderr.String(), waitErr)
	}
	return res, nil
}

// gitError turns git's failure into one line, led by git's own message
// ("fatal: bad revision 'x'").
func gitError(rng, stderr string, err error) error {
	msg := ""
	for _, line := range strings.Split(stderr, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			msg = line
			break
		}
	}
	var exit *exec.ExitError
	if msg == "" || !errors.As(err, &exit) {
		return fmt.Errorf("git log %s: %w", rng, err)
	}
	return fmt.Errorf("git log %s: %s (%w)", rng, msg, err)
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
