package validity

import "time"

// Status is what one validity check learned about a secret.
type Status int

const (
	// Unknown means the check could not tell: no verifier for the rule, a
	// companion secret missing, a network error, a timeout, a rate limit, a
	// redirect or an answer the verifier does not recognise.
	Unknown Status = iota
	// Live means the provider accepted the secret.
	Live
	// NotLive means the provider rejected the secret as invalid, revoked or
	// expired.
	NotLive
)

// String names the status for logs and reports.
func (s Status) String() string {
	switch s {
	case Live:
		return "live"
	case NotLive:
		return "not live"
	default:
		return "unknown"
	}
}

// Result is the answer of one check. Reason never contains the secret.
type Result struct {
	Status  Status
	Reason  string
	Checked time.Time
}
