package scanner

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
	"sync"
)

// Confidence says how sure a rule is that a match is a live credential.
type Confidence int

// Confidence levels, from least to most certain. Rules whose format carries a
// checksum or an unmistakable prefix are High; rules that depend on a nearby
// keyword are Medium; the generic detector is Low.
const (
	Low Confidence = iota + 1
	Medium
	High
)

// String returns the lower-case name of the level.
func (c Confidence) String() string {
	switch c {
	case Low:
		return "low"
	case Medium:
		return "medium"
	case High:
		return "high"
	}
	return fmt.Sprintf("confidence(%d)", int(c))
}

// ParseConfidence is the inverse of Confidence.String.
func ParseConfidence(s string) (Confidence, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "low":
		return Low, nil
	case "medium":
		return Medium, nil
	case "high":
		return High, nil
	}
	return 0, fmt.Errorf("unknown confidence %q (want low, medium or high)", s)
}

// MarshalText renders the level as its name.
func (c Confidence) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText parses a level's name.
func (c *Confidence) UnmarshalText(b []byte) error {
	v, err := ParseConfidence(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// Remediation is what a maintainer must do once a credential has leaked. It is
// shown in check runs and PR comments, so it is specific to the provider and
// never contains the secret itself.
type Remediation struct {
	// What the credential is and what it grants, in one sentence.
	What string
	// RevokeURL is the console page where the credential is revoked.
	RevokeURL string
	// Revoke tells how to revoke it now, in the provider's words.
	Revoke string
	// RevokeCommand is the API call or CLI command that revokes it, with
	// placeholders such as <KEY_ID>, or empty when the provider has none.
	RevokeCommand string
	// Rotate tells how to issue a replacement and roll it out.
	Rotate string
	// Misuse tells where to look for use of the leaked credential.
	Misuse string
	// DocsURL is the provider's documentation of the credential.
	DocsURL string
}

// Validator checks a candidate secret beyond what its pattern can express: a
// checksum, a structural parse, a character mix. It returns false to reject.
type Validator func(secret string) bool

// Block describes a secret that spans several lines, such as a PEM private
// key. The scanner collects the added lines from a line matching Begin to the
// next line matching End (at most MaxLines lines) and runs the rule's Pattern
// over them joined by "\n".
type Block struct {
	Begin    string
	End      string
	MaxLines int
}

// Rule is one detector, as data. Every rule carries its own test cases; the
// package's tests fail when a rule has too few of them or misses one.
type Rule struct {
	// ID is stable: fingerprints, dismissals and configuration refer to it.
	ID string
	// Provider is the service that issued the credential ("GitHub").
	Provider string
	// Description says what the rule finds and cites the source of the
	// format (the provider's documentation).
	Description string
	// Keywords are lower-case strings of which at least one must occur in
	// the lower-cased line (or, with KeywordWindow, in a nearby line) for
	// the pattern to run. They must occur in every true positive.
	Keywords []string
	// KeywordWindow lets a keyword appear up to this many lines above or
	// below the line instead of on it (for a secret that is only
	// recognisable near its key ID, say). Zero means the same line.
	KeywordWindow int
	// Pattern is an RE2 regular expression over one line (or a Block).
	Pattern string
	// Group is the index of the capture group holding the secret; 0 means
	// the whole match.
	Group int
	// MinEntropy is the least Shannon entropy, in bits per character, of
	// the secret. Zero disables the check.
	MinEntropy float64
	// Validators must all accept the secret.
	Validators []Validator
	// Precheck, when set, is a cheap test of the whole line run before the
	// pattern: when it returns false the line cannot hold a match and the
	// pattern is skipped. It must never reject a line the rule would
	// report (the rule's own true positives check this).
	Precheck func(line []byte) bool
	// Exempt lists the shared decoy checks that do not apply to this rule
	// (a provider whose keys are UUIDs exempts DecoyUUID, say).
	Exempt Decoy
	// Block, when set, makes this a multi-line rule.
	Block *Block
	// nameTail, when set, says that the rule's pattern is a genericPattern
	// whose names end with nameTail (an RE2 fragment, case ignored): every
	// match starts at the character before the run of name characters
	// ([A-Za-z0-9_.-]) that holds the keyword, or at the one before that (a
	// '<'), and reports a value only when that run ends with nameTail
	// (and perhaps a '.'). The engine uses this to try the pattern on a long
	// line only where it can match, although its name part is unbounded.
	nameTail string
	// Confidence of a match that passes every check.
	Confidence Confidence
	// Remediation shown to maintainers for a finding of this rule.
	Remediation Remediation
	// TruePositives are texts (one or more lines) in which the rule must
	// report exactly one finding.
	TruePositives []string
	// FalsePositives are texts in which the rule must report nothing.
	// They include the provider's decoys: placeholders, wrong length, and
	// a failed checksum where the format has one.
	FalsePositives []string
}

// compiledRule is a Rule ready to run.
type compiledRule struct {
	Rule
	index   int
	reOnce  sync.Once
	re      *regexp.Regexp // compiled on first use (see pattern)
	begin   *regexp.Regexp
	end     *regexp.Regexp
	generic bool
	claims  bool    // see claims
	kwIdx   []int32 // the ruleset's indices of the rule's keywords

	winBefore, winAfter int // reach of the rule's windows on a long line

	// On a long line, an anchored rule is tried only where its keywords'
	// occurrences allow a match to start (see anchored.go).
	leadOK           bool // every match holds a keyword, leadLo to leadHi bytes in
	startsAtName     bool // see Rule.nameTail
	nameEnd          *regexp.Regexp
	anchored         bool
	anchorIdx        []int32 // the ruleset's indices of the rule's anchors, if it has them (see addAnchors)
	leadLo, leadHi   int     // a keyword starts this many bytes into every match
	maxLen           int     // syntaxMaxLen of the pattern
	anchorOnce       sync.Once
	reStart, reAfter *regexp.Regexp // the pattern anchored at the start of text, and after its first rune (see anchoredREs)
}

// compile checks a rule's data and compiles its expressions.
func (r Rule) compile(index int) (*compiledRule, error) {
	var problems []string
	if r.ID == "" {
		problems = append(problems, "empty id")
	}
	if r.Provider == "" {
		problems = append(problems, "empty provider")
	}
	if len(r.Keywords) == 0 {
		problems = append(problems, "no keywords")
	}
	for _, k := range r.Keywords {
		if k == "" || k != strings.ToLower(k) {
			problems = append(problems, fmt.Sprintf("keyword %q must be non-empty and lower-case", k))
		}
	}
	if r.Confidence < Low || r.Confidence > High {
		problems = append(problems, "confidence not set")
	}
	c := &compiledRule{Rule: r, index: index, generic: r.Confidence == Low, claims: claims(r)}
	if syn, err := syntax.Parse(r.Pattern, syntax.Perl); err != nil {
		problems = append(problems, fmt.Sprintf("pattern: %v", err))
	} else {
		if r.Group < 0 || r.Group > syn.MaxCap() {
			problems = append(problems, fmt.Sprintf("group %d out of range (pattern has %d)", r.Group, syn.MaxCap()))
		}
		c.anchor(syn)
	}
	var err error
	if r.Block != nil {
		if c.begin, err = regexp.Compile(r.Block.Begin); err != nil {
			problems = append(problems, fmt.Sprintf("block begin: %v", err))
		}
		if c.end, err = regexp.Compile(r.Block.End); err != nil {
			problems = append(problems, fmt.Sprintf("block end: %v", err))
		}
		if r.Block.MaxLines < 2 {
			problems = append(problems, "block max lines below 2")
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("rule %q: %s", r.ID, strings.Join(problems, "; "))
	}
	return c, nil
}

// pattern returns the rule's compiled pattern, compiling it on first use:
// most scans meet the keywords of a few rules only, and compiling all ~700
// patterns was most of a scan's start-up (BenchmarkNewRuleset). compile
// parsed the pattern already, and regexp.Compile fails only where
// syntax.Parse does, so this cannot panic.
func (c *compiledRule) pattern() *regexp.Regexp {
	c.reOnce.Do(func() { c.re = regexp.MustCompile(c.Pattern) })
	return c.re
}
