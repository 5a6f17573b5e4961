package worker

import (
	"context"
	"fmt"

	"github.com/google/go-github/v60/github"

	"github.com/pushguard/pushguard/repoconfig"
)

// Where repository configuration lives. It is read from the default branch,
// so a pull request cannot weaken its own checks, and the organisation's
// `.github` repository holds the default every repository inherits.
const (
	configPath   = ".github/pushguard.yml"
	orgDefaults  = ".github"
	maxConfigGet = repoconfig.MaxFileSize
)

// repoConfig reads and merges the organisation's default and the
// repository's own configuration. Problems are returned as lines for the
// check run; a missing file is no problem.
func (w *Worker) repoConfig(ctx context.Context, repo repoRef, defaultBranch string) (*repoconfig.Config, []string, error) {
	org, orgProblems, err := w.readConfig(ctx, repo.gh, repo.owner, orgDefaults, "")
	if err != nil {
		return nil, nil, err
	}
	own, ownProblems, err := w.readConfig(ctx, repo.gh, repo.owner, repo.name, defaultBranch)
	if err != nil {
		return nil, nil, err
	}
	return repoconfig.Merge(org, own), append(orgProblems, ownProblems...), nil
}

// readConfig reads one configuration file, or returns nil when there is
// none (or the App cannot see the repository).
func (w *Worker) readConfig(ctx context.Context, gh *github.Client, owner, name, ref string) (*repoconfig.Config, []string, error) {
	fc, _, _, err := gh.Repositories.GetContents(ctx, owner, name, configPath, &github.RepositoryContentGetOptions{Ref: ref})
	if isNotFound(err) || (err == nil && fc == nil) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read %s/%s/%s: %w", owner, name, configPath, err)
	}
	where := owner + "/" + name + ":" + configPath
	if fc.GetSize() > maxConfigGet {
		return nil, []string{fmt.Sprintf("%s: the file is %d bytes, more than the %d read; it was ignored", where, fc.GetSize(), maxConfigGet)}, nil
	}
	content, err := fc.GetContent()
	if err != nil {
		return nil, []string{fmt.Sprintf("%s: %v", where, err)}, nil
	}
	cfg, problems := repoconfig.Parse(where, []byte(content), w.scanner.Rules())
	lines := make([]string, len(problems))
	for i, p := range problems {
		lines[i] = p.String()
	}
	return cfg, lines, nil
}
