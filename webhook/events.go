package webhook

import (
	"errors"

	"github.com/google/go-github/v60/github"

	"github.com/pushguard/pushguard/queue"
)

// errIgnored marks a delivery that is valid but asks nothing of us.
var errIgnored = errors.New("ignored")

// eventFunc turns one parsed event into the jobs it asks for, or errIgnored.
type eventFunc func(delivery string, event any) ([]queue.Job, error)

// events is the table of handled events: GitHub's event name to its handler.
// app.yml's default_events must list exactly these (a test keeps them equal).
func events() map[string]eventFunc {
	return map[string]eventFunc{
		"push":                      pushJobs,
		"pull_request":              pullRequestJobs,
		"check_suite":               checkSuiteJobs,
		"check_run":                 checkRunJobs,
		"issue_comment":             issueCommentJobs,
		"installation":              installationJobs,
		"installation_repositories": installationJobs,
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

// repoJob fills the fields every repository job shares.
func repoJob(kind queue.Kind, delivery, event string, inst *github.Installation, repo *github.Repository) (queue.Job, error) {
	if inst.GetID() == 0 {
		return queue.Job{}, errIgnored // not delivered to an App installation
	}
	if repo.GetName() == "" || repo.GetOwner().GetLogin() == "" {
		return queue.Job{}, errMalformed
	}
	return queue.Job{
		Kind:           kind,
		DeliveryID:     delivery,
		Event:          event,
		InstallationID: inst.GetID(),
		Owner:          repo.GetOwner().GetLogin(),
		Repo:           repo.GetName(),
		DefaultBranch:  repo.GetDefaultBranch(),
		HTMLURL:        repo.GetHTMLURL(),
	}, nil
}

// pushRepoJob is repoJob for a push, whose repository has its own type.
func pushRepoJob(delivery string, e *github.PushEvent) (queue.Job, error) {
	r := e.GetRepo()
	owner := r.GetOwner().GetLogin()
	if owner == "" {
		owner = r.GetOwner().GetName()
	}
	repo := &github.Repository{Name: r.Name, Owner: &github.User{Login: &owner}, DefaultBranch: r.DefaultBranch, HTMLURL: r.HTMLURL}
	return repoJob(queue.KindPush, delivery, "push", e.GetInstallation(), repo)
}

func pushJobs(delivery string, event any) ([]queue.Job, error) {
	e := event.(*github.PushEvent)
	if e.GetDeleted() || e.GetAfter() == "" || isZeroSHA(e.GetAfter()) {
		return nil, errIgnored // a deleted ref adds nothing
	}
	j, err := pushRepoJob(delivery, e)
	if err != nil {
		return nil, err
	}
	j.Ref, j.Before, j.HeadSHA = e.GetRef(), e.GetBefore(), e.GetAfter()
	j.Created, j.Forced = e.GetCreated(), e.GetForced()
	for _, c := range e.Commits {
		if id := c.GetID(); id != "" {
			j.Commits = append(j.Commits, id)
		}
	}
	return []queue.Job{j}, nil
}

func pullRequestJobs(delivery string, event any) ([]queue.Job, error) {
	e := event.(*github.PullRequestEvent)
	switch e.GetAction() {
	case "opened", "synchronize", "reopened":
	default:
		return nil, errIgnored
	}
	j, err := repoJob(queue.KindPullRequest, delivery, "pull_request", e.GetInstallation(), e.GetRepo())
	if err != nil {
		return nil, err
	}
	pr := e.GetPullRequest()
	j.PR, j.HeadSHA, j.BaseSHA, j.Action = e.GetNumber(), pr.GetHead().GetSHA(), pr.GetBase().GetSHA(), e.GetAction()
	if head := pr.GetHead().GetRepo().GetFullName(); head != "" && head != e.GetRepo().GetFullName() {
		j.HeadRepo = head
	}
	if j.PR == 0 {
		j.PR = pr.GetNumber()
	}
	return []queue.Job{j}, nil
}

func checkSuiteJobs(delivery string, event any) ([]queue.Job, error) {
	e := event.(*github.CheckSuiteEvent)
	switch e.GetAction() {
	case "requested", "rerequested":
	default:
		return nil, errIgnored
	}
	j, err := repoJob(queue.KindRescan, delivery, "check_suite", e.GetInstallation(), e.GetRepo())
	if err != nil {
		return nil, err
	}
	j.HeadSHA, j.Action, j.Sender = e.GetCheckSuite().GetHeadSHA(), e.GetAction(), e.GetSender().GetLogin()
	j.Ref = qualifyBranch(e.GetCheckSuite().GetHeadBranch())
	if prs := e.GetCheckSuite().PullRequests; len(prs) > 0 {
		j.PR = prs[0].GetNumber()
	}
	return []queue.Job{j}, nil
}

func checkRunJobs(delivery string, event any) ([]queue.Job, error) {
	e := event.(*github.CheckRunEvent)
	kind := queue.KindRescan
	switch e.GetAction() {
	case "rerequested":
	case "requested_action":
		kind = queue.KindAction
	default:
		return nil, errIgnored
	}
	j, err := repoJob(kind, delivery, "check_run", e.GetInstallation(), e.GetRepo())
	if err != nil {
		return nil, err
	}
	run := e.GetCheckRun()
	j.HeadSHA, j.CheckRunID, j.Sender = run.GetHeadSHA(), run.GetID(), e.GetSender().GetLogin()
	j.Action = e.GetAction()
	if kind == queue.KindAction {
		j.Action = e.GetRequestedAction().Identifier
	}
	j.Ref = qualifyBranch(run.GetCheckSuite().GetHeadBranch())
	if prs := run.PullRequests; len(prs) > 0 {
		j.PR = prs[0].GetNumber()
	}
	return []queue.Job{j}, nil
}

func issueCommentJobs(delivery string, event any) ([]queue.Job, error) {
	e := event.(*github.IssueCommentEvent)
	if e.GetAction() != "created" || !e.GetIssue().IsPullRequest() {
		return nil, errIgnored // only comments on pull requests carry commands
	}
	if e.GetSender().GetType() == "Bot" || e.GetComment().GetUser().GetType() == "Bot" {
		return nil, errIgnored // our own comments and other bots'
	}
	j, err := repoJob(queue.KindComment, delivery, "issue_comment", e.GetInstallation(), e.GetRepo())
	if err != nil {
		return nil, err
	}
	j.PR, j.CommentID, j.Sender = e.GetIssue().GetNumber(), e.GetComment().GetID(), e.GetSender().GetLogin()
	return []queue.Job{j}, nil
}

func installationJobs(delivery string, event any) ([]queue.Job, error) {
	var inst *github.Installation
	var action, name string
	switch e := event.(type) {
	case *github.InstallationEvent:
		inst, action, name = e.GetInstallation(), e.GetAction(), "installation"
	case *github.InstallationRepositoriesEvent:
		inst, action, name = e.GetInstallation(), e.GetAction(), "installation_repositories"
	}
	if inst.GetID() == 0 {
		return nil, errMalformed
	}
	return []queue.Job{{
		Kind: queue.KindInstallation, DeliveryID: delivery, Event: name,
		InstallationID: inst.GetID(), Owner: inst.GetAccount().GetLogin(), Action: action,
	}}, nil
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
