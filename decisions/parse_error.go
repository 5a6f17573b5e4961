package decisions

import (
	"errors"
	"fmt"
	"strings"
)

// Kinds of malformed command: a ParseError unwraps to one of them.
var (
	ErrMissingVerb     = errors.New("missing command")
	ErrUnknownVerb     = errors.New("unknown command")
	ErrMissingTarget   = errors.New("missing fingerprint prefix")
	ErrInvalidPrefix   = errors.New("invalid fingerprint prefix")
	ErrMissingReason   = errors.New("missing reason")
	ErrUnknownReason   = errors.New("unknown reason")
	ErrNoteTooLong     = errors.New("note too long")
	ErrTooManyCommands = errors.New("too many commands")
	// ErrMissingResolution and ErrUnknownResolution: resolve needs
	// `revoked` or `rotated`.
	ErrMissingResolution = errors.New("missing resolution")
	ErrUnknownResolution = errors.New("unknown resolution")
)

// ParseError is a malformed command. Its message is written for the user who
// typed the command, in Markdown, and never quotes what they typed (which
// might be a secret); it may suggest a verb or reason they probably meant.
type ParseError struct {
	Kind error  // one of the Err* kinds above
	Msg  string // the message for the user
}

// Error returns the message for the user.
func (e *ParseError) Error() string { return e.Msg }

// Unwrap lets callers branch on the kind with errors.Is.
func (e *ParseError) Unwrap() error { return e.Kind }

func parseError(kind error, format string, args ...any) *ParseError {
	return &ParseError{Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// Verbs and reasons as messages list them.
const (
	verbList   = "`dismiss`, `undo`, `revoke`, `resolve`, `rescan` or `help`"
	reasonList = "`revoked`, `test-data`, `false-positive` or `accepted-risk`"
)

func missingVerb() error {
	return parseError(ErrMissingVerb, "`/pushguard` needs a command: %s.", verbList)
}

func unknownVerb(word string) error {
	verbs := []string{string(VerbDismiss), string(VerbUndo), string(VerbRevoke), string(VerbResolve), string(VerbRescan), string(VerbHelp)}
	return parseError(ErrUnknownVerb, "Unknown command%s: use %s.", didYouMean(word, verbs), verbList)
}

func missingTarget(verb Verb) error {
	switch verb {
	case VerbDismiss:
		return parseError(ErrMissingTarget,
			"`/pushguard dismiss` needs the fingerprint of a finding (at least %d characters) or `all`, then a reason: `/pushguard dismiss <fingerprint|all> <reason> [note]`.",
			MinPrefixLen)
	case VerbRevoke:
		return parseError(ErrMissingTarget,
			"`/pushguard revoke` needs the fingerprint of a GitHub token finding (at least %d characters) or `all`: `/pushguard revoke <fingerprint|all>`.",
			MinPrefixLen)
	case VerbResolve:
		return parseError(ErrMissingTarget,
			"`/pushguard resolve` needs the fingerprint of a finding (at least %d characters) or `all`, then `revoked` or `rotated`: `/pushguard resolve <fingerprint|all> revoked|rotated`.",
			MinPrefixLen)
	}
	return parseError(ErrMissingTarget,
		"`/pushguard undo` needs the fingerprint of a dismissed finding (at least %d characters): `/pushguard undo <fingerprint>`.",
		MinPrefixLen)
}

func missingResolution() error {
	return parseError(ErrMissingResolution, "`/pushguard resolve` needs how the key was made harmless after the fingerprint: `revoked` or `rotated`.")
}

func unknownResolution(word string) error {
	return parseError(ErrUnknownResolution, "Unknown resolution%s: use `revoked` or `rotated`.",
		didYouMean(word, []string{string(ResolutionRevoked), string(ResolutionRotated)}))
}

func undoAll() error {
	return parseError(ErrInvalidPrefix, "`/pushguard undo` takes one fingerprint at a time, not `all`.")
}

func badPrefix() error {
	return parseError(ErrInvalidPrefix,
		"A fingerprint is %d to %d hexadecimal characters (`0-9`, `a-f`), as shown next to each finding in the pushguard comment.",
		MinPrefixLen, FingerprintLen)
}

func missingReason() error {
	return parseError(ErrMissingReason, "`/pushguard dismiss` needs a reason after the fingerprint: %s.", reasonList)
}

func unknownReason(word string) error {
	var names []string
	for _, r := range Reasons() {
		names = append(names, string(r))
	}
	return parseError(ErrUnknownReason, "Unknown reason%s: use %s.", didYouMean(word, names), reasonList)
}

func noteTooLong() error {
	return parseError(ErrNoteTooLong, "The note after the reason is too long: at most %d characters.", MaxNoteLen)
}

func tooManyCommands() error {
	return parseError(ErrTooManyCommands, "Only the first %d commands of a comment are run.", MaxCommands)
}

// didYouMean returns ` (did you mean "x"?)` for the known word closest to
// word when it is a likely typo, else "".
func didYouMean(word string, known []string) string {
	word = strings.ToLower(word)
	if len(word) > 32 {
		return ""
	}
	best, bestDist := "", 3 // at most two edits away
	for _, k := range known {
		if d := editDistance(word, k); d < bestDist {
			best, bestDist = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean `%s`?)", best)
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
