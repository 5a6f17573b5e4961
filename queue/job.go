package queue

import (
	"encoding/json"
	"errors"
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
	Kind Kind `json:"kind"`
	// Intent is what the job asks of the pipeline (see Intention, which
	// also reads jobs stored before intents existed).
	Intent         Intent `json:"intent,omitempty"`
	DeliveryID     string `json:"delivery_id"`
	Event          string `json:"event"`
	InstallationID int64  `json:"installation_id"`
	Owner          string `json:"owner,omitempty"`
	Repo           string `json:"repo,omitempty"`
	DefaultBranch  string `json:"default_branch,omitempty"`
	// HTMLURL is the repository's web page, for links in the check run.
	HTMLURL string `json:"html_url,omitempty"`
	// Public is set when the payload said the repository is public
	// (visibility "public", or private false without a visibility); it
	// enables automatic revocation when the installation asks for it.
	Public bool `json:"public,omitempty"`

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

// Validate reports a job that no worker could act on, or one with an
// identifier that could not safely reach a GitHub API path. It runs when a
// job is enqueued and again when a worker takes it from Redis.
func (j Job) Validate() error {
	switch {
	case !knownKind(j.Kind):
		return fmt.Errorf("job: unknown kind %q", j.Kind)
	case j.DeliveryID == "":
		return fmt.Errorf("job: no delivery id")
	case j.Kind != KindInstallation && (j.Owner == "" || j.Repo == "" || j.InstallationID == 0):
		return fmt.Errorf("job %s: no repository or installation", j.Kind)
	case j.Intent != "" && !knownIntent(j.Intent):
		return fmt.Errorf("job %s: unknown intent %q", j.Kind, j.Intent)
	case (j.Kind == KindPush || j.Kind == KindPullRequest || j.Kind == KindRescan || j.Intention().Scans()) && j.HeadSHA == "":
		return fmt.Errorf("job %s: no head sha", j.Kind)
	case j.InstallationID < 0 || j.PR < 0 || j.CheckRunID < 0 || j.CommentID < 0:
		return fmt.Errorf("job %s: negative id", j.Kind)
	}
	if err := j.validateIdentifiers(); err != nil {
		return fmt.Errorf("job %s: %w", j.Kind, err)
	}
	return nil
}

// knownKind reports whether k is one of the kinds above.
func knownKind(k Kind) bool {
	switch k {
	case KindPush, KindPullRequest, KindRescan, KindAction, KindComment, KindInstallation:
		return true
	}
	return false
}

// validateIdentifiers checks every identifier a job carries; empty optional
// ones are allowed.
func (j Job) validateIdentifiers() error {
	var errs []error
	check := func(value string, fn func() error) {
		if value != "" {
			errs = append(errs, fn())
		}
	}
	errs = append(errs, checkPattern("delivery id", j.DeliveryID, deliveryPattern))
	check(j.Event, func() error { return checkPattern("event", j.Event, wordPattern) })
	check(j.Action, func() error { return checkAction(j.Action) })
	check(j.Owner, func() error { return checkLogin("owner", j.Owner) })
	check(j.Repo, func() error { return checkRepoName("repo", j.Repo) })
	check(j.Sender, func() error { return checkLogin("sender", j.Sender) })
	check(j.HeadRepo, func() error { return checkFullName("head repo", j.HeadRepo) })
	check(j.HTMLURL, func() error { return checkWebURL("html url", j.HTMLURL) })
	check(j.Ref, func() error { return checkRef("ref", j.Ref) })
	check(j.DefaultBranch, func() error { return checkRef("default branch", "refs/heads/"+j.DefaultBranch) })
	check(j.HeadSHA, func() error { return checkSHA("head sha", j.HeadSHA) })
	check(j.Before, func() error { return checkSHA("before", j.Before) })
	check(j.BaseSHA, func() error { return checkSHA("base sha", j.BaseSHA) })
	for _, c := range j.Commits {
		errs = append(errs, checkSHA("commit", c))
	}
	return errors.Join(errs...)
}

// marshal encodes a job for storage.
func (j Job) marshal() ([]byte, error) { return json.Marshal(j) }

// unmarshalJob decodes a stored job and validates it again: Redis is not
// trusted to hold only what Enqueue wrote. A job that decodes but is not
// valid is returned with the error, for logs and the dead-letter store.
func unmarshalJob(b []byte) (Job, error) {
	var j Job
	if err := json.Unmarshal(b, &j); err != nil {
		return Job{}, fmt.Errorf("decode job: %w", err)
	}
	if err := j.Validate(); err != nil {
		return j, fmt.Errorf("stored job: %w: %w", ErrInvalidJob, err)
	}
	return j, nil
}
