package checks

import (
	"context"
	"fmt"
	"time"

	"github.com/google/go-github/v60/github"
)

// Button identifiers (GitHub limits them to 20 characters).
const (
	ActionRescan          = "rescan"
	ActionDismissRevoked  = "dismiss-revoked"
	ActionDismissTestData = "dismiss-test-data"
)

// Run is a pushguard check run on one head SHA.
type Run struct {
	ID         int64
	HeadSHA    string
	Status     string
	ExternalID string // the delivery that created it
}

// Client creates and completes pushguard check runs for one installation.
type Client struct {
	gh    *github.Client
	owner string
	repo  string
}

// NewClient returns a Client for a repository, with a go-github client
// authenticated as the installation.
func NewClient(gh *github.Client, owner, repo string) *Client {
	return &Client{gh: gh, owner: owner, repo: repo}
}

// Start creates the check run in progress on headSHA, so the pull request
// shows that a scan is running (and a required check is pending).
func (c *Client) Start(ctx context.Context, headSHA, externalID string) (Run, error) {
	run, _, err := c.gh.Checks.CreateCheckRun(ctx, c.owner, c.repo, github.CreateCheckRunOptions{
		Name:       Name,
		HeadSHA:    headSHA,
		ExternalID: nonEmpty(externalID),
		Status:     github.String("in_progress"),
		StartedAt:  &github.Timestamp{Time: time.Now()},
		Output: &github.CheckRunOutput{
			Title:   github.String("Scanning for leaked secrets…"),
			Summary: github.String("pushguard is scanning the added lines of every new commit."),
		},
	})
	if err != nil {
		return Run{}, fmt.Errorf("create check run on %s: %w", headSHA, err)
	}
	return Run{ID: run.GetID(), HeadSHA: headSHA, Status: run.GetStatus(), ExternalID: externalID}, nil
}

// Find returns the newest pushguard check run on headSHA made by appID, if
// any.
func (c *Client) Find(ctx context.Context, headSHA string, appID int64) (Run, bool, error) {
	opts := &github.ListCheckRunsOptions{CheckName: github.String(Name), Filter: github.String("latest")}
	if appID != 0 {
		opts.AppID = github.Int64(appID)
	}
	res, _, err := c.gh.Checks.ListCheckRunsForRef(ctx, c.owner, c.repo, headSHA, opts)
	if err != nil {
		return Run{}, false, fmt.Errorf("list check runs on %s: %w", headSHA, err)
	}
	var newest *github.CheckRun
	for _, r := range res.CheckRuns {
		if r.GetName() == Name && (newest == nil || r.GetID() > newest.GetID()) {
			newest = r
		}
	}
	if newest == nil {
		return Run{}, false, nil
	}
	return Run{ID: newest.GetID(), HeadSHA: headSHA, Status: newest.GetStatus(), ExternalID: newest.GetExternalID()}, true, nil
}

// Complete writes the rendered output to the run: annotations in batches of
// at most 50 (each PATCH appends), and the conclusion with the last batch, so
// the run never looks complete before all its annotations are in.
func (c *Client) Complete(ctx context.Context, run Run, out Output) error {
	batches := batch(out.Annotations, MaxAnnotationsPerCall)
	for i, anns := range batches {
		opts := github.UpdateCheckRunOptions{
			Name: Name,
			Output: &github.CheckRunOutput{
				Title:       github.String(truncate(out.Title, MaxTitle)),
				Summary:     github.String(truncate(out.Summary, MaxSummary)),
				Annotations: anns,
			},
		}
		if i == len(batches)-1 {
			opts.Status = github.String("completed")
			opts.Conclusion = github.String(out.Conclusion)
			opts.CompletedAt = &github.Timestamp{Time: time.Now()}
			opts.Actions = out.Actions
			if opts.Actions == nil {
				opts.Actions = buttons()
			}
		}
		if _, _, err := c.gh.Checks.UpdateCheckRun(ctx, c.owner, c.repo, run.ID, opts); err != nil {
			return fmt.Errorf("update check run %d (batch %d of %d): %w", run.ID, i+1, len(batches), err)
		}
	}
	return nil
}

// Incomplete concludes a run whose scan could not finish: action_required,
// so a required check blocks the merge (fail closed), with the reason.
func (c *Client) Incomplete(ctx context.Context, run Run, reason string) error {
	_, _, err := c.gh.Checks.UpdateCheckRun(ctx, c.owner, c.repo, run.ID, github.UpdateCheckRunOptions{
		Name:        Name,
		Status:      github.String("completed"),
		Conclusion:  github.String(ConclusionActionRequired),
		CompletedAt: &github.Timestamp{Time: time.Now()},
		Output: &github.CheckRunOutput{
			Title: github.String("Scan could not finish: re-run it"),
			Summary: github.String(truncate("## ⚠️ pushguard could not finish scanning this commit\n\n"+
				"The check fails closed so that an unscanned secret cannot be merged. "+
				"Press **Re-scan** to try again; if it keeps failing, ask the pushguard operators to look at the dead-letter queue.\n\n"+
				"Reason: "+reason+"\n", MaxSummary)),
		},
		Actions: buttons(),
	})
	if err != nil {
		return fmt.Errorf("conclude check run %d as incomplete: %w", run.ID, err)
	}
	return nil
}

// buttons are the check run's actions: Re-scan, and while findings fail the
// check, the two decisions a maintainer takes for all of them at once.
func buttons(decisions ...bool) []*github.CheckRunAction {
	b := []*github.CheckRunAction{
		{Label: "Re-scan", Description: "Scan this commit again", Identifier: ActionRescan},
	}
	if len(decisions) > 0 && decisions[0] {
		b = append(b,
			&github.CheckRunAction{Label: "Mark revoked", Description: "Dismiss all findings: keys revoked", Identifier: ActionDismissRevoked},
			&github.CheckRunAction{Label: "Mark test data", Description: "Dismiss all findings: test data", Identifier: ActionDismissTestData})
	}
	return b
}

// batch splits annotations into groups of at most n; there is always at
// least one (possibly empty) group, which carries the conclusion.
func batch(anns []*github.CheckRunAnnotation, n int) [][]*github.CheckRunAnnotation {
	out := [][]*github.CheckRunAnnotation{nil}
	for i, a := range anns {
		if i > 0 && i%n == 0 {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], a)
	}
	return out
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
