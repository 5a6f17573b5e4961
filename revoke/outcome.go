package revoke

import (
	"fmt"
	"strings"
)

// Token is a credential to revoke. Secret is the raw token: the caller reads
// it just before Revoke and drops it after; Outcome never carries it.
type Token struct {
	Fingerprint string // the finding's fingerprint, to report by
	Redacted    string // the scanner's redacted form, to show
	Secret      string
}

// Ref names a token without its secret.
type Ref struct {
	Fingerprint string
	Redacted    string
}

// ref drops the secret.
func (t Token) ref() Ref { return Ref{Fingerprint: t.Fingerprint, Redacted: t.Redacted} }

// NotSent is a token that was not revoked, and why, in words for the user.
type NotSent struct {
	Ref
	Reason string
}

// Outcome is what a Revoke call did: the tokens GitHub accepted for
// revocation (202), and every other one with the reason.
type Outcome struct {
	Revoked []Ref
	NotSent []NotSent
}

// add appends o2 to o.
func (o *Outcome) add(o2 Outcome) {
	o.Revoked = append(o.Revoked, o2.Revoked...)
	o.NotSent = append(o.NotSent, o2.NotSent...)
}

// notSent records every token of ts as not sent for reason.
func (o *Outcome) notSent(ts []Token, reason string) {
	for _, t := range ts {
		o.NotSent = append(o.NotSent, NotSent{Ref: t.ref(), Reason: reason})
	}
}

// Text says in one line what was revoked and what was not, with redacted
// tokens only: "Revoked: 2 GitHub tokens (ghp_ab…(40), gho_x…(40)); not
// sent: 1 (ghs_q…(40): this server does not accept ghs_ tokens)."
func (o Outcome) Text() string {
	var parts []string
	if n := len(o.Revoked); n > 0 {
		names := make([]string, n)
		for i, r := range o.Revoked {
			names[i] = "`" + r.Redacted + "`"
		}
		parts = append(parts, fmt.Sprintf("Revoked: %d GitHub token%s (%s)", n, plural(n), strings.Join(names, ", ")))
	}
	if n := len(o.NotSent); n > 0 {
		names := make([]string, n)
		for i, r := range o.NotSent {
			names[i] = "`" + r.Redacted + "`: " + r.Reason
		}
		parts = append(parts, fmt.Sprintf("not sent: %d (%s)", n, strings.Join(names, "; ")))
	}
	if len(parts) == 0 {
		return "No GitHub token to revoke."
	}
	s := strings.Join(parts, "; ") + "."
	return strings.ToUpper(s[:1]) + s[1:]
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
