package cli

import (
	"context"
	"os/exec"

	"github.com/pushguard/pushguard/scanner"
)

// scanGit scans the commits git log selects with args (scan --git's
// arguments; see gitLogArgs) in repo. Findings carry the commit that added
// them. A bad argument is a *UsageError, reported before git runs.
func scanGit(ctx context.Context, s *scanner.Scanner, repo string, args []string, maxFileSize int64) (*scanner.Result, error) {
	gitArgs, err := gitLogArgs(repo, args)
	if err != nil {
		return nil, err
	}
	g, err := startGit(ctx, gitWhat("log", args), gitArgs)
	if err != nil {
		return nil, err
	}
	return scanGitOutput(ctx, s, g, maxFileSize)
}

// scanStaged scans what git commit is about to record in repo.
func scanStaged(ctx context.Context, s *scanner.Scanner, repo string, maxFileSize int64) (*scanner.Result, error) {
	const what = "git diff --cached"
	// Outside a repository, git diff compares two paths and calls --cached
	// unknown: say what is wrong instead.
	if err := checkRepository(ctx, what, repo); err != nil {
		return nil, err
	}
	g, err := startGit(ctx, what, gitStagedArgs(repo))
	if err != nil {
		return nil, err
	}
	return scanGitOutput(ctx, s, g, maxFileSize)
}

// checkRepository returns git's error when dir is not in a git repository.
func checkRepository(ctx context.Context, what, dir string) error {
	cmd := exec.CommandContext(ctx, "git", "-C", dir, "rev-parse", "--git-dir")
	stderr := &headBuffer{max: 4 << 10}
	cmd.Stderr = stderr
	if err := cmd.Run(); err != nil {
		return gitError(what, stderr.String(), err)
	}
	return nil
}
