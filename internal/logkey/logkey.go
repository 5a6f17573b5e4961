// Package logkey declares the structured-log keys pushguard uses, once, so
// that one push can be followed from its webhook delivery through the queue
// and the worker to its check run. It is the one leaf every package of ours
// may import; it imports nothing of ours.
package logkey

// Keys that identify a delivery, a job and what it works on.
const (
	Delivery      = "delivery_id"
	Event         = "event"
	Installation  = "installation_id"
	Repo          = "repo"
	PR            = "pr"
	HeadSHA       = "head_sha"
	JobID         = "job_id"
	PreviousJobID = "previous_job_id"
	Kind          = "kind"
	Intent        = "intent"
	CheckRun      = "check_run_id"
	Sender        = "sender"
	Action        = "action"
	Account       = "account"
)

// Keys of what happened.
const (
	Error       = "error"
	Outcome     = "outcome"
	Status      = "status"
	Attempt     = "attempt"
	RetryAt     = "retry_at"
	DedupeKey   = "dedupe_key"
	Component   = "component"
	Findings    = "findings"
	Commits     = "commits"
	Conclusion  = "conclusion"
	Busy        = "busy_reschedules"
	Decision    = "decision"
	Fingerprint = "fingerprint"
	Revoked     = "revoked"  // how many tokens GitHub accepted for revocation
	NotSent     = "not_sent" // how many tokens were not revoked
)

// Keys of a maintainer's decision's attributes (decisions.Decision and its
// audit entries).
const (
	Reason  = "reason"
	Note    = "note"
	By      = "by"
	At      = "at"
	RuleID  = "rule_id"
	AuditID = "audit_id"
)
