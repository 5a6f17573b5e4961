package scanner

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// Finding is one leaked credential at one place. The raw secret is kept
// unexported: String, JSON and every other rendering show only Redacted.
type Finding struct {
	RuleID      string     `json:"rule_id"`
	Provider    string     `json:"provider"`
	Description string     `json:"description"`
	Path        string     `json:"path"`
	Commit      string     `json:"commit,omitempty"`
	Line        int        `json:"line"`
	EndLine     int        `json:"end_line"`
	StartColumn int        `json:"start_column"`
	EndColumn   int        `json:"end_column"`
	Confidence  Confidence `json:"confidence"`
	Redacted    string     `json:"redacted"`
	Fingerprint string     `json:"fingerprint"`
	// Encoding names the layers the secret was decoded from, outermost
	// first ("base64", "base64+percent"), when it was found only after
	// decoding the text at Line and the columns; empty for a secret found
	// as written.
	Encoding string `json:"encoding,omitempty"`

	secret  string
	allowed bool // by the ruleset's allowlist: counted, not reported
}

// Secret returns the raw credential. It exists for verification and
// revocation only: never log, store or render its result.
func (f Finding) Secret() string { return f.secret }

// String renders the finding without its secret.
func (f Finding) String() string {
	loc := fmt.Sprintf("%s:%d", f.Path, f.Line)
	if f.Commit != "" {
		loc = shortSHA(f.Commit) + ":" + loc
	}
	s := fmt.Sprintf("%s %s (%s) %s", loc, f.RuleID, f.Provider, f.Redacted)
	if f.Encoding != "" {
		s += " encoded (" + f.Encoding + ")"
	}
	return s
}

// GoString keeps %#v from printing the secret.
func (f Finding) GoString() string { return "scanner.Finding{" + f.String() + "}" }

// findingJSON has the exported fields only, so the secret cannot slip in.
type findingJSON Finding

// MarshalJSON renders the exported fields; the secret is never included.
func (f Finding) MarshalJSON() ([]byte, error) {
	g := findingJSON(f)
	g.secret = ""
	return json.Marshal(g)
}

// Redact renders a secret as a short prefix and its length, the only form in
// which a secret may leave the scanner: at most a fifth of it, and never more
// than six characters, is shown.
func Redact(secret string) string {
	n := utf8.RuneCountInString(secret)
	show := n / 5
	if show > 6 {
		show = 6
	}
	prefix := []rune(secret)[:show]
	return fmt.Sprintf("%s… (%d chars)", string(prefix), n)
}

// Fingerprint is the keyed hash that identifies a secret found by a rule,
// the same across commits, files, rebases and squashes: HMAC-SHA256 under key
// over the rule ID and the secret, hex-encoded. It reveals nothing of the
// secret to whoever lacks the key.
func Fingerprint(key []byte, ruleID, secret string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(ruleID))
	m.Write([]byte{0})
	m.Write([]byte(secret))
	return hex.EncodeToString(m.Sum(nil))
}

func shortSHA(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}
