package checks

import (
	"time"

	"github.com/pushguard/pushguard/scanner"
)

// Name is the check run's name. Required status checks match it: never
// change it.
const Name = "pushguard"

// Item is one finding as the check run shows it.
type Item struct {
	// Finding is where the secret was added: its commit, path and line.
	scanner.Finding
	// AtHead is where the secret is at the check run's head SHA, or nil when
	// a later commit removed it (it is still in the history, so still leaked).
	AtHead *Location
	// Dismissed, when set, is a maintainer's decision that keeps the finding
	// from failing the check.
	Dismissed *Dismissal
	// Advisory marks a finding below the repository's fail_on confidence
	// (or not live when fail_on is live): shown, but it does not fail the
	// check.
	Advisory bool
	// Validity is what a validity check found (a Validity value); empty
	// when the key was not checked.
	Validity string
}

// Location is a place in a file at the head SHA.
type Location struct {
	Path                   string
	Line, EndLine          int
	StartColumn, EndColumn int
}

// Dismissal records why a maintainer set a finding aside.
type Dismissal struct {
	Reason string
	By     string
	At     time.Time
}

// Active reports whether the finding fails the check.
func (it Item) Active() bool { return it.Dismissed == nil && !it.Advisory }

// Report is everything a completed check run shows.
type Report struct {
	// Items are the findings, in scan order.
	Items []Item
	// Skipped are files that were not scanned, with the reason.
	Skipped []scanner.Skipped
	// Commits is the number of commits scanned one by one.
	Commits int
	// UnscannedCommits are the commits the scan left out, and why (a first
	// push trimmed to the per-commit limit, say). Any makes the scan
	// incomplete.
	UnscannedCommits []CommitGap
	// NetDiff, when set, says why the net diff was scanned instead of each
	// commit (a push past the per-commit limit, say).
	NetDiff string
	// CommitTimes maps commit SHAs to their commit dates, so the playbook
	// can say since when to look for misuse.
	CommitTimes map[string]time.Time
	// RulesVersion identifies the ruleset.
	RulesVersion string
	// ConfigProblems are the problems of the repository's configuration
	// file, shown at the top of the summary: a broken file is never ignored.
	ConfigProblems []string
	// Allowed counts the findings the repository configuration's allowlist
	// dropped (its regexes, stopwords and commits); the summary says how
	// many, never which.
	Allowed int
	// Notices say what pushguard did for this run at a maintainer's request
	// or by the installation's setting (a revocation's outcome), in
	// redacted form only; shown under the headline of the summary and the
	// comment.
	Notices []string
	// BlobURL, when set, links a path at the head SHA: it is called with the
	// path and line and returns the URL.
	BlobURL func(path string, line int) string
	// ValidityChecked: validity checks ran for this scan, so each finding
	// shows its validity and live keys come first.
	ValidityChecked bool
	// FailOnLive: the repository's fail_on is live, so only live keys fail
	// the check (the others are Advisory).
	FailOnLive bool
}

// Active counts the findings that fail the check.
func (r Report) Active() int {
	n := 0
	for _, it := range r.Items {
		if it.Active() {
			n++
		}
	}
	return n
}

// setAside counts the findings that do not fail the check: dismissed by a
// maintainer, and advisory (below fail_on).
func (r Report) setAside() (dismissed, advisory int) {
	for _, it := range r.Items {
		switch {
		case it.Dismissed != nil:
			dismissed++
		case it.Advisory:
			advisory++
		}
	}
	return dismissed, advisory
}

// Conclusion is failure while any finding is active; action_required when
// none is but the scan left content out (commits, or files other than
// binary ones: see Incomplete), since the check cannot vouch for what it
// never read; success otherwise. A scan that could not finish at all is
// concluded by Client.Incomplete instead.
func (r Report) Conclusion() string {
	switch {
	case r.Active() > 0:
		return ConclusionFailure
	case r.Incomplete():
		return ConclusionActionRequired
	}
	return ConclusionSuccess
}

// Check-run conclusions pushguard uses. Required checks pass only on
// success, neutral or skipped, so a found secret is never neutral.
const (
	ConclusionSuccess        = "success"
	ConclusionFailure        = "failure"
	ConclusionActionRequired = "action_required"
)
