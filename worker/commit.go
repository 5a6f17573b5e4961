package worker

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/pushguard/pushguard/checks"
	"github.com/pushguard/pushguard/queue"
	"github.com/pushguard/pushguard/scanner"
)

// commitResult is the scan of one commit's added lines, as cached in Redis:
// redacted findings and fingerprints only (a Finding's secret is not in its
// JSON).
type commitResult struct {
	Findings []scanner.Finding `json:"findings"`
	Skipped  []scanner.Skipped `json:"skipped,omitempty"`
	Date     time.Time         `json:"date"`
	// Allowed counts the findings the ruleset's allowlist dropped.
	Allowed int `json:"allowed,omitempty"`
}

// commitScan returns a commit's scan, from the cache when this ruleset has
// scanned it before (a push followed by its pull request's synchronize
// fetches and scans each commit once).
func (w *Worker) commitScan(ctx context.Context, repo repoRef, sha string) (*commitResult, error) {
	version, name := repo.sc.Rules().Version(), repo.owner+"/"+repo.name
	var cached commitResult
	if found, err := w.store.CommitScan(ctx, version, name, sha, &cached); err != nil || found {
		return &cached, err
	}
	res, err := w.scanCommit(ctx, repo, sha)
	if err != nil || outOfTime(res) {
		// A commit the time budget cut short is scanned again next time.
		return res, err
	}
	return res, w.store.SetCommitScan(ctx, version, name, sha, res)
}

// scanCommit fetches a commit's files page by page and scans their added
// lines.
func (w *Worker) scanCommit(ctx context.Context, repo repoRef, sha string) (*commitResult, error) {
	if !queue.ValidSHA(sha) {
		return nil, fmt.Errorf("commit %q: %w", sha, errNotAnID)
	}
	res := &commitResult{}
	listed := 0
	opts := &github.ListOptions{PerPage: 100}
	for {
		c, resp, err := repo.gh.Repositories.GetCommit(ctx, repo.owner, repo.name, sha, opts)
		if err != nil {
			return nil, fmt.Errorf("get commit %s: %w", sha, err)
		}
		res.Date = c.GetCommit().GetCommitter().GetDate().Time
		for _, f := range c.Files {
			if err := w.scanFile(ctx, repo, sha, f, res); err != nil {
				return nil, err
			}
		}
		listed += len(c.Files)
		if resp.NextPage == 0 || len(c.Files) == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	if listed >= commitMaxFiles {
		// GitHub lists at most 3000 files of a commit: say so, never skip
		// silently.
		res.Skipped = append(res.Skipped, notListed(commitMaxFiles, sha))
	}
	return res, nil
}

// GitHub's limits on the files it lists: of a commit, and of a
// comparison.
const (
	commitMaxFiles  = 3000
	compareMaxFiles = 300
)

// notListed names the files GitHub left out of a list cut at limit.
func notListed(limit int, sha string) scanner.Skipped {
	return scanner.Skipped{Path: fmt.Sprintf("(files past the first %d)", limit), Commit: sha, Reason: checks.SkipNotListed}
}

// scanCompare scans the net diff from base to the head, for changes past
// the per-commit limit. Findings are attributed to the head commit.
func (w *Worker) scanCompare(ctx context.Context, repo repoRef, base string) (*commitResult, error) {
	cmp, _, err := repo.gh.Repositories.CompareCommits(ctx, repo.owner, repo.name, base, repo.headSHA, &github.ListOptions{PerPage: 1})
	if err != nil {
		return nil, fmt.Errorf("compare %s...%s: %w", base, repo.headSHA, err)
	}
	res := &commitResult{}
	for _, f := range cmp.Files {
		if err := w.scanFile(ctx, repo, repo.headSHA, f, res); err != nil {
			return nil, err
		}
	}
	if len(cmp.Files) >= compareMaxFiles {
		// GitHub lists at most 300 files of a comparison: say so, never
		// skip silently.
		res.Skipped = append(res.Skipped, notListed(compareMaxFiles, repo.headSHA))
	}
	return res, nil
}

// scanFile scans one file of a commit: its patch when GitHub sent one; the
// whole blob when it did not (binary or too large a diff), if it is text and
// within the size cap; otherwise it is listed as not scanned. Nothing is
// skipped silently.
func (w *Worker) scanFile(ctx context.Context, repo repoRef, sha string, f *github.CommitFile, res *commitResult) error {
	patch := f.GetPatch()
	if f.GetStatus() == "removed" || (patch == "" && f.GetAdditions() == 0 && f.GetChanges() == 0 && f.GetStatus() != "added") {
		return nil // a removal, a pure rename or a mode change adds no line
	}
	if repo.budget.spent() {
		res.Skipped = append(res.Skipped, scanner.Skipped{Path: f.GetFilename(), Commit: sha, Reason: checks.SkipTimeBudget})
		return nil
	}
	var r *scanner.Result
	var err error
	start := time.Now()
	switch {
	case patch != "":
		r, err = repo.sc.ScanPatch(ctx, f.GetFilename(), sha, strings.NewReader(patch))
	default:
		r, err = w.scanBlob(ctx, repo, f.GetFilename(), sha, f.GetSHA())
	}
	if err != nil {
		return fmt.Errorf("scan %s in %s: %w", f.GetFilename(), sha, err)
	}
	w.metrics.Scanned(r.Bytes, time.Since(start))
	res.Findings = append(res.Findings, r.Findings...)
	res.Skipped = append(res.Skipped, r.Skipped...)
	res.Allowed += r.Allowed
	return nil
}

// scanBlob scans the file at path in commit sha whole (blobSHA, when
// known, saves a lookup for a file above 1 MB): a file GitHub sent no patch
// for, or one read again. A file fetchFile does not read is listed as
// skipped.
func (w *Worker) scanBlob(ctx context.Context, repo repoRef, path, sha, blobSHA string) (*scanner.Result, error) {
	data, skip, err := w.fetchFile(ctx, repo, path, sha, blobSHA)
	if err != nil {
		return nil, err
	}
	if skip != "" {
		return &scanner.Result{Skipped: []scanner.Skipped{{Path: path, Commit: sha, Reason: skip}}}, nil
	}
	return repo.sc.ScanFile(ctx, path, sha, bytes.NewReader(data))
}

// fetchFile reads a file at a commit, or says why it is not read: missing,
// or above the size cap.
func (w *Worker) fetchFile(ctx context.Context, repo repoRef, path, ref, blobSHA string) ([]byte, string, error) {
	if !safePath(path) || (blobSHA != "" && !queue.ValidSHA(blobSHA)) {
		return nil, "", fmt.Errorf("file %q (blob %q): %w", path, blobSHA, errNotAnID)
	}
	fc, _, _, err := repo.gh.Repositories.GetContents(ctx, repo.owner, repo.name, path, &github.RepositoryContentGetOptions{Ref: ref})
	if isNotFound(err) {
		return nil, "missing", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("get contents of %s at %s: %w", path, ref, err)
	}
	if fc == nil {
		return nil, "not a file", nil
	}
	if int64(fc.GetSize()) > w.maxBlob {
		return nil, fmt.Sprintf("%s (%d bytes, cap %d)", scanner.SkipTooLarge, fc.GetSize(), w.maxBlob), nil
	}
	if fc.GetEncoding() == "base64" && fc.Content != nil {
		content, err := fc.GetContent()
		if err != nil {
			return nil, "", fmt.Errorf("decode contents of %s: %w", path, err)
		}
		return []byte(content), "", nil
	}
	// Files above 1 MB come without content: read the blob itself.
	if blobSHA == "" {
		if blobSHA = fc.GetSHA(); !queue.ValidSHA(blobSHA) {
			return nil, "", fmt.Errorf("blob %q of %s: %w", blobSHA, path, errNotAnID)
		}
	}
	data, _, err := repo.gh.Git.GetBlobRaw(ctx, repo.owner, repo.name, blobSHA)
	if err != nil {
		return nil, "", fmt.Errorf("get blob %s of %s: %w", blobSHA, path, err)
	}
	return data, "", nil
}

// errNotAnID: GitHub's answer held a SHA or path that is not one, so it is
// not put into an API path (a job's own identifiers are checked by
// queue.Job.Validate; these come from GitHub's answers).
var errNotAnID = errors.New("not a valid identifier from GitHub's answer")

// safePath reports whether a repository file path can go into a contents
// URL as it is: relative, clean, with no ".." segment.
func safePath(p string) bool {
	return p != "" && !strings.HasPrefix(p, "/") && path.Clean(p) == p && p != ".." && !strings.HasPrefix(p, "../")
}
