package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/pushguard/pushguard/checks"
	"github.com/pushguard/pushguard/decisions"
	"github.com/pushguard/pushguard/incident"
	"github.com/pushguard/pushguard/internal/logkey"
	"github.com/pushguard/pushguard/queue"
	"github.com/pushguard/pushguard/repoconfig"
)

// prState is what a decision needs to know of a pull request: its head, its
// findings there, and the repository's configuration.
type prState struct {
	repo     repoRef
	cfg      *repoconfig.Config
	problems []string  // the configuration's, for the check run
	job      queue.Job // a scan job for the head
	report   *checks.Report
	commits  []string // the commits the report scanned one by one
}

// pullRequestState scans (from the cache) the pull request's head so that
// commands can name its findings.
func (w *Worker) pullRequestState(ctx context.Context, job queue.Job) (*prState, error) {
	gh := w.gh.Installation(job.InstallationID)
	pr, _, err := gh.PullRequests.Get(ctx, job.Owner, job.Repo, job.PR)
	if err != nil {
		return nil, fmt.Errorf("get pull request %d: %w", job.PR, err)
	}
	scanJob := job
	scanJob.Kind, scanJob.Intent = queue.KindRescan, queue.IntentRerun // a new check run shows the decision
	scanJob.HeadSHA, scanJob.BaseSHA = pr.GetHead().GetSHA(), pr.GetBase().GetSHA()
	if scanJob.DefaultBranch == "" {
		scanJob.DefaultBranch = pr.GetBase().GetRepo().GetDefaultBranch()
	}
	return w.headState(ctx, scanJob)
}

// headState builds the findings of a scan job's head, with the
// repository's policy applied.
func (w *Worker) headState(ctx context.Context, scanJob queue.Job) (*prState, error) {
	st, err := w.openState(ctx, scanJob)
	if err != nil {
		return nil, err
	}
	if st.report, st.commits, err = w.buildReport(ctx, st.repo, scanJob, nil); err != nil {
		return nil, err
	}
	if err := w.applyPolicy(ctx, scanJob, st.cfg, st.report); err != nil {
		return nil, err
	}
	return st, nil
}

// apply runs one command; ok reports that it changed state.
func (w *Worker) apply(ctx context.Context, log *slog.Logger, job queue.Job, st *prState, c decisions.Command) (string, bool, error) {
	switch c.Verb {
	case decisions.VerbRescan:
		return "", true, nil
	case decisions.VerbDismiss:
		if decisions.RequiresBypass(c.Reason) && !st.cfg.MayBypass(job.Sender, w.allowedTeamsOf(ctx, st, job.Sender)) {
			allowed, _ := st.cfg.BypassAllowed()
			return fmt.Sprintf("dismissing as `%s` is limited by this repository's configuration to %s.", c.Reason, strings.Join(allowed, ", ")), false, nil
		}
		targets, msg := targetsOf(st.report, c.Target, false)
		if msg != "" {
			return msg, false, nil
		}
		return "", true, w.record(ctx, log, job, st, targets, c)
	case decisions.VerbUndo:
		targets, msg := targetsOf(st.report, c.Target, true)
		if msg != "" {
			return msg, false, nil
		}
		for _, it := range targets {
			err := w.decisions.Undo(ctx, job.InstallationID, job.Repository(), it.Fingerprint, job.Sender, job.PR)
			if errors.Is(err, decisions.ErrNotDismissed) {
				return fmt.Sprintf("`%s` is not dismissed.", it.Fingerprint[:12]), false, nil
			}
			if err != nil {
				return "", false, err
			}
			if err := w.decideIncident(ctx, job, it, incident.Open, "dismissal undone"); err != nil {
				return "", false, err
			}
			log.Info("finding restored", logkey.Decision, "undo", logkey.Sender, job.Sender, logkey.Fingerprint, it.Fingerprint[:12])
		}
		return "", true, nil
	}
	return "", false, nil
}

// allowedTeamsOf returns which of the teams in bypass.allowed the user is an
// active member of, asking GitHub's team-membership API (it needs the App's
// members: read permission; without it, teams simply never match).
func (w *Worker) allowedTeamsOf(ctx context.Context, st *prState, login string) []string {
	allowed, restricted := st.cfg.BypassAllowed()
	if !restricted {
		return nil
	}
	var teams []string
	for _, entry := range allowed {
		org, team, ok := strings.Cut(entry, "/")
		if !ok {
			continue
		}
		m, _, err := st.repo.gh.Teams.GetTeamMembershipBySlug(ctx, org, team, login)
		if err == nil && m.GetState() == "active" {
			teams = append(teams, entry)
		}
	}
	return teams
}

// record stores a dismissal for each target finding.
func (w *Worker) record(ctx context.Context, log *slog.Logger, job queue.Job, st *prState, targets []checks.Item, c decisions.Command) error {
	for _, it := range targets {
		d := decisions.Decision{
			InstallationID: job.InstallationID, Repo: job.Repository(), Fingerprint: it.Fingerprint,
			Reason: c.Reason, Note: w.scrubNote(st, c.Note), By: job.Sender, At: w.now(), PR: job.PR,
			RuleID: it.RuleID, Redacted: it.Redacted,
		}
		if err := w.decisions.Dismiss(ctx, d); err != nil {
			return err
		}
		reason := string(c.Reason)
		if note := w.scanner.RedactText(d.Note); note != "" {
			reason += ": " + note
		}
		if err := w.decideIncident(ctx, job, it, incident.Dismissed, reason); err != nil {
			return err
		}
		log.Info("finding dismissed", logkey.Decision, string(c.Reason), logkey.Sender, job.Sender, logkey.Fingerprint, it.Fingerprint[:12], logkey.PR, job.PR)
	}
	return nil
}

// scrubNote redacts what the repository's own rules (custom ones included)
// find in a dismissal's note; the decision store then redacts what the
// built-in rules find, so no path stores a note unredacted.
func (w *Worker) scrubNote(st *prState, note string) string {
	return st.repo.sc.RedactText(note)
}

// targetsOf resolves a command's target among the report's findings:
// "all", or a fingerprint prefix. undo looks among dismissed findings.
func targetsOf(r *checks.Report, target string, undo bool) ([]checks.Item, string) {
	var pool []checks.Item
	var fps []string
	for _, it := range r.Items {
		if (it.Dismissed != nil) == undo {
			pool = append(pool, it)
			fps = append(fps, it.Fingerprint)
		}
	}
	if target == decisions.TargetAll {
		if len(pool) == 0 {
			return nil, "there is nothing to act on in this pull request."
		}
		return uniqueByFingerprint(pool), ""
	}
	full, err := decisions.Resolve(target, fps)
	if err != nil {
		return nil, fmt.Sprintf("`%s`: %v", target, err)
	}
	for _, it := range pool {
		if it.Fingerprint == full {
			return []checks.Item{it}, ""
		}
	}
	return nil, ""
}

func uniqueByFingerprint(items []checks.Item) []checks.Item {
	seen := map[string]bool{}
	var out []checks.Item
	for _, it := range items {
		if !seen[it.Fingerprint] {
			seen[it.Fingerprint] = true
			out = append(out, it)
		}
	}
	return out
}
