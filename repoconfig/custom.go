package repoconfig

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/pushguard/pushguard/scanner"
)

// Limits on custom rules, on top of RE2's linear-time matching and its own
// cap of 1000 on counted repetition ("{1001}" does not compile).
const (
	maxPatternLen     = 1 << 10
	maxCustomRules    = 50
	maxKeywords       = 20
	minKeywordLen     = 3 // shorter keywords make the prefilter useless
	maxKeywordLen     = 64
	maxIDLen          = 64
	maxMinEntropy     = 8 // bits per byte: nothing has more
	customPrefix      = "custom-"
	customProvider    = "Custom"
	defaultCustomConf = scanner.Medium
)

// idRe is a rule id: lower-case letters, digits and hyphens.
var idRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// customID returns the id a custom rule is stored under.
func customID(id string) string {
	id = strings.ToLower(strings.TrimSpace(id))
	if strings.HasPrefix(id, customPrefix) {
		return id
	}
	return customPrefix + id
}

// checkID returns what is wrong with a custom rule's (prefixed) id.
func checkID(id string) string {
	switch {
	case id == customPrefix:
		return "id is required"
	case len(id) > maxIDLen:
		return fmt.Sprintf("id %q is longer than %d characters", id, maxIDLen)
	case !idRe.MatchString(id):
		return fmt.Sprintf("id %q may hold only lower-case letters, digits and hyphens", id)
	}
	return ""
}

// normalizeKeyword lower-cases a keyword and returns what is wrong with it.
func normalizeKeyword(k string) (string, string) {
	k = strings.ToLower(strings.TrimSpace(k))
	switch {
	case len(k) < minKeywordLen:
		return "", fmt.Sprintf("keyword %q is shorter than %d characters; pick a prefix or a variable name the secret always comes with", k, minKeywordLen)
	case len(k) > maxKeywordLen:
		return "", fmt.Sprintf("keyword is longer than %d characters", maxKeywordLen)
	}
	return k, ""
}

// regexFault is which of checkRegex's checks an expression fails.
type regexFault int

// The faults of checkRegex.
const (
	regexOK           regexFault = iota
	regexTooLong                 // longer than maxPatternLen
	regexInvalid                 // does not compile (the error says why)
	regexMatchesEmpty            // matches the empty string, so everything
)

// checkRegex compiles an expression a file supplies (a custom rule's
// pattern, an allowlist expression) with the limits they share; each caller
// words the fault for its key.
func checkRegex(pattern string) (*regexp.Regexp, regexFault, error) {
	if len(pattern) > maxPatternLen {
		return nil, regexTooLong, nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, regexInvalid, err
	}
	if re.MatchString("") {
		return nil, regexMatchesEmpty, nil
	}
	return re, regexOK, nil
}

// checkPattern compiles a custom pattern with the built-in rules' safety
// limits and returns what is wrong with it.
func checkPattern(pattern string, group int) string {
	if pattern == "" {
		return "pattern is required"
	}
	re, fault, err := checkRegex(pattern)
	switch fault {
	case regexTooLong:
		return fmt.Sprintf("pattern is %d bytes; the limit is %d", len(pattern), maxPatternLen)
	case regexInvalid:
		return fmt.Sprintf("pattern does not compile (Go RE2 syntax: no lookaround, no backreferences, repeat counts up to 1000): %v", err)
	case regexMatchesEmpty:
		return "pattern matches the empty string, so it would match every line; require at least the credential's fixed prefix or length"
	}
	if group < 0 || group > re.NumSubexp() {
		return fmt.Sprintf("secret_group %d is out of range: the pattern has %d capture groups", group, re.NumSubexp())
	}
	return ""
}

// testRule tests a custom rule at load, as the worker will run it: it must
// find nothing in ordinary text holding its keywords. The pattern is tried
// on the sample directly (so entropy and decoy checks cannot hide a pattern
// that matches anything), then the rule is built into a one-rule Ruleset and
// the sample scanned. It returns what is wrong.
func testRule(r scanner.Rule) string {
	lines := sampleLines(r.Keywords)
	re := regexp.MustCompile(r.Pattern) // checked by checkPattern
	for _, line := range lines {
		if re.MatchString(line) {
			return tooBroad(line)
		}
	}
	rs, err := scanner.NewRuleset([]scanner.Rule{r})
	if err != nil {
		return err.Error()
	}
	res, err := scanner.New(rs, []byte("repoconfig sample")).ScanFile(context.Background(), "sample.txt", "", strings.NewReader(strings.Join(lines, "\n")))
	if err != nil {
		return fmt.Sprintf("testing the rule: %v", err)
	}
	if len(res.Findings) > 0 {
		return tooBroad(lines[res.Findings[0].Line-1])
	}
	return ""
}

// tooBroad is the message for a rule that matched the sample.
func tooBroad(line string) string {
	return fmt.Sprintf("pattern matches ordinary text (%q), so it would flag most files; make it specific to the credential's format", excerpt(line))
}

// sampleText is prose with nothing secret in it.
const sampleText = "the quick brown fox jumps over the lazy dog while the build runs tests, reads config.yaml and prints 42 lines; "

// sampleLines is the text every custom rule must find nothing in: the empty
// line, each keyword alone and in prose, and a 4 KiB line of prose
// sprinkled with the keywords.
func sampleLines(keywords []string) []string {
	lines := []string{"", sampleText}
	var long bytes.Buffer
	for _, k := range keywords {
		lines = append(lines, k, "the "+k+" is read from the environment")
	}
	for i := 0; long.Len() < 4<<10; i++ {
		long.WriteString(sampleText)
		if len(keywords) > 0 {
			long.WriteString(keywords[i%len(keywords)] + " ")
		}
	}
	return append(lines, long.String())
}

// excerpt shortens a sample line for a message.
func excerpt(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// remediation is what a check run shows for a custom rule's finding.
func remediation(path, description string) scanner.Remediation {
	return scanner.Remediation{
		What:   description,
		Revoke: "Revoke this credential with its issuer.",
		Rotate: "Rotate this credential with its issuer and roll the new one out through your secret store (custom rule configured in " + path + ").",
		Misuse: "Check the issuer's access logs for use of the credential since the commit.",
	}
}
