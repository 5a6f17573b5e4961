package queue

// Intent says what a job asks of the pipeline, whatever event brought it.
// A worker switches on it (Job.Intention), never on an event's action.
type Intent string

// The intents of jobs.
const (
	// IntentScanPush scans the commits of a push.
	IntentScanPush Intent = "scan_push"
	// IntentScanPullRequest scans the commits of a pull request.
	IntentScanPullRequest Intent = "scan_pull_request"
	// IntentScanSuite scans a check suite's head unless a pushguard check
	// run is already on it (GitHub asks every App on each push; the push
	// and pull request events already scan it).
	IntentScanSuite Intent = "scan_suite"
	// IntentRerun scans a head again on a fresh check run (a re-requested
	// check, the Re-scan button, a maintainer's decision).
	IntentRerun Intent = "rerun"
	// IntentButton runs a check-run button; Action holds its identifier.
	IntentButton Intent = "button"
	// IntentCommand runs the maintainer commands of a pull request comment.
	IntentCommand Intent = "command"
	// IntentInstallation records an installation change.
	IntentInstallation Intent = "installation"
)

// Intention is the job's intent. A job stored by a version of pushguard
// that wrote no intent gets the one its kind and action meant then.
func (j Job) Intention() Intent {
	if j.Intent != "" {
		return j.Intent
	}
	switch j.Kind {
	case KindPush:
		return IntentScanPush
	case KindPullRequest:
		return IntentScanPullRequest
	case KindRescan:
		if j.Action == "requested" { // check_suite requested
			return IntentScanSuite
		}
		return IntentRerun
	case KindAction:
		return IntentButton
	case KindComment:
		return IntentCommand
	case KindInstallation:
		return IntentInstallation
	}
	return ""
}

// knownIntent reports whether i is one of the intents above.
func knownIntent(i Intent) bool {
	switch i {
	case IntentScanPush, IntentScanPullRequest, IntentScanSuite, IntentRerun, IntentButton, IntentCommand, IntentInstallation:
		return true
	}
	return false
}

// Scans reports whether the intent scans a head SHA.
func (i Intent) Scans() bool {
	switch i {
	case IntentScanPush, IntentScanPullRequest, IntentScanSuite, IntentRerun:
		return true
	}
	return false
}
