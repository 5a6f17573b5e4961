package worker

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/pushguard/pushguard/alert"
	"github.com/pushguard/pushguard/checks"
	"github.com/pushguard/pushguard/incident"
	"github.com/pushguard/pushguard/queue"
	"github.com/pushguard/pushguard/repoconfig"
	"github.com/pushguard/pushguard/validity"
)

// Alert levels: which findings alert the security team.
const (
	// AlertLevelLive: only keys a validity check found live.
	AlertLevelLive = "live"
	// AlertLevelAny: every finding not dismissed.
	AlertLevelAny = "any"
)

// validityConcurrency bounds the validity checks one job runs at once (the
// Checker bounds all of a process's checks too).
const validityConcurrency = 4

// DefaultValidityBudget bounds the validity checks of one job together: a
// job with many keys of a provider that does not answer would otherwise
// wait one check timeout per round of validityConcurrency checks before
// its check run completes. Checks still running then answer unknown.
const DefaultValidityBudget = 15 * time.Second

// closeLoop is what a scan does after its report is built and before the
// check run is rendered: it checks each key's validity (when the
// installation and the repository allow it), applies fail_on: live, records
// each finding on its incident and queues the alerts the level asks for.
// Enqueueing writes Redis only: no receiver delays the check run.
func (w *Worker) closeLoop(ctx context.Context, job queue.Job, cfg *repoconfig.Config, r *checks.Report, runID int64) error {
	checking := w.validity != nil && cfg.ValidityEnabled()
	r.ValidityChecked = checking
	if cfg.FailOnLive() && !checking {
		r.ConfigProblems = append(slices.Clip(r.ConfigProblems), "fail_on: live needs validity checks, which are off for this "+
			offWhere(w.validity != nil)+"; every finding fails the check")
	}
	r.FailOnLive = cfg.FailOnLive() && checking
	incs, err := w.sightAll(ctx, job, r)
	if err != nil {
		return err
	}
	if checking {
		if err := w.checkValidity(ctx, job, r, incs); err != nil {
			return err
		}
	}
	if r.FailOnLive {
		for i := range r.Items {
			r.Items[i].Advisory = r.Items[i].Advisory || w.notLive(r.Items[i])
		}
	}
	return w.alertAll(ctx, job, r, incs, runID)
}

// notLive reports whether fail_on: live sets a finding aside: it is not
// live, and either its provider answered or no verifier exists for its
// rule. A key that could have been checked but was not (its secret is not
// in the scan cache and its incident has no result yet) keeps failing:
// fail_on: live never passes a key nobody asked about.
func (w *Worker) notLive(it checks.Item) bool {
	switch it.Validity {
	case checks.ValidityLive:
		return false
	case "":
		return !w.validity.Supports(it.RuleID)
	}
	return true
}

// offWhere names what turned validity checks off.
func offWhere(installationOn bool) string {
	if installationOn {
		return "repository (validity: false)"
	}
	return "installation (PUSHGUARD_VALIDITY_CHECKS)"
}

// sightAll records every finding on its incident and returns the incidents
// by fingerprint (none when no incident store is wired).
func (w *Worker) sightAll(ctx context.Context, job queue.Job, r *checks.Report) (map[string]incident.Incident, error) {
	out := map[string]incident.Incident{}
	if w.incidents == nil {
		return out, nil
	}
	for _, it := range r.Items {
		si := w.sighting(job, it)
		si.KeepClosed = it.Dismissed != nil
		inc, _, err := w.incidents.Sight(ctx, si)
		if err != nil {
			return nil, fmt.Errorf("record incident of %s: %w", short(it.Fingerprint), err)
		}
		out[it.Fingerprint] = inc
	}
	return out, nil
}

// checkValidity asks each supported key's provider whether it is live, a
// few at a time, and records the answers on the report and the incidents.
// A key found in several places is one key: it is checked once (with the
// first finding that holds its secret, and that finding's companions), its
// answer is shown on every finding of its fingerprint and recorded once on
// its incident. A key whose findings all come from the scan cache (which
// never holds the secret) shows the validity its incident last recorded.
func (w *Worker) checkValidity(ctx context.Context, job queue.Job, r *checks.Report, incs map[string]incident.Incident) error {
	type check struct {
		it     *checks.Item
		extra  map[string]string
		status string
	}
	var todo []*check
	byFP := map[string]*check{}
	for i := range r.Items {
		it := &r.Items[i]
		if it.Dismissed != nil || !w.validity.Supports(it.RuleID) || it.Secret() == "" {
			continue
		}
		if _, have := byFP[it.Fingerprint]; !have {
			c := &check{it: it, extra: companions(r.Items, *it)}
			byFP[it.Fingerprint] = c
			todo = append(todo, c)
		}
	}
	budget, cancel := context.WithTimeout(ctx, w.validityBudget)
	defer cancel()
	sem := make(chan struct{}, validityConcurrency)
	var wg sync.WaitGroup
	for _, c := range todo {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			res := w.validity.Check(budget, c.it.RuleID, c.it.Fingerprint, c.it.Secret(), c.extra)
			c.status = statusWord(res.Status)
		})
	}
	wg.Wait()
	for i := range r.Items {
		it := &r.Items[i]
		if it.Dismissed != nil || !w.validity.Supports(it.RuleID) {
			continue
		}
		if c, ok := byFP[it.Fingerprint]; ok {
			it.Validity = c.status
		} else if v := incs[it.Fingerprint].CurrentValidity(); v != incident.ValidityUnchecked && v != "" {
			it.Validity = v
		}
	}
	if w.incidents == nil {
		return nil
	}
	ctx = context.WithoutCancel(ctx) // the budget bounds the checks, not the recording
	for _, c := range todo {
		if err := w.incidents.RecordValidity(ctx, job.InstallationID, c.it.Fingerprint, c.status, w.now()); err != nil {
			return fmt.Errorf("record validity of %s: %w", short(c.it.Fingerprint), err)
		}
	}
	return nil
}

// statusWord is a validity status as checks, incident and alert spell it.
func statusWord(s validity.Status) string {
	switch s {
	case validity.Live:
		return checks.ValidityLive
	case validity.NotLive:
		return checks.ValidityNotLive
	}
	return checks.ValidityUnknown
}

// companionOf maps the rules whose secret another rule's check needs to
// the Extra key the verifier reads it from.
var companionOf = map[string]string{
	"aws-access-key-id":                 validity.ExtraAWSAccessKeyID,
	"aws-temporary-access-key-id":       validity.ExtraAWSAccessKeyID,
	"aws-secret-access-key":             validity.ExtraAWSSecretAccessKey,
	"aws-secret-access-key-near-key-id": validity.ExtraAWSSecretAccessKey,
}

// companions are the secrets found in the same file of the same commit that
// it's verifier may need (an AWS key ID's secret access key, say): only
// values the scanner found, never anything else from the diff.
func companions(items []checks.Item, it checks.Item) map[string]string {
	extra := map[string]string{}
	for _, o := range items {
		key, ok := companionOf[o.RuleID]
		if !ok || o.Commit != it.Commit || o.Path != it.Path || o.Secret() == "" || o.Fingerprint == it.Fingerprint {
			continue
		}
		if _, have := extra[key]; !have {
			extra[key] = o.Secret()
		}
	}
	return extra
}

// alertAll queues an alert for each finding at or above the alert level;
// the Dispatcher sends one per incident, however often it is queued.
func (w *Worker) alertAll(ctx context.Context, job queue.Job, r *checks.Report, incs map[string]incident.Incident, runID int64) error {
	if w.alerts == nil {
		return nil
	}
	for _, it := range r.Items {
		if !w.alertable(it) {
			continue
		}
		a := alert.Alert{
			InstallationID: job.InstallationID, Repository: job.Repository(), Ref: job.Ref, PR: job.PR, Commit: it.Commit,
			Pusher: job.Sender, Provider: it.Provider, RuleID: it.RuleID, Redacted: it.Redacted, Fingerprint: it.Fingerprint,
			Validity: alertValidity(it.Validity), CheckRunURL: checkRunURL(job, runID), FirstSeen: incs[it.Fingerprint].FirstSeen.At,
		}
		if _, err := w.alerts.Enqueue(ctx, a); err != nil { // it logs what it queues
			return fmt.Errorf("queue alert of %s: %w", short(it.Fingerprint), err)
		}
	}
	return nil
}

// alertable reports whether a finding is at or above the alert level.
func (w *Worker) alertable(it checks.Item) bool {
	if it.Dismissed != nil {
		return false
	}
	if w.alertLevel == AlertLevelLive {
		return it.Validity == checks.ValidityLive
	}
	return true
}

// alertValidity is a finding's validity as an alert spells it.
func alertValidity(v string) string {
	if v == "" {
		return alert.ValidityUnchecked
	}
	return v
}

// checkRunURL links the check run on the repository's web page, or is
// empty when the job does not know the page.
func checkRunURL(job queue.Job, runID int64) string {
	if job.HTMLURL == "" || runID == 0 {
		return ""
	}
	return job.HTMLURL + "/runs/" + strconv.FormatInt(runID, 10)
}

// short is the first 12 characters of a fingerprint, for errors and logs.
func short(fp string) string { return fp[:min(12, len(fp))] }

// decideIncident moves a finding's incident to state to on a maintainer's
// command (the sender is the actor; undo reopens only a dismissed
// incident), sighting it first so that a finding
// decided before any scan recorded it still has its incident. reason must
// be redacted already. Nothing happens without an incident store.
func (w *Worker) decideIncident(ctx context.Context, job queue.Job, it checks.Item, to incident.State, reason string) error {
	if w.incidents == nil {
		return nil
	}
	si := w.sighting(job, it)
	si.Pusher = "" // a command's sender did not push the secret
	inc, _, err := w.incidents.Sight(ctx, si)
	if err != nil {
		return fmt.Errorf("record incident of %s: %w", short(it.Fingerprint), err)
	}
	if to == incident.Open && inc.State != incident.Dismissed {
		return nil // undoing a dismissal reopens only a dismissed incident
	}
	if _, err := w.incidents.Transition(ctx, job.InstallationID, it.Fingerprint, to, job.Sender, reason, w.now()); err != nil {
		return fmt.Errorf("move incident of %s to %s: %w", short(it.Fingerprint), to, err)
	}
	return nil
}

// sighting is a finding of a job as its incident records it.
func (w *Worker) sighting(job queue.Job, it checks.Item) incident.Sighting {
	commit := it.Commit
	if commit == "" {
		commit = job.HeadSHA // findings of a net diff are the head's
	}
	return incident.Sighting{
		Installation: job.InstallationID, Fingerprint: it.Fingerprint, RuleID: it.RuleID, Provider: it.Provider, Redacted: it.Redacted,
		Place: incident.Place{Repository: job.Repository(), Commit: commit, Path: it.Path, Line: it.Line,
			Ref: job.Ref, PR: job.PR, Pusher: job.Sender, At: w.now()},
	}
}
