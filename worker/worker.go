package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/pushguard/pushguard/alert"
	"github.com/pushguard/pushguard/checks"
	"github.com/pushguard/pushguard/decisions"
	"github.com/pushguard/pushguard/ghapp"
	"github.com/pushguard/pushguard/incident"
	"github.com/pushguard/pushguard/internal/logkey"
	"github.com/pushguard/pushguard/metrics"
	"github.com/pushguard/pushguard/queue"
	"github.com/pushguard/pushguard/scanner"
	"github.com/pushguard/pushguard/store"
	"github.com/pushguard/pushguard/validity"
)

// Defaults of the worker's limits.
const (
	// DefaultMaxCommits is how many commits a job scans one by one; past it
	// the net diff is scanned instead, and the summary says so.
	DefaultMaxCommits = 250
	// DefaultMaxBlobBytes caps a file fetched whole because GitHub sent no
	// patch for it.
	DefaultMaxBlobBytes = 10 << 20
	// shaLeaseTTL is how long a head SHA stays held by a worker that
	// stopped renewing it (it died, or lost Redis). A live worker renews it
	// every third of that for as long as its job runs.
	shaLeaseTTL = 20 * time.Second
	// busyRetry is how soon a job whose head SHA is being scanned by another
	// worker is first tried again; each further reschedule in a row doubles
	// the wait, up to busyRetryMax.
	busyRetry    = 2 * time.Second
	busyRetryMax = 30 * time.Second
)

// Installations gives GitHub clients, one per installation (ghapp.App).
type Installations interface {
	Installation(id int64) *github.Client
}

// Options are what a Worker is built from.
type Options struct {
	GitHub     Installations
	AppID      int64            // the App's ID: its check runs are the ones it finds
	Scanner    *scanner.Scanner // the built-in rules and the fingerprint key
	Store      *store.Store
	Decisions  *decisions.Store
	Metrics    *metrics.Metrics
	Log        *slog.Logger
	MaxCommits int           // commits scanned one by one; 0: DefaultMaxCommits
	MaxBlob    int64         // bytes of a file fetched whole; 0: DefaultMaxBlobBytes
	ScanBudget time.Duration // per job; 0: DefaultScanBudget
	Now        func() time.Time
	// Validity checks keys with their providers; nil: validity checks are
	// off (PUSHGUARD_VALIDITY_CHECKS).
	Validity *validity.Checker
	// Incidents keeps one incident per leaked value; nil: none kept.
	Incidents *incident.Store
	// Alerts tells the security team; nil: no alerts.
	Alerts *alert.Dispatcher
	// AlertLevel is AlertLevelLive or AlertLevelAny (the default).
	AlertLevel string
}

// Worker runs jobs: it scans the commits a job names and reports them as
// the pushguard check run, and runs maintainers' commands and buttons.
type Worker struct {
	gh         Installations
	appID      int64
	scanner    *scanner.Scanner
	store      *store.Store
	log        *slog.Logger
	maxCommits int
	maxBlob    int64
	scanBudget time.Duration // per job; 0: DefaultScanBudget
	now        func() time.Time
	metrics    *metrics.Metrics
	decisions  *decisions.Store
	perms      *permissions
	validity   *validity.Checker
	incidents  *incident.Store
	alerts     *alert.Dispatcher
	alertLevel string
}

// New builds a worker.
func New(o Options) *Worker {
	if o.MaxCommits <= 0 {
		o.MaxCommits = DefaultMaxCommits
	}
	if o.MaxBlob <= 0 {
		o.MaxBlob = DefaultMaxBlobBytes
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Worker{
		gh: o.GitHub, appID: o.AppID, scanner: o.Scanner, store: o.Store, log: o.Log,
		maxCommits: o.MaxCommits, maxBlob: o.MaxBlob, scanBudget: o.ScanBudget, now: o.Now, metrics: o.Metrics,
		decisions: o.Decisions, perms: newPermissions(o.Now),
		validity: o.Validity, incidents: o.Incidents, alerts: o.Alerts, alertLevel: o.AlertLevel,
	}
}

// ErrBusy means another job is scanning the same head SHA.
var ErrBusy = errors.New("head sha is being scanned by another worker")

// Handle runs one job. A rate-limited job is rescheduled for when GitHub
// will accept requests again, without consuming one of its retries.
func (w *Worker) Handle(ctx context.Context, job queue.Job) error {
	log := w.jobLog(job)
	err := w.dispatch(ctx, log, job)
	if until, ok := ghapp.RateLimitUntil(err, w.now()); ok {
		log.Warn("rate limited by GitHub; job rescheduled", logkey.RetryAt, until, logkey.Error, err.Error())
		return queue.RetryAt(err, until)
	}
	if errors.Is(err, ErrBusy) {
		return w.busy(ctx, log, job, err)
	}
	if permanentGitHubError(err) || errors.Is(err, errNotAnID) {
		log.Warn("GitHub refused the job for good; not retried", logkey.Error, err.Error())
		return queue.Permanent(err)
	}
	return err
}

// busy reschedules a job whose head SHA another job holds, waiting longer
// each time in a row (busyDelay) so that a long scan is not polled every
// few seconds.
func (w *Worker) busy(ctx context.Context, log *slog.Logger, job queue.Job, err error) error {
	n, cerr := w.store.Busy(ctx, holderOf(ctx, job))
	if cerr != nil {
		log.Warn("could not count busy reschedules", logkey.Error, cerr.Error())
	}
	at := w.now().Add(busyDelay(n))
	w.metrics.Lease(metrics.LeaseBusy)
	log.Info("head sha held by another job; rescheduled", logkey.RetryAt, at, logkey.Busy, n)
	return queue.RetryAt(err, at)
}

// busyDelay is the wait before the n-th reschedule in a row (1-based) of a
// job whose head SHA is held: busyRetry doubled each time, up to
// busyRetryMax, less up to a quarter at random so that waiting jobs spread.
func busyDelay(n int) time.Duration {
	d := busyRetryMax
	if n >= 1 && n < 16 && busyRetry<<(n-1) < busyRetryMax {
		d = busyRetry << (n - 1)
	}
	return d - rand.N(d/4+1)
}

// permanentGitHubError reports GitHub answers that no retry will change: a
// suspended installation, a deleted repository or commit, a missing
// permission. Rate limits are handled before this.
func permanentGitHubError(err error) bool {
	var er *github.ErrorResponse
	if !errors.As(err, &er) || er.Response == nil {
		return false
	}
	switch er.Response.StatusCode {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusGone, http.StatusUnprocessableEntity:
		return true
	}
	return false
}

func (w *Worker) dispatch(ctx context.Context, log *slog.Logger, job queue.Job) error {
	switch intent := job.Intention(); {
	case intent.Scans():
		return w.scan(ctx, log, job)
	case intent == queue.IntentButton:
		return w.button(ctx, log, job)
	case intent == queue.IntentCommand:
		return w.comment(ctx, log, job)
	case intent == queue.IntentInstallation:
		log.Info("installation changed", logkey.Event, job.Event, logkey.Action, job.Action, logkey.Account, job.Owner)
		return nil
	}
	return queue.Permanent(fmt.Errorf("job %s: unknown intent %q", job.Kind, job.Intention()))
}

// OnDead is called when a job has failed its last try: a scan's check run is
// concluded action_required (fail closed) with the reason, so a required
// check cannot pass on a scan that never finished.
func (w *Worker) OnDead(job queue.Job, jobErr error) {
	log := w.jobLog(job)
	log.Error("job failed for good; kept in the dead-letter store", logkey.Error, jobErr.Error())
	if intent := job.Intention(); job.HeadSHA == "" || intent == queue.IntentCommand || intent == queue.IntentInstallation {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cr := checks.NewClient(w.gh.Installation(job.InstallationID), job.Owner, job.Repo)
	run, found, err := cr.Find(ctx, job.HeadSHA, w.appID)
	if err == nil && !found {
		run, err = cr.Start(ctx, job.HeadSHA, job.DeliveryID)
	}
	if err == nil {
		// The error's detail stays in the logs and the dead-letter store;
		// a check run may be public.
		err = cr.Incomplete(ctx, run, "the scan failed after its last retry (delivery "+job.DeliveryID+"; the operators' logs and dead-letter queue have the details)")
	}
	if err != nil {
		log.Error("could not mark the check run incomplete", logkey.Error, err.Error())
	}
}

func (w *Worker) jobLog(job queue.Job) *slog.Logger {
	attrs := []any{logkey.Delivery, job.DeliveryID, logkey.Installation, job.InstallationID, logkey.Kind, string(job.Kind), logkey.Intent, string(job.Intention())}
	if job.Repo != "" {
		attrs = append(attrs, logkey.Repo, job.Repository())
	}
	if job.PR != 0 {
		attrs = append(attrs, logkey.PR, job.PR)
	}
	if job.HeadSHA != "" {
		attrs = append(attrs, logkey.HeadSHA, job.HeadSHA)
	}
	return w.log.With(attrs...)
}
