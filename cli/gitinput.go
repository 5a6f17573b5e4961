package cli

import "context"

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
		if _, err := gitRevParse(ctx, what, o.repo, "--git-dir"); err != nil {
			return nil, err
		}
		return startGit(ctx, what, gitStagedArgs(o.repo))
	}
	return nil, nil
}
