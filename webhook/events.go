package webhook

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/pushguard/pushguard/queue"
)

// Events are decoded into the few fields a job needs, not into go-github's
// full event types: github.ParseWebHook rejects whole deliveries over fields
// pushguard never reads (GitHub's own check_run "rerequested" example
// carries a "2018-04-25 20:42:10" timestamp that go-github v60 cannot
// parse), and a genuine delivery must never be refused for that.

// errIgnored marks a delivery that is valid but asks nothing of us.
var errIgnored = errors.New("ignored")

// eventFunc turns one delivery's payload into the jobs it asks for, or
// errIgnored.
type eventFunc func(delivery string, payload []byte) ([]queue.Job, error)

// events is the table of handled events: GitHub's event name to its handler.
// app.yml's default_events must list exactly these.
func events() map[string]eventFunc {
	return map[string]eventFunc{
		"push":                      pushJobs,
		"pull_request":              pullRequestJobs,
		"check_suite":               checkSuiteJobs,
		"check_run":                 checkRunJobs,
		"issue_comment":             issueCommentJobs,
		"installation":              installationJobs("installation"),
		"installation_repositories": installationJobs("installation_repositories"),
	}
}

// HandledEvents lists the webhook events pushguard subscribes to, ping
// aside (GitHub sends ping unasked).
func HandledEvents() []string {
	var names []string
	for name := range events() {
		names = append(names, name)
	}
	return names
}

// The parts of payloads that jobs use.
type (
	account struct {
		Login string `json:"login"`
		Name  string `json:"name"`
		Type  string `json:"type"`
	}
	repository struct {
		ID            int64   `json:"id"`
		Name          string  `json:"name"`
		FullName      string  `json:"full_name"`
		Owner         account `json:"owner"`
		DefaultBranch string  `json:"default_branch"`
		HTMLURL       string  `json:"html_url"`
		Private       *bool   `json:"private"`
		Visibility    string  `json:"visibility"`
	}
	installation struct {
		ID      int64   `json:"id"`
		Account account `json:"account"`
	}
	common struct {
		Action       string       `json:"action"`
		Repository   repository   `json:"repository"`
		Installation installation `json:"installation"`
		Sender       account      `json:"sender"`
	}
	// pullRef is a pull request as check_suite and check_run events list
	// them: those whose head is the SHA, which may belong to other
	// repositories (a fork's own pull requests, say).
	pullRef struct {
		Number int `json:"number"`
		Base   struct {
			Repo struct {
				ID int64 `json:"id"`
			} `json:"repo"`
		} `json:"base"`
	}
	branchRef struct {
		SHA  string     `json:"sha"`
		Ref  string     `json:"ref"`
		Repo repository `json:"repo"`
	}
)

// decode unmarshals a payload, reporting a malformed one.
func decode(payload []byte, v any) error {
	if err := json.Unmarshal(payload, v); err != nil {
		return fmt.Errorf("%w: %v", errMalformed, err)
	}
	return nil
}

// repoJob fills the fields every repository job shares.
func repoJob(kind queue.Kind, intent queue.Intent, delivery, event string, c common) (queue.Job, error) {
	if c.Installation.ID == 0 {
		return queue.Job{}, errIgnored // not delivered to an App installation
	}
	owner := c.Repository.Owner.Login
	if owner == "" {
		owner = c.Repository.Owner.Name // push payloads name the owner
	}
	if c.Repository.Name == "" || owner == "" {
		return queue.Job{}, fmt.Errorf("%w: no repository", errMalformed)
	}
	return queue.Job{
		Kind: kind, Intent: intent, DeliveryID: delivery, Event: event, InstallationID: c.Installation.ID,
		Owner: owner, Repo: c.Repository.Name, DefaultBranch: c.Repository.DefaultBranch,
		HTMLURL: c.Repository.HTMLURL, Action: c.Action, Sender: c.Sender.Login, Public: c.Repository.public(),
	}, nil
}

// public reports whether the payload says the repository is public: its
// visibility when given, else private false. Unknown is not public.
func (r repository) public() bool {
	if r.Visibility != "" {
		return r.Visibility == "public"
	}
	return r.Private != nil && !*r.Private
}

func pushJobs(delivery string, payload []byte) ([]queue.Job, error) {
	var e struct {
		common
		Ref     string `json:"ref"`
		Before  string `json:"before"`
		After   string `json:"after"`
		Created bool   `json:"created"`
		Deleted bool   `json:"deleted"`
		Forced  bool   `json:"forced"`
		Commits []struct {
			ID string `json:"id"`
		} `json:"commits"`
	}
	if err := decode(payload, &e); err != nil {
		return nil, err
	}
	if e.Deleted || isZeroSHA(e.After) {
		return nil, errIgnored // a deleted ref adds nothing
	}
	j, err := repoJob(queue.KindPush, queue.IntentScanPush, delivery, "push", e.common)
	if err != nil {
		return nil, err
	}
	j.Ref, j.Before, j.HeadSHA, j.Created, j.Forced = e.Ref, e.Before, e.After, e.Created, e.Forced
	for _, c := range e.Commits {
		if c.ID != "" {
			j.Commits = append(j.Commits, c.ID)
		}
	}
	return []queue.Job{j}, nil
}

func pullRequestJobs(delivery string, payload []byte) ([]queue.Job, error) {
	var e struct {
		common
		Number      int `json:"number"`
		PullRequest struct {
			Number int       `json:"number"`
			Head   branchRef `json:"head"`
			Base   branchRef `json:"base"`
		} `json:"pull_request"`
	}
	if err := decode(payload, &e); err != nil {
		return nil, err
	}
	switch e.Action {
	case "opened", "synchronize", "reopened":
	default:
		return nil, errIgnored
	}
	j, err := repoJob(queue.KindPullRequest, queue.IntentScanPullRequest, delivery, "pull_request", e.common)
	if err != nil {
		return nil, err
	}
	pr := e.PullRequest
	j.PR, j.HeadSHA, j.BaseSHA = max(e.Number, pr.Number), pr.Head.SHA, pr.Base.SHA
	if head := pr.Head.Repo.FullName; head != "" && head != e.Repository.FullName {
		j.HeadRepo = head // a fork
	}
	return []queue.Job{j}, nil
}

func checkSuiteJobs(delivery string, payload []byte) ([]queue.Job, error) {
	var e struct {
		common
		CheckSuite struct {
			HeadSHA      string    `json:"head_sha"`
			HeadBranch   string    `json:"head_branch"`
			PullRequests []pullRef `json:"pull_requests"`
		} `json:"check_suite"`
	}
	if err := decode(payload, &e); err != nil {
		return nil, err
	}
	intent := queue.IntentScanSuite // scan it unless something already has
	switch e.Action {
	case "requested":
	case "rerequested":
		intent = queue.IntentRerun
	default:
		return nil, errIgnored
	}
	j, err := repoJob(queue.KindRescan, intent, delivery, "check_suite", e.common)
	if err != nil {
		return nil, err
	}
	j.HeadSHA, j.Ref = e.CheckSuite.HeadSHA, qualifyBranch(e.CheckSuite.HeadBranch)
	j.PR = pullIn(e.CheckSuite.PullRequests, e.Repository.ID)
	return []queue.Job{j}, nil
}

func checkRunJobs(delivery string, payload []byte) ([]queue.Job, error) {
	var e struct {
		common
		CheckRun struct {
			ID           int64     `json:"id"`
			HeadSHA      string    `json:"head_sha"`
			PullRequests []pullRef `json:"pull_requests"`
			CheckSuite   struct {
				HeadBranch string `json:"head_branch"`
			} `json:"check_suite"`
		} `json:"check_run"`
		RequestedAction struct {
			Identifier string `json:"identifier"`
		} `json:"requested_action"`
	}
	if err := decode(payload, &e); err != nil {
		return nil, err
	}
	kind, intent := queue.KindRescan, queue.IntentRerun
	switch e.Action {
	case "rerequested":
	case "requested_action":
		kind, intent = queue.KindAction, queue.IntentButton
	default:
		return nil, errIgnored
	}
	j, err := repoJob(kind, intent, delivery, "check_run", e.common)
	if err != nil {
		return nil, err
	}
	j.HeadSHA, j.CheckRunID, j.Ref = e.CheckRun.HeadSHA, e.CheckRun.ID, qualifyBranch(e.CheckRun.CheckSuite.HeadBranch)
	if kind == queue.KindAction {
		j.Action = e.RequestedAction.Identifier
	}
	j.PR = pullIn(e.CheckRun.PullRequests, e.Repository.ID)
	return []queue.Job{j}, nil
}

func issueCommentJobs(delivery string, payload []byte) ([]queue.Job, error) {
	var e struct {
		common
		Issue struct {
			Number      int              `json:"number"`
			PullRequest *json.RawMessage `json:"pull_request"`
		} `json:"issue"`
		Comment struct {
			ID   int64   `json:"id"`
			User account `json:"user"`
		} `json:"comment"`
	}
	if err := decode(payload, &e); err != nil {
		return nil, err
	}
	if e.Action != "created" || e.Issue.PullRequest == nil {
		return nil, errIgnored // only comments on pull requests carry commands
	}
	if e.Sender.Type == "Bot" || e.Comment.User.Type == "Bot" {
		return nil, errIgnored // our own comments and other bots'
	}
	j, err := repoJob(queue.KindComment, queue.IntentCommand, delivery, "issue_comment", e.common)
	if err != nil {
		return nil, err
	}
	j.PR, j.CommentID = e.Issue.Number, e.Comment.ID
	return []queue.Job{j}, nil
}

func installationJobs(event string) eventFunc {
	return func(delivery string, payload []byte) ([]queue.Job, error) {
		var e common
		if err := decode(payload, &e); err != nil {
			return nil, err
		}
		if e.Installation.ID == 0 {
			return nil, fmt.Errorf("%w: no installation", errMalformed)
		}
		return []queue.Job{{
			Kind: queue.KindInstallation, Intent: queue.IntentInstallation, DeliveryID: delivery, Event: event,
			InstallationID: e.Installation.ID, Owner: e.Installation.Account.Login, Action: e.Action,
		}}, nil
	}
}

// pullIn returns the first listed pull request whose base is the event's
// repository, or 0.
func pullIn(prs []pullRef, repoID int64) int {
	for _, pr := range prs {
		if pr.Base.Repo.ID == repoID {
			return pr.Number
		}
	}
	return 0
}

func isZeroSHA(sha string) bool {
	for _, c := range sha {
		if c != '0' {
			return false
		}
	}
	return true
}

func qualifyBranch(b string) string {
	if b == "" {
		return ""
	}
	return "refs/heads/" + b
}
