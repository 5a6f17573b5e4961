package cli

import (
	"context"
	"os/exec"
)

// startGit starts the git command of --git or --staged, or returns nil for
// the other inputs. A bad --git argument is a *UsageError.
func (o *scanOptions) startGit(ctx context.Context) (*gitRun, error) {
	switch {
	case o.isGit:
		args, err := gitLogArgs(o.repo, o.git)
		if err != nil {
			return nil, err
		}
		return startGit(ctx, gitWhat("log", o.git), args)
	case o.staged:
		// Outside a repository, git diff compares two paths and calls
		// --cached unknown: say what is wrong instead.
		if err := checkRepository(ctx, "git diff --cached", o.repo); err != nil {
			return nil, err
		}
		return startGit(ctx, "git diff --cached", gitStagedArgs(o.repo))
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
