package worker

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/pushguard/pushguard/checks"
	"github.com/pushguard/pushguard/decisions"
	"github.com/pushguard/pushguard/incident"
	"github.com/pushguard/pushguard/internal/logkey"
	"github.com/pushguard/pushguard/queue"
)

// revokeCommand runs `/pushguard revoke <prefix|all>`: the GitHub tokens
// among the targets are revoked; the other findings get the pointer to
// their playbook and to `/pushguard resolve`. ok reports that a revocation
// was attempted, so the run and the comment are re-rendered with its
// outcome even when no token could be sent.
func (w *Worker) revokeCommand(ctx context.Context, log *slog.Logger, job queue.Job, st *prState, c decisions.Command) (string, bool, error) {
	targets, msg := targetsOf(st.report, c.Target, false)
	if msg != "" {
		return msg, false, nil
	}
	tokens, others := gitHubTokens(targets)
	if len(tokens) == 0 {
		return othersAdvice(others), false, nil
	}
	out, err := w.revokeTokens(ctx, log, job, st, tokens, job.Sender)
	if err != nil {
		return "", false, err
	}
	st.notices = append(st.notices, out.Text())
	reply := out.Text()
	if len(others) > 0 {
		reply += "\n\n" + othersAdvice(others)
	}
	return reply, true, nil
}

// othersAdvice tells what to do with findings that are not GitHub tokens:
// pushguard cannot revoke them.
func othersAdvice(others []checks.Item) string {
	var providers []string
	for _, it := range others {
		if !slices.Contains(providers, it.Provider) {
			providers = append(providers, it.Provider)
		}
	}
	n := len(uniqueByFingerprint(others))
	return fmt.Sprintf("`/pushguard revoke` revokes GitHub tokens only. For the %d other finding%s (%s), follow the provider's playbook "+
		"in the pushguard check run (**Revoke it now**), then record it with `/pushguard resolve <fingerprint|all> revoked` (or `rotated`).",
		n, plural(n), strings.Join(providers, ", "))
}

// resolveCommand runs `/pushguard resolve <prefix|all> revoked|rotated`: a
// maintainer says they made the keys harmless themselves. Each is audited,
// stops failing the check, and its incident is resolved.
func (w *Worker) resolveCommand(ctx context.Context, log *slog.Logger, job queue.Job, st *prState, c decisions.Command) (string, bool, error) {
	targets, msg := targetsOf(st.report, c.Target, false)
	if msg != "" {
		return msg, false, nil
	}
	for _, it := range targets {
		if err := w.decisions.Resolved(ctx, w.decisionFor(job, it, job.Sender, string(c.Resolution))); err != nil {
			return "", false, err
		}
		if err := w.decideIncident(ctx, job, it, incident.Resolved, string(c.Resolution)); err != nil {
			return "", false, err
		}
		log.Info("finding resolved", logkey.Decision, string(c.Resolution), logkey.Sender, job.Sender, logkey.Fingerprint, it.Fingerprint[:12], logkey.PR, job.PR)
	}
	return "", true, nil
}

// revokeButton runs the Revoke GitHub tokens button: every active GitHub
// token of the run's head is revoked, and the run re-rendered with the
// outcome. The clicking user must be allowed to change state.
func (w *Worker) revokeButton(ctx context.Context, log *slog.Logger, job queue.Job) error {
	st, err := w.buttonState(ctx, log, job)
	if err != nil || st == nil {
		return err
	}
	tokens := activeGitHubTokens(st.report)
	if len(tokens) == 0 {
		log.Info("revoke button: no active GitHub token left")
		return w.scanState(ctx, log, st)
	}
	out, err := w.revokeTokens(ctx, log, job, st, tokens, job.Sender)
	if err != nil {
		return err
	}
	st.notices = append(st.notices, out.Text())
	return w.scanState(ctx, log, st)
}

// autoRevoke revokes the active GitHub tokens of a public repository's
// scan when the installation asks for it (PUSHGUARD_AUTO_REVOKE_PUBLIC),
// and marks those GitHub accepted as revoked on the report.
func (w *Worker) autoRevoke(ctx context.Context, log *slog.Logger, job queue.Job, st *prState) error {
	if !w.autoRevokePublic || !job.Public {
		return nil
	}
	tokens := activeGitHubTokens(st.report)
	if len(tokens) == 0 {
		return nil
	}
	out, err := w.revokeTokens(ctx, log, job, st, tokens, incident.ActorPushguard)
	if err != nil {
		return err
	}
	st.report.Notices = append(st.report.Notices, "Revoked automatically, as this repository is public. "+out.Text())
	revoked := map[string]bool{}
	for _, r := range out.Revoked {
		revoked[r.Fingerprint] = true
	}
	for i, it := range st.report.Items {
		if revoked[it.Fingerprint] && it.Dismissed == nil {
			st.report.Items[i].Dismissed = &checks.Dismissal{Reason: string(decisions.ReasonRevoked), By: incident.ActorPushguard, At: w.now()}
		}
	}
	return nil
}

// plural is a noun's plural ending for a count of n.
func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
