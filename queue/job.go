package queue

import (
	"encoding/json"
	"fmt"
)

// Kind says what a job asks a worker to do.
type Kind string

// The kinds of job. Webhook events map onto them; see webhook/events.go.
const (
	// KindPush scans the commits of a push.
	KindPush Kind = "push"
	// KindPullRequest scans the commits of a pull request.
	KindPullRequest Kind = "pull_request"
	// KindRescan scans a head SHA again (check_suite / check_run re-requested,
	// or the Re-scan button).
	KindRescan Kind = "rescan"
	// KindAction handles a check-run button other than Re-scan.
	KindAction Kind = "check_run_action"
	// KindComment handles a comment on a pull request (maintainer commands).
	KindComment Kind = "issue_comment"
	// KindInstallation records an installation change.
	KindInstallation Kind = "installation"
)

// Job is one unit of work. It holds IDs, names and SHAs only: never diff
// text, file content or a secret, because it is stored in Redis.
type Job struct {
	Kind           Kind   `json:"kind"`
	DeliveryID     string `json:"delivery_id"`
	Event          string `json:"event"`
	InstallationID int64  `json:"installation_id"`
	Owner          string `json:"owner,omitempty"`
	Repo           string `json:"repo,omitempty"`
	DefaultBranch  string `json:"default_branch,omitempty"`
	// HTMLURL is the repository's web page, for links in the check run.
	HTMLURL string `json:"html_url,omitempty"`

	// Push.
	Ref     string `json:"ref,omitempty"`
	Before  string `json:"before,omitempty"`
	Created bool   `json:"created,omitempty"`
	Forced  bool   `json:"forced,omitempty"`
	// Commits pushed, as listed in the payload (at most 2048 of them), oldest first.
	Commits []string `json:"commits,omitempty"`

	// HeadSHA is the commit the check run goes on (push: after).
	HeadSHA string `json:"head_sha,omitempty"`

	// Pull request (and comment on one).
	PR       int    `json:"pr,omitempty"`
	BaseSHA  string `json:"base_sha,omitempty"`
	HeadRepo string `json:"head_repo,omitempty"` // owner/name of a fork's head repository

	// Check run buttons and re-requests.
	CheckRunID int64  `json:"check_run_id,omitempty"`
	Action     string `json:"action,omitempty"` // the button's identifier, or the event's action
	Sender     string `json:"sender,omitempty"` // login of the user who acted

	// Comment.
	CommentID int64 `json:"comment_id,omitempty"`
}

// Repository returns "owner/repo".
func (j Job) Repository() string { return j.Owner + "/" + j.Repo }

// Validate reports a job that no worker could act on.
func (j Job) Validate() error {
	switch {
	case j.Kind == "":
		return fmt.Errorf("job: no kind")
	case j.DeliveryID == "":
		return fmt.Errorf("job: no delivery id")
	case j.Kind != KindInstallation && (j.Owner == "" || j.Repo == "" || j.InstallationID == 0):
		return fmt.Errorf("job %s: no repository or installation", j.Kind)
	case (j.Kind == KindPush || j.Kind == KindPullRequest || j.Kind == KindRescan) && j.HeadSHA == "":
		return fmt.Errorf("job %s: no head sha", j.Kind)
	}
	return nil
}

// marshal encodes a job for storage.
func (j Job) marshal() ([]byte, error) { return json.Marshal(j) }

// unmarshalJob decodes a stored job.
func unmarshalJob(b []byte) (Job, error) {
	var j Job
	if err := json.Unmarshal(b, &j); err != nil {
		return Job{}, fmt.Errorf("decode job: %w", err)
	}
	return j, nil
}
