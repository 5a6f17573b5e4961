package worker

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/pushguard/pushguard/checks"
	"github.com/pushguard/pushguard/decisions"
	"github.com/pushguard/pushguard/incident"
	"github.com/pushguard/pushguard/internal/logkey"
	"github.com/pushguard/pushguard/queue"
	"github.com/pushguard/pushguard/revoke"
)

// revokedNote is the note of a dismissal pushguard records for a token
// GitHub accepted for revocation.
const revokedNote = "revoked by pushguard through GitHub's credentials API"

// revokeTokens revokes the GitHub tokens of items (findings of the job's
// head) and records the outcome: the audit trail, a dismissal for each
// token revoked, and its incident. Each raw token is read again from
// GitHub at its finding's commit and path, held in memory for the one
// call, and never stored. actor is the user who asked, or
// incident.ActorPushguard.
func (w *Worker) revokeTokens(ctx context.Context, log *slog.Logger, job queue.Job, st *prState, items []checks.Item, actor string) (revoke.Outcome, error) {
	if w.revoker == nil {
		var out revoke.Outcome
		for _, it := range items {
			out.NotSent = append(out.NotSent, revoke.NotSent{Ref: refOf(it), Reason: "revocation is not set up on this pushguard"})
		}
		return out, nil
	}
	tokens, unread, err := w.readTokens(ctx, st.repo, items)
	if err != nil {
		return revoke.Outcome{}, err
	}
	out := w.revoker.Revoke(ctx, tokens)
	clear(tokens) // the secrets go no further
	out.NotSent = append(unread, out.NotSent...)
	return out, w.recordRevocation(ctx, log, job, items, out, actor)
}

// readTokens reads each item's secret again: the file at the finding's
// commit is fetched and scanned, and the secret matched by fingerprint. An
// item whose secret cannot be read again is returned as not sent.
func (w *Worker) readTokens(ctx context.Context, repo repoRef, items []checks.Item) ([]revoke.Token, []revoke.NotSent, error) {
	type place struct{ commit, path string }
	read := map[place]map[string]string{}
	defer clear(read)
	var tokens []revoke.Token
	var unread []revoke.NotSent
	for _, it := range items {
		p := place{it.Commit, it.Path}
		secrets, ok := read[p]
		if !ok {
			var err error
			if secrets, err = w.secretsAt(ctx, repo, p.commit, p.path); err != nil {
				return nil, nil, err
			}
			read[p] = secrets
		}
		secret, ok := secrets[it.Fingerprint]
		if !ok {
			unread = append(unread, revoke.NotSent{Ref: refOf(it), Reason: "it could not be read again from GitHub at the commit that added it"})
			continue
		}
		tokens = append(tokens, revoke.Token{Fingerprint: it.Fingerprint, Redacted: it.Redacted, Secret: secret})
	}
	return tokens, unread, nil
}

// secretsAt scans a file at a commit and maps each fingerprint found to its
// secret; a file that cannot be read gives none.
func (w *Worker) secretsAt(ctx context.Context, repo repoRef, commit, path string) (map[string]string, error) {
	res, err := w.scanBlob(ctx, repo, path, commit, "")
	if err != nil {
		return nil, fmt.Errorf("scan %s at %s again: %w", path, commit, err)
	}
	secrets := make(map[string]string, len(res.Findings))
	for _, f := range res.Findings {
		secrets[f.Fingerprint] = f.Secret()
	}
	return secrets, nil
}

// recordRevocation audits the outcome, dismisses each token revoked as
// revoked, and moves its incident to revoked.
func (w *Worker) recordRevocation(ctx context.Context, log *slog.Logger, job queue.Job, items []checks.Item, out revoke.Outcome, actor string) error {
	byFP := map[string]checks.Item{}
	for _, it := range items {
		byFP[it.Fingerprint] = it
	}
	for _, r := range out.Revoked {
		if err := w.decisions.Revoked(ctx, w.decisionFor(job, byFP[r.Fingerprint], actor, revokedNote)); err != nil {
			return err
		}
		by := job
		by.Sender = actor
		if err := w.decideIncident(ctx, by, byFP[r.Fingerprint], incident.Revoked, revokedNote); err != nil {
			return err
		}
	}
	for _, n := range out.NotSent {
		if err := w.decisions.NotRevoked(ctx, w.decisionFor(job, byFP[n.Fingerprint], actor, n.Reason)); err != nil {
			return err
		}
	}
	w.metrics.Revocations(len(out.Revoked), len(out.NotSent))
	log.Info("github tokens revoked", logkey.Sender, actor, logkey.Revoked, len(out.Revoked), logkey.NotSent, len(out.NotSent))
	return nil
}

// decisionFor is the decision recorded for an item by actor, with note.
func (w *Worker) decisionFor(job queue.Job, it checks.Item, actor, note string) decisions.Decision {
	return decisions.Decision{
		InstallationID: job.InstallationID, Repo: job.Repository(), Fingerprint: it.Fingerprint, Note: note,
		By: actor, At: w.now(), PR: job.PR, RuleID: it.RuleID, Redacted: it.Redacted,
	}
}

// refOf names an item without its secret.
func refOf(it checks.Item) revoke.Ref {
	return revoke.Ref{Fingerprint: it.Fingerprint, Redacted: it.Redacted}
}

// gitHubTokens splits items into GitHub tokens and the rest.
func gitHubTokens(items []checks.Item) (tokens, others []checks.Item) {
	for _, it := range items {
		if checks.IsGitHubToken(it.RuleID) {
			tokens = append(tokens, it)
		} else {
			others = append(others, it)
		}
	}
	return tokens, others
}

// activeGitHubTokens are the report's active GitHub-token findings, one per
// fingerprint.
func activeGitHubTokens(r *checks.Report) []checks.Item {
	return uniqueByFingerprint(r.ActiveGitHubTokens())
}
