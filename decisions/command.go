package decisions

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Verb is what a command asks for.
type Verb string

// The commands.
const (
	VerbDismiss Verb = "dismiss"
	VerbUndo    Verb = "undo"
	VerbRescan  Verb = "rescan"
	VerbHelp    Verb = "help"
	// VerbRevoke asks pushguard to revoke the pull request's GitHub tokens
	// through GitHub's revocation API.
	VerbRevoke Verb = "revoke"
	// VerbResolve records that a maintainer revoked or rotated a key
	// themselves, which closes its incident.
	VerbResolve Verb = "resolve"
)

// Command limits and words.
const (
	// CommandWord starts every command, in any case.
	CommandWord = "/pushguard"
	// TargetAll as a dismiss target means every finding of the pull request.
	TargetAll = "all"
	// MinPrefixLen is the fewest hex digits of a fingerprint a command may
	// give: short enough to type, long enough that a typo rarely hits
	// another finding.
	MinPrefixLen = 6
	// FingerprintLen is the length of a whole fingerprint: hex SHA-256.
	FingerprintLen = 64
	// MaxNoteLen caps a dismissal's note, in characters.
	MaxNoteLen = 500
	// MaxCommands caps the commands taken from one comment; the rest are
	// dropped and reported by one Command with ErrTooManyCommands.
	MaxCommands = 20
)

// Command is one `/pushguard` line of a comment.
type Command struct {
	Verb   Verb   // set when the verb was understood, even if Err is set
	Target string // dismiss, undo, revoke, resolve: lower-case fingerprint prefix, or TargetAll (not undo)
	Reason Reason // dismiss only
	// Resolution is how resolve says the key was made harmless.
	Resolution Resolution
	Note       string // dismiss only: the free text after the reason, may be empty
	Line       int    // 1-based line of the comment the command is on
	Err        error  // a *ParseError when the command is malformed
}

// Parse returns the commands in a comment body, in order. Lines that do not
// start with /pushguard, and lines in quotes or code blocks, are not
// commands. A malformed command is returned with Err set.
func Parse(body string) []Command {
	var cmds []Command
	for _, l := range proseLines(body) {
		word, rest := cutField(l.text)
		if !strings.EqualFold(word, CommandWord) {
			continue
		}
		if len(cmds) == MaxCommands {
			return append(cmds, Command{Line: l.num, Err: tooManyCommands()})
		}
		c := parseCommand(rest)
		c.Line = l.num
		cmds = append(cmds, c)
	}
	return cmds
}

// parseCommand parses what follows /pushguard on a line.
func parseCommand(s string) Command {
	word, rest := cutField(s)
	switch v := Verb(strings.ToLower(word)); v {
	case VerbDismiss:
		return parseDismiss(rest)
	case VerbUndo, VerbRevoke:
		target, _ := cutField(rest) // anything after the prefix is ignored
		c := Command{Verb: v, Target: normalizeTarget(target)}
		c.Err = checkTarget(v, c.Target)
		return c
	case VerbResolve:
		return parseResolve(rest)
	case VerbRescan, VerbHelp:
		return Command{Verb: v} // anything after the verb is ignored
	case "":
		return Command{Err: missingVerb()}
	default:
		return Command{Err: unknownVerb(word)}
	}
}

// parseDismiss parses what follows `/pushguard dismiss`.
func parseDismiss(s string) Command {
	c := Command{Verb: VerbDismiss}
	target, rest := cutField(s)
	c.Target = normalizeTarget(target)
	if c.Err = checkTarget(VerbDismiss, c.Target); c.Err != nil {
		return c
	}
	word, note := cutField(rest)
	if word == "" {
		c.Err = missingReason()
		return c
	}
	reason, ok := ParseReason(word)
	if !ok {
		// "false positive", "test data", "accepted risk": two words for one.
		next, after := cutField(note)
		if reason, ok = ParseReason(word + "-" + next); ok {
			note = after
		}
	}
	if !ok {
		c.Err = unknownReason(word)
		return c
	}
	c.Reason, c.Note = reason, note
	if utf8.RuneCountInString(note) > MaxNoteLen {
		c.Err = noteTooLong()
	}
	return c
}

// normalizeTarget lower-cases a target and drops the backticks it keeps
// when copied from a rendered comment.
func normalizeTarget(s string) string {
	return strings.ToLower(strings.Trim(s, "`"))
}

// parseResolve parses what follows `/pushguard resolve`: a target and a
// resolution; anything after the resolution is ignored.
func parseResolve(s string) Command {
	c := Command{Verb: VerbResolve}
	target, rest := cutField(s)
	c.Target = normalizeTarget(target)
	if c.Err = checkTarget(VerbResolve, c.Target); c.Err != nil {
		return c
	}
	word, _ := cutField(rest)
	res, ok := ParseResolution(word)
	switch {
	case word == "":
		c.Err = missingResolution()
	case !ok:
		c.Err = unknownResolution(word)
	}
	c.Resolution = res
	return c
}

// checkTarget returns why target is not a fingerprint prefix (or, for a
// verb other than undo, TargetAll), or nil.
func checkTarget(verb Verb, target string) error {
	all := verb != VerbUndo
	switch {
	case target == "":
		return missingTarget(verb)
	case target == TargetAll && all:
		return nil
	case target == TargetAll:
		return undoAll()
	case !ValidPrefix(target):
		return badPrefix()
	}
	return nil
}

// ValidPrefix reports whether p can name a finding: MinPrefixLen to
// FingerprintLen lower-case hex digits.
func ValidPrefix(p string) bool {
	if len(p) < MinPrefixLen || len(p) > FingerprintLen {
		return false
	}
	for i := 0; i < len(p); i++ {
		if !('0' <= p[i] && p[i] <= '9' || 'a' <= p[i] && p[i] <= 'f') {
			return false
		}
	}
	return true
}

// cutField returns the first whitespace-separated field of s and the rest
// of s after the whitespace that follows it.
func cutField(s string) (field, rest string) {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimSpace(s[i:])
}
