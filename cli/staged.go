package cli

import "context"

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
		return startGit(ctx, "git diff --cached", gitStagedArgs(o.repo))
	}
	return nil, nil
}
