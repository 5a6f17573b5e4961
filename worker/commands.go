package worker

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/pushguard/pushguard/checks"
	"github.com/pushguard/pushguard/decisions"
	"github.com/pushguard/pushguard/queue"
)

// comment runs the maintainer commands of a pull request comment: it reacts
// 👀 on receipt, checks the author may change state, applies each command,
// re-renders the check run and the PR comment, and reacts 👍 when every
// command worked or 😕 (with a reply) when one was refused.
func (w *Worker) comment(ctx context.Context, log *slog.Logger, job queue.Job) error {
	gh := w.gh.Installation(job.InstallationID)
	c, _, err := gh.Issues.GetComment(ctx, job.Owner, job.Repo, job.CommentID)
	if isNotFound(err) {
		return nil // deleted since
	}
	if err != nil {
		return fmt.Errorf("get comment %d: %w", job.CommentID, err)
	}
	if c.GetUser().GetType() == "Bot" {
		return nil
	}
	cmds := decisions.Parse(c.GetBody())
	if len(cmds) == 0 {
		return nil
	}
	cr := checks.NewClient(gh, job.Owner, job.Repo)
	if err := cr.React(ctx, job.CommentID, checks.ReactionReceived); err != nil {
		return err
	}
	out, changed, err := w.commandOutcome(ctx, log, job, cmds)
	if err != nil {
		return err
	}
	if out.Rescan && changed == nil { // a retry: the commands ran before
		if changed, err = w.pullRequestState(ctx, job); err != nil {
			return err
		}
	}
	return w.answer(ctx, log, cr, job, out.Replies, changed, out.Refused)
}

// commandResult is what a comment's commands did, kept so that a retried
// job (its re-scan failed, say) answers again without applying them twice.
type commandResult struct {
	Replies []string `json:"replies,omitempty"` // never a user's input: no secret
	Rescan  bool     `json:"rescan,omitempty"`
	Refused bool     `json:"refused,omitempty"`
}

// commandOutcome applies the comment's commands once and remembers what
// they did. When they run now and change state, it also returns the pull
// request's state they built, for the re-scan to use.
func (w *Worker) commandOutcome(ctx context.Context, log *slog.Logger, job queue.Job, cmds []decisions.Command) (commandResult, *prState, error) {
	var out commandResult
	if found, err := w.store.CommandResult(ctx, job.CommentID, &out); err != nil || found {
		return out, nil, err
	}
	replies, changed, refused, err := w.runCommands(ctx, log, job, cmds)
	if err != nil {
		return out, nil, err
	}
	out = commandResult{Replies: replies, Rescan: changed != nil, Refused: refused}
	return out, changed, w.store.SetCommandResult(ctx, job.CommentID, out)
}

// answer re-renders when state changed, replies, and reacts.
func (w *Worker) answer(ctx context.Context, log *slog.Logger, cr *checks.Client, job queue.Job, replies []string, changed *prState, refused bool) error {
	if changed != nil {
		if err := w.scanState(ctx, log, changed); err != nil {
			return err
		}
	}
	if len(replies) > 0 && job.PR != 0 {
		if _, err := cr.ReplyComment(ctx, job.PR, "@"+job.Sender+" "+strings.Join(replies, "\n\n")); err != nil {
			return err
		}
	}
	if job.CommentID == 0 {
		return nil
	}
	reaction := checks.ReactionDone
	if refused {
		reaction = checks.ReactionRefused
	}
	return cr.React(ctx, job.CommentID, reaction)
}

// runCommands applies commands; it returns the replies to post, the pull
// request to re-render (nil when nothing changed), and whether anything was
// refused.
func (w *Worker) runCommands(ctx context.Context, log *slog.Logger, job queue.Job, cmds []decisions.Command) ([]string, *prState, bool, error) {
	var replies []string
	refused := false
	for _, c := range cmds {
		if c.Err != nil {
			replies, refused = append(replies, "`/pushguard`: "+c.Err.Error()+" Try `/pushguard help`."), true
		}
	}
	mayChange, err := w.perms.canWrite(ctx, w.gh.Installation(job.InstallationID), job.Owner, job.Repo, job.Sender)
	if err != nil {
		return nil, nil, false, err
	}
	var st *prState
	changed := false
	for _, c := range cmds {
		if c.Err != nil {
			continue
		}
		if c.Verb == decisions.VerbHelp {
			replies = append(replies, decisions.HelpText())
			continue
		}
		if !mayChange {
			return append(replies, fmt.Sprintf("only people with write, maintain or admin permission on %s can run pushguard commands; ask one of them.", job.Repository())), nil, true, nil
		}
		if st == nil {
			if st, err = w.pullRequestState(ctx, job); err != nil {
				return nil, nil, false, err
			}
		}
		msg, ok, err := w.apply(ctx, log, job, st, c)
		if err != nil {
			return nil, nil, false, err
		}
		changed = changed || ok || c.Verb == decisions.VerbRescan
		if msg != "" {
			replies = append(replies, msg)
		}
		refused = refused || (!ok && c.Verb != decisions.VerbRescan)
	}
	if !changed {
		st = nil
	}
	return replies, st, refused, nil
}
