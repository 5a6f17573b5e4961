package cli

import (
	"context"
	"os/exec"
)

// startGitInput starts the git command of --git (git log) or --staged
// (git diff --cached), or returns nil for the other inputs. A bad --git
// argument is a *UsageError, reported before git runs.
func startGitInput(ctx context.Context, o *scanOptions) (*gitRun, error) {
	switch {
	case o.isGit:
		args, err := gitLogArgs(o.repo, o.git)
		if err != nil {
			return nil, err
		}
		return startGit(ctx, gitWhat("log", o.git), args)
	case o.staged:
		const what = "git diff --cached"
		// Outside a repository, git diff compares two paths and calls
		// --cached unknown: say what is wrong instead.
		if err := checkRepository(ctx, what, o.repo); err != nil {
			return nil, err
		}
		return startGit(ctx, what, gitStagedArgs(o.repo))
	}
	return nil, nil
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
