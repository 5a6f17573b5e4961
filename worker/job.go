package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/pushguard/pushguard/checks"
	"github.com/pushguard/pushguard/decisions"
	"github.com/pushguard/pushguard/internal/logkey"
	"github.com/pushguard/pushguard/metrics"
	"github.com/pushguard/pushguard/queue"
	"github.com/pushguard/pushguard/repoconfig"
	"github.com/pushguard/pushguard/scanner"
	"github.com/pushguard/pushguard/store"
)

// repoRef is the repository a job works on, with its client.
type repoRef struct {
	gh          *github.Client
	owner, name string
	headSHA     string
	sc          *scanner.Scanner // the repository's rules: built-in ones, as configured
	budget      *budget          // the job's time for scanning files; nil: no limit
}

// scan is the whole of a scan job: hold the head SHA, put the check run in
// progress, read the repository's configuration, scan each new commit's
// added lines, find where each secret is at the head, apply maintainers'
// decisions, complete the check run and update the pull request's comment.
//
// The head SHA is held by a lease (see lease.go): the whole job runs under
// the lease's context, and the check run is completed only after a last
// check that the lease is still ours, so a job that lost it writes nothing
// more and is tried again.
func (w *Worker) scan(ctx context.Context, log *slog.Logger, job queue.Job) error {
	return w.scanHead(ctx, log, job, nil)
}

// scanState is scan for a head whose state a command or a button has
// already built (st.job is its scan job): the report is not built again.
func (w *Worker) scanState(ctx context.Context, log *slog.Logger, st *prState) error {
	return w.scanHead(ctx, log, st.job, st)
}

// scanHead holds the head SHA's lease and scans it, from pre when it is not
// nil.
func (w *Worker) scanHead(ctx context.Context, log *slog.Logger, job queue.Job, pre *prState) error {
	l, err := w.store.Acquire(ctx, job.Repository()+"@"+job.HeadSHA, holderOf(ctx, job), shaLeaseTTL)
	if errors.Is(err, store.ErrLocked) {
		return ErrBusy
	}
	if err != nil {
		return err
	}
	defer l.Release()
	if l.TookOver {
		log.Info("head sha lease taken over from an earlier try of this job")
		w.metrics.Lease(metrics.LeaseTakenOver)
	}
	if err := w.scanLeased(l.Context(), log, job, l, pre); err != nil {
		if l.Lost() {
			w.metrics.Lease(metrics.LeaseLost)
			return fmt.Errorf("scan %s: %w (%w)", job.HeadSHA, store.ErrLeaseLost, err)
		}
		return err
	}
	return nil
}

// holderOf is the identity a job holds leases under: its task's ID, the
// same on every try, or its delivery ID outside a queue.
func holderOf(ctx context.Context, job queue.Job) string {
	if id := queue.TaskID(ctx); id != "" {
		return id
	}
	return job.DeliveryID
}

// scanLeased does the scan job's work while l holds its head SHA. pre, when
// not nil, is the head's state already built for this job.
func (w *Worker) scanLeased(ctx context.Context, log *slog.Logger, job queue.Job, l *store.Lease, pre *prState) error {
	cr := checks.NewClient(w.gh.Installation(job.InstallationID), job.Owner, job.Repo)
	existing, found, err := cr.Find(ctx, job.HeadSHA, w.appID)
	if err != nil {
		return err
	}
	if found && job.Intention() == queue.IntentScanSuite {
		// GitHub asks every App for a suite on each push; the push and pull
		// request events already scan it. Scan only if nothing has.
		return nil
	}
	st := pre
	if st == nil {
		if st, err = w.openState(ctx, job); err != nil {
			return err
		}
	}
	run, reused, err := w.checkRun(ctx, cr, job, existing, found)
	if err != nil {
		return err
	}
	log = log.With(logkey.CheckRun, run.ID)
	if err := w.runReport(ctx, st, run.ID, reused); err != nil {
		return err
	}
	st.report.Notices = st.notices
	repo, cfg, report := st.repo, st.cfg, st.report
	if err := w.closeLoop(ctx, job, cfg, report, run.ID); err != nil {
		return err
	}
	if err := w.autoRevoke(ctx, log, job, st); err != nil {
		return err
	}
	out := checks.Render(*report, repo.sc.Rules())
	keys, err := w.newAnnotations(ctx, run.ID, &out)
	if err != nil {
		return err
	}
	if err := l.Hold(); err != nil {
		return err
	}
	if err := cr.Complete(ctx, run, out); err != nil {
		return err
	}
	if err := w.store.AddAnnotated(ctx, run.ID, keys); err != nil {
		return err
	}
	if err := w.updateComment(ctx, cr, job, cfg, report, repo.sc.Rules()); err != nil {
		return err
	}
	for _, it := range report.Items {
		if it.Active() {
			w.metrics.Finding(it.RuleID, it.Provider)
		}
	}
	log.Info("scan complete", logkey.Conclusion, out.Conclusion, logkey.Findings, len(report.Items), logkey.Commits, report.Commits)
	return nil
}

// runReport makes st's report the one for check run runID: built now unless
// st already holds one that covers every commit a reused run had (a push's
// commits and its pull request's, so the last job to finish never narrows
// it), with the policy and maintainers' decisions applied as they are now.
func (w *Worker) runReport(ctx context.Context, st *prState, runID int64, reused bool) error {
	var earlier []string
	if reused {
		var err error
		if earlier, err = w.store.RunCommits(ctx, runID); err != nil {
			return err
		}
	}
	if st.report == nil || !covers(st.commits, earlier) {
		report, scanned, err := w.buildReport(ctx, st.repo, st.job, earlier)
		if err != nil {
			return err
		}
		st.report, st.commits = report, scanned
	}
	if err := w.store.SetRunCommits(ctx, runID, st.commits); err != nil {
		return err
	}
	if err := w.keepRunGaps(ctx, st.report, st.commits, runID, reused); err != nil {
		return err
	}
	st.report.ConfigProblems = st.problems
	return w.applyPolicy(ctx, st.job, st.cfg, st.report)
}

// keepRunGaps adds to report the commits a reused run's earlier jobs could
// not scan (a push trimmed to its last commits, then its pull request on
// the same head), and records the union: the last job to finish never
// drops what an earlier one had to name.
func (w *Worker) keepRunGaps(ctx context.Context, report *checks.Report, scanned []string, runID int64, reused bool) error {
	if reused {
		var earlier []checks.CommitGap
		if _, err := w.store.RunGaps(ctx, runID, &earlier); err != nil {
			return err
		}
		report.UnscannedCommits = unionGaps(stillUnscanned(earlier, scanned), report.UnscannedCommits)
	}
	return w.store.SetRunGaps(ctx, runID, report.UnscannedCommits)
}

// stillUnscanned drops from gaps the commits scanned since; a gap whose
// every commit was scanned goes.
func stillUnscanned(gaps []checks.CommitGap, scanned []string) []checks.CommitGap {
	var out []checks.CommitGap
	for _, g := range gaps {
		left := slices.DeleteFunc(slices.Clone(g.SHAs), func(sha string) bool { return slices.Contains(scanned, sha) })
		g.Count -= len(g.SHAs) - len(left)
		g.SHAs = left
		if g.Count > 0 || g.AtLeast {
			out = append(out, g)
		}
	}
	return out
}

// unionGaps returns a's gaps, then those of b that a lacks.
func unionGaps(a, b []checks.CommitGap) []checks.CommitGap {
	out := slices.Clone(a)
	for _, g := range b {
		if !slices.ContainsFunc(out, func(h checks.CommitGap) bool {
			return h.Reason == g.Reason && slices.Equal(h.SHAs, g.SHAs)
		}) {
			out = append(out, g)
		}
	}
	return out
}

// covers reports whether have holds every one of want.
func covers(have, want []string) bool {
	for _, x := range want {
		if !slices.Contains(have, x) {
			return false
		}
	}
	return true
}

// openState reads a job's repository configuration (no report yet).
func (w *Worker) openState(ctx context.Context, job queue.Job) (*prState, error) {
	repo, cfg, problems, err := w.openRepo(ctx, job)
	if err != nil {
		return nil, err
	}
	return &prState{repo: repo, cfg: cfg, problems: problems, job: job}, nil
}

// openRepo readies a job's repository: its client, its configuration and
// the scanner its rules make.
func (w *Worker) openRepo(ctx context.Context, job queue.Job) (repoRef, *repoconfig.Config, []string, error) {
	repo := repoRef{gh: w.gh.Installation(job.InstallationID), owner: job.Owner, name: job.Repo, headSHA: job.HeadSHA, sc: w.scanner,
		budget: newBudget(w.now, w.scanBudget)}
	cfg, problems, err := w.repoConfig(ctx, repo, job.DefaultBranch)
	if err != nil {
		return repo, nil, nil, err
	}
	rules, err := cfg.Ruleset(w.scanner.Rules())
	if err != nil {
		problems = append(problems, err.Error())
	} else {
		repo.sc = w.scanner.WithRules(rules)
	}
	return repo, cfg, problems, nil
}

// applyPolicy drops findings in ignored paths and of allowlisted commits
// (counting the latter), marks those below fail_on as advisory, and
// attaches maintainers' dismissals.
func (w *Worker) applyPolicy(ctx context.Context, job queue.Job, cfg *repoconfig.Config, r *checks.Report) error {
	var items []checks.Item
	var fps []string
	for _, it := range r.Items {
		it.Dismissed = nil // decided below, as they are now
		if cfg.Ignored(it.Path) || (it.AtHead != nil && cfg.Ignored(it.AtHead.Path)) {
			continue
		}
		if cfg.CommitAllowed(it.Commit) {
			r.Allowed++
			continue
		}
		it.Advisory = !cfg.Fails(it.Confidence)
		items = append(items, it)
		fps = append(fps, it.Fingerprint)
	}
	var skipped []scanner.Skipped
	for _, s := range r.Skipped {
		if !cfg.Ignored(s.Path) {
			skipped = append(skipped, s)
		}
	}
	r.Items, r.Skipped = items, skipped
	decided, err := w.decisions.Active(ctx, job.Repository(), fps)
	if err != nil {
		return err
	}
	for i, it := range r.Items {
		if d, ok := decided[it.Fingerprint]; ok {
			r.Items[i].Dismissed = &checks.Dismissal{Reason: string(d.Reason), By: d.By, At: d.At}
		}
	}
	return nil
}

// updateComment keeps the pull request's one pushguard comment in step with
// the scan: created when there are findings, edited in place after that
// (saying so when all are resolved), never made for a PR that never had one.
func (w *Worker) updateComment(ctx context.Context, cr *checks.Client, job queue.Job, cfg *repoconfig.Config, r *checks.Report, rules *scanner.Ruleset) error {
	if job.PR == 0 || !cfg.CommentsEnabled() {
		return nil
	}
	if len(r.Items) == 0 {
		if _, found, err := cr.FindComment(ctx, job.PR); err != nil || !found {
			return err
		}
	}
	_, _, err := cr.UpsertComment(ctx, job.PR, checks.RenderComment(*r, rules, decisions.HelpText()))
	return err
}

// checkRun picks the run for the job, given the newest existing one. An
// explicit re-run (a re-requested check, a button, a maintainer's decision)
// gets a new run, as
// GitHub expects, unless this very delivery already made it (a retry).
// Otherwise an existing pushguard run on the head SHA is reused, so a push
// and a pull request for the same SHA never make two.
func (w *Worker) checkRun(ctx context.Context, cr *checks.Client, job queue.Job, existing checks.Run, found bool) (run checks.Run, reused bool, err error) {
	explicit := job.Intention() == queue.IntentButton || job.Intention() == queue.IntentRerun
	if found && (!explicit || existing.ExternalID == job.DeliveryID) {
		return existing, true, nil
	}
	run, err = cr.Start(ctx, job.HeadSHA, job.DeliveryID)
	return run, false, err
}

// buildReport scans what the job names (and the earlier commits of a
// reused run) and locates the findings at the head. It returns the commits
// it scanned one by one.
func (w *Worker) buildReport(ctx context.Context, repo repoRef, job queue.Job, earlier []string) (*checks.Report, []string, error) {
	p, err := w.plan(ctx, repo, job)
	if err != nil {
		return nil, nil, err
	}
	if p.netDiffReason == "" {
		p.commits = unionInOrder(earlier, p.commits)
	}
	report := &checks.Report{RulesVersion: repo.sc.Rules().Version(), NetDiff: p.netDiffReason, CommitTimes: map[string]time.Time{},
		UnscannedCommits: p.unscanned}
	var findings []scanner.Finding
	if p.netDiffReason != "" {
		res, err := w.scanCompare(ctx, repo, p.base)
		if err != nil {
			return nil, nil, err
		}
		findings, report.Skipped, report.Allowed = res.Findings, res.Skipped, res.Allowed
	}
	for _, sha := range p.commits {
		cs, err := w.commitScan(ctx, repo, sha)
		if err != nil {
			return nil, nil, err
		}
		findings = append(findings, cs.Findings...)
		report.Skipped = append(report.Skipped, cs.Skipped...)
		report.Allowed += cs.Allowed
		report.CommitTimes[sha] = cs.Date
	}
	report.Commits = len(p.commits)
	items, err := w.locate(ctx, repo, findings)
	if err != nil {
		return nil, nil, err
	}
	report.Items = items
	report.BlobURL = blobURL(job, repo.headSHA)
	return report, p.commits, nil
}

// newAnnotations drops the annotations already posted on a reused run (GitHub
// appends annotations and cannot remove them) and returns the keys of the
// rest.
func (w *Worker) newAnnotations(ctx context.Context, runID int64, out *checks.Output) ([]string, error) {
	posted, err := w.store.Annotated(ctx, runID)
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

// unionInOrder returns a's items then b's not in a.
func unionInOrder(a, b []string) []string {
	seen := make(map[string]bool, len(a))
	out := append([]string(nil), a...)
	for _, x := range a {
		seen[x] = true
	}
	for _, x := range b {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
