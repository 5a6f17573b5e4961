package worker

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/google/go-github/v60/github"

	"github.com/pushguard/pushguard/checks"
	"github.com/pushguard/pushguard/queue"
)

// plan is what a job scans: commits one by one, or, past the per-commit
// limit, the net diff from base to the head (and why), and the commits it
// leaves out.
type plan struct {
	commits       []string // oldest first
	base          string
	netDiffReason string
	unscanned     []checks.CommitGap
}

// plan decides which commits a job scans. Push protection means every
// commit that reaches GitHub, not only the net diff: a key added in one
// commit and deleted in the next is still in the history.
func (w *Worker) plan(ctx context.Context, repo repoRef, job queue.Job) (plan, error) {
	switch {
	case job.Intention() == queue.IntentScanPush:
		return w.pushPlan(ctx, repo, job)
	case job.PR != 0:
		return w.pullRequestPlan(ctx, repo, job)
	}
	// A re-run without a pull request: the commits not on the default
	// branch, or the head commit itself when it is on it.
	return w.comparePlan(ctx, repo, job.DefaultBranch, []string{repo.headSHA})
}

// pushPlan scans the commits between before and after. A new branch scans
// the commits that are not on the default branch; a force push, those of
// after that are not in before (compare works from the merge base).
func (w *Worker) pushPlan(ctx context.Context, repo repoRef, job queue.Job) (plan, error) {
	base := job.Before
	if job.Created || base == "" || isZeroSHA(base) {
		base = job.DefaultBranch
		if job.Ref == qualified(job.DefaultBranch) || job.DefaultBranch == "" {
			// The first push to a repository: nothing to compare with.
			return trimmedPlan(orHead(job.Commits, repo.headSHA), w.maxCommits,
				"The first push to this repository has no base to compare with: pushguard scanned the newest commits the push listed, one by one (PUSHGUARD_MAX_COMMITS), and not the older ones."), nil
		}
	}
	return w.comparePlan(ctx, repo, base, orHead(job.Commits, repo.headSHA))
}

// comparePlan lists the commits from base to the head. When GitHub cannot
// compare (a force push whose old head was garbage-collected), it falls
// back to the commits listed in the payload.
func (w *Worker) comparePlan(ctx context.Context, repo repoRef, base string, fallback []string) (plan, error) {
	var commits []string
	total := 0
	opts := &github.ListOptions{PerPage: 100}
	for {
		cmp, resp, err := repo.gh.Repositories.CompareCommits(ctx, repo.owner, repo.name, base, repo.headSHA, opts)
		if isNotFound(err) {
			return trimmedPlan(fallback, w.maxCommits, fmt.Sprintf(
				"GitHub could not compare %s with the head (an old head that is gone, as after a force push): pushguard scanned the newest commits the push listed, one by one (PUSHGUARD_MAX_COMMITS), and not the older ones.",
				shortRef(base))), nil
		}
		if err != nil {
			return plan{}, fmt.Errorf("compare %s...%s: %w", base, repo.headSHA, err)
		}
		total = cmp.GetTotalCommits()
		if total > w.maxCommits {
			return plan{base: base, netDiffReason: fmt.Sprintf(
				"This change has %d commits, more than the %d scanned one by one: pushguard scanned the net diff %s...%s instead, so a secret added and removed again within it is not seen.",
				total, w.maxCommits, shortRef(base), shortRef(repo.headSHA))}, nil
		}
		for _, c := range cmp.Commits {
			commits = append(commits, c.GetSHA())
		}
		if resp.NextPage == 0 || len(cmp.Commits) == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	p := plan{commits: commits}
	if missing := total - len(commits); missing > 0 {
		// GitHub's pages stopped short of the total it announced.
		p.unscanned = []checks.CommitGap{{Count: missing, Reason: fmt.Sprintf(
			"GitHub's comparison of %s with the head counts %d commits but listed %d: the others were not scanned.", shortRef(base), total, len(commits))}}
	}
	if len(p.commits) == 0 {
		p.commits = []string{repo.headSHA}
	}
	return p, nil
}

// pullRequestPlan scans the pull request's commits (fork PRs included: their
// commits are readable in the base repository).
func (w *Worker) pullRequestPlan(ctx context.Context, repo repoRef, job queue.Job) (plan, error) {
	var commits []string
	opts := &github.ListOptions{PerPage: 100}
	for {
		page, resp, err := repo.gh.PullRequests.ListCommits(ctx, repo.owner, repo.name, job.PR, opts)
		if isNotFound(err) {
			// The pull request is gone (or never was this repository's):
			// scan the head as a branch instead.
			return w.comparePlan(ctx, repo, job.DefaultBranch, []string{repo.headSHA})
		}
		if err != nil {
			return plan{}, fmt.Errorf("list commits of pull request %d: %w", job.PR, err)
		}
		for _, c := range page {
			commits = append(commits, c.GetSHA())
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	// GitHub lists at most 250 commits of a pull request: at the limit, or
	// past ours, scan the net diff from the base.
	if len(commits) > w.maxCommits || len(commits) >= 250 {
		base := job.BaseSHA
		if base == "" {
			pr, _, err := repo.gh.PullRequests.Get(ctx, repo.owner, repo.name, job.PR)
			if err != nil {
				return plan{}, fmt.Errorf("get pull request %d: %w", job.PR, err)
			}
			base = pr.GetBase().GetSHA()
		}
		return plan{base: base, netDiffReason: fmt.Sprintf(
			"This pull request has %d or more commits, more than the %d scanned one by one: pushguard scanned its net diff instead.",
			len(commits), w.maxCommits)}, nil
	}
	if len(commits) == 0 {
		commits = []string{repo.headSHA}
	}
	return plan{commits: commits}, nil
}

func isNotFound(err error) bool {
	var er *github.ErrorResponse
	return errors.As(err, &er) && er.Response != nil &&
		(er.Response.StatusCode == http.StatusNotFound || er.Response.StatusCode == http.StatusUnprocessableEntity)
}

func qualified(branch string) string {
	if branch == "" || strings.HasPrefix(branch, "refs/") {
		return branch
	}
	return "refs/heads/" + branch
}

func isZeroSHA(sha string) bool { return strings.Trim(sha, "0") == "" }

func orHead(commits []string, head string) []string {
	if len(commits) == 0 {
		return []string{head}
	}
	return commits
}

// pushPayloadMaxCommits is how many commits a push payload lists at most.
const pushPayloadMaxCommits = 2048

// trimmedPlan scans the newest n of the commits a push payload listed
// (oldest first) and names the others as not scanned, giving why. A list
// at the payload's own limit may have lost older commits before pushguard
// saw it: that is named too, with a count that is a floor.
func trimmedPlan(listed []string, n int, why string) plan {
	kept := listed
	if len(listed) > n {
		kept = listed[len(listed)-n:]
	}
	dropped := listed[:len(listed)-len(kept)]
	capped := len(listed) >= pushPayloadMaxCommits
	p := plan{commits: kept}
	if len(dropped) == 0 && !capped {
		return p
	}
	reason := fmt.Sprintf("%s It listed %d; %d were scanned.", why, len(listed), len(kept))
	if capped {
		reason += fmt.Sprintf(" GitHub lists at most %d commits in a push and listed that many, so older ones may not have been listed at all.", pushPayloadMaxCommits)
	}
	p.unscanned = []checks.CommitGap{{Count: len(dropped), AtLeast: capped, SHAs: slices.Clone(dropped), Reason: reason}}
	return p
}

func shortRef(ref string) string {
	ref = strings.TrimPrefix(ref, "refs/heads/")
	if len(ref) == 40 {
		return ref[:12]
	}
	return ref
}
