package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/pushguard/pushguard/checks"
	"github.com/pushguard/pushguard/queue"
	"github.com/pushguard/pushguard/scanner"
)

// repoRef is the repository a job works on, with its client.
type repoRef struct {
	gh          *github.Client
	owner, name string
	headSHA     string
}

// scan is the whole of a scan job: hold the head SHA, put the check run in
// progress, scan each new commit's added lines, find where each secret is at
// the head, and complete the check run.
func (w *worker) scan(ctx context.Context, log *slog.Logger, job queue.Job) error {
	release, ok, err := w.store.lock(ctx, job.Repository()+"@"+job.HeadSHA, shaLockTTL)
	if err != nil {
		return err
	}
	if !ok {
		return errBusy
	}
	defer release()

	repo := repoRef{gh: w.gh.Installation(job.InstallationID), owner: job.Owner, name: job.Repo, headSHA: job.HeadSHA}
	cr := checks.NewClient(repo.gh, job.Owner, job.Repo)
	run, err := w.checkRun(ctx, cr, job)
	if err != nil {
		return err
	}
	log = log.With(logCheckRun, run.ID)

	report, err := w.buildReport(ctx, repo, job)
	if err != nil {
		return err
	}
	out := checks.Render(*report, w.scanner.Rules())
	keys, err := w.newAnnotations(ctx, run.ID, &out)
	if err != nil {
		return err
	}
	if err := cr.Complete(ctx, run, out); err != nil {
		return err
	}
	if err := w.store.addAnnotated(ctx, run.ID, keys); err != nil {
		return err
	}
	for _, it := range report.Items {
		if it.Active() {
			w.metrics.findings.WithLabelValues(it.RuleID, it.Provider).Inc()
		}
	}
	log.Info("scan complete", "conclusion", out.Conclusion, logFindings, len(report.Items), logCommits, report.Commits)
	return nil
}

// checkRun finds or creates the run for the job. An explicit re-run (a
// re-requested check, the Re-scan button) gets a new run, as GitHub expects;
// otherwise an existing pushguard run on the head SHA is reused, so a push
// and a pull request for the same SHA never make two.
func (w *worker) checkRun(ctx context.Context, cr *checks.Client, job queue.Job) (checks.Run, error) {
	explicit := job.Kind == queue.KindAction || (job.Kind == queue.KindRescan && job.Action == "rerequested")
	if !explicit {
		run, found, err := cr.Find(ctx, job.HeadSHA, w.appID)
		if err != nil {
			return checks.Run{}, err
		}
		if found {
			return run, nil
		}
	}
	return cr.Start(ctx, job.HeadSHA, job.DeliveryID)
}

// buildReport scans what the job names and locates the findings at the head.
func (w *worker) buildReport(ctx context.Context, repo repoRef, job queue.Job) (*checks.Report, error) {
	p, err := w.plan(ctx, repo, job)
	if err != nil {
		return nil, err
	}
	report := &checks.Report{RulesVersion: w.scanner.Rules().Version(), NetDiff: p.netDiffReason, CommitTimes: map[string]time.Time{}}
	var findings []scanner.Finding
	if p.netDiffReason != "" {
		res, err := w.scanCompare(ctx, repo, p.base)
		if err != nil {
			return nil, err
		}
		findings, report.Skipped = res.Findings, res.Skipped
	}
	for _, sha := range p.commits {
		cs, err := w.commitScan(ctx, repo, sha)
		if err != nil {
			return nil, err
		}
		findings = append(findings, cs.Findings...)
		report.Skipped = append(report.Skipped, cs.Skipped...)
		report.CommitTimes[sha] = cs.Date
	}
	report.Commits = len(p.commits)
	items, err := w.locate(ctx, repo, findings)
	if err != nil {
		return nil, err
	}
	report.Items = items
	report.BlobURL = blobURL(job, repo.headSHA)
	return report, nil
}

// newAnnotations drops the annotations already posted on a reused run (GitHub
// appends annotations and cannot remove them) and returns the keys of the
// rest.
func (w *worker) newAnnotations(ctx context.Context, runID int64, out *checks.Output) ([]string, error) {
	posted, err := w.store.annotated(ctx, runID)
	if err != nil {
		return nil, err
	}
	var keep []*github.CheckRunAnnotation
	var keys []string
	for _, a := range out.Annotations {
		k := a.GetPath() + ":" + strconv.Itoa(a.GetStartLine()) + ":" + a.GetAnnotationLevel() + ":" + a.GetRawDetails()
		if posted[k] {
			continue
		}
		keep = append(keep, a)
		keys = append(keys, k)
	}
	out.Annotations = keep
	return keys, nil
}

// blobURL links a path and line at the head SHA on the repository's web
// page (its html_url, which is right for github.com and Enterprise Server
// alike), or returns nil when the job does not know the page.
func blobURL(job queue.Job, sha string) func(string, int) string {
	if job.HTMLURL == "" {
		return nil
	}
	return func(path string, line int) string {
		return fmt.Sprintf("%s/blob/%s/%s#L%d", job.HTMLURL, sha, escapePath(path), line)
	}
}

// escapePath escapes each segment of a repository path for a URL.
func escapePath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}
