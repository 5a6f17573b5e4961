package worker

import (
	"context"
	"log/slog"

	"github.com/pushguard/pushguard/checks"
	"github.com/pushguard/pushguard/decisions"
	"github.com/pushguard/pushguard/internal/logkey"
	"github.com/pushguard/pushguard/queue"
)

// button runs a check-run button: Re-scan, Revoke GitHub tokens, or a
// decision for every active finding of the run's head SHA, with the same
// permission rules as the comment commands (the clicking user is the
// sender).
func (w *Worker) button(ctx context.Context, log *slog.Logger, job queue.Job) error {
	if job.Action == checks.ActionRevokeTokens {
		return w.revokeButton(ctx, log, job)
	}
	reason := map[string]decisions.Reason{
		checks.ActionDismissRevoked:  decisions.ReasonRevoked,
		checks.ActionDismissTestData: decisions.ReasonTestData,
	}[job.Action]
	if job.Action == checks.ActionRescan || reason == "" {
		if reason == "" && job.Action != checks.ActionRescan {
			log.Warn("unknown check run action ignored", logkey.Action, w.scanner.RedactText(job.Action)) // a payload: free text
			return nil
		}
		return w.scan(ctx, log, job)
	}
	st, err := w.buttonState(ctx, log, job)
	if err != nil || st == nil {
		return err
	}
	targets, _ := targetsOf(st.report, decisions.TargetAll, false)
	if err := w.record(ctx, log, job, st, targets, decisions.Command{Verb: decisions.VerbDismiss, Reason: reason}); err != nil {
		return err
	}
	return w.scanState(ctx, log, st)
}

// buttonState checks that the user who pressed a button may change state
// (logging a refusal) and builds the findings of its head SHA, for a new
// run; nil when the user may not.
func (w *Worker) buttonState(ctx context.Context, log *slog.Logger, job queue.Job) (*prState, error) {
	ok, err := w.perms.canWrite(ctx, w.gh.Installation(job.InstallationID), job.Owner, job.Repo, job.Sender)
	if err != nil || !ok {
		if err == nil {
			log.Warn("check run action refused: no write permission", logkey.Sender, job.Sender, logkey.Action, job.Action)
		}
		return nil, err
	}
	scanJob := job
	scanJob.Kind, scanJob.Intent = queue.KindRescan, queue.IntentRerun
	return w.headState(ctx, scanJob)
}
