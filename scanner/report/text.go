package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/pushguard/pushguard/scanner"
)

// Text writes findings for a terminal: one block per finding (location,
// provider, rule, redacted value, commit, how to revoke it, fingerprint), then
// the files that were not scanned, then a one-line summary. rules supplies
// each finding's remediation; it may be nil.
func Text(w io.Writer, findings []scanner.Finding, skipped []scanner.Skipped, rules *scanner.Ruleset) error {
	bw := bufio.NewWriter(w) // keeps the first write error; Flush returns it
	for _, f := range findings {
		writeTextFinding(bw, f, rules)
	}
	for _, s := range skipped {
		fmt.Fprintf(bw, "not scanned: %s\n", DescribeSkipped(s))
	}
	if len(skipped) > 0 {
		bw.WriteString("\n")
	}
	fmt.Fprintln(bw, Summary(findings, skipped))
	return bw.Flush()
}

func writeTextFinding(w io.Writer, f scanner.Finding, rules *scanner.Ruleset) {
	fmt.Fprintf(w, "%s:%d:%d  %s (%s)  %s", printable(f.Path), f.Line, f.StartColumn, f.Provider, f.RuleID, printable(f.Redacted))
	if f.Commit != "" {
		fmt.Fprintf(w, "  [commit %s]", shortSHA(f.Commit))
	}
	fmt.Fprintln(w)
	if rule, ok := lookupRule(rules, f.RuleID); ok {
		if revoke := revokeLine(rule.Remediation); revoke != "" {
			fmt.Fprintf(w, "    revoke: %s\n", revoke)
		}
	}
	fmt.Fprintf(w, "    fingerprint: %s\n\n", shortFingerprint(f.Fingerprint))
}

// revokeLine joins the revocation page and instruction on one line.
func revokeLine(r scanner.Remediation) string {
	parts := []string{oneLine(r.RevokeURL), oneLine(r.Revoke)}
	if parts[0] == "" || parts[1] == "" {
		return parts[0] + parts[1]
	}
	return parts[0] + "  " + parts[1]
}

// Summary is the last line of the text report: how many findings in how
// many files, or that none were found, and how many files were not scanned.
func Summary(findings []scanner.Finding, skipped []scanner.Skipped) string {
	s := "no secrets found"
	if len(findings) > 0 {
		files := map[string]bool{}
		for _, f := range findings {
			files[f.Path] = true
		}
		s = plural(len(findings), "finding") + " in " + plural(len(files), "file")
	}
	if len(skipped) > 0 {
		s += " (" + plural(len(skipped), "file") + " not scanned)"
	}
	return s
}

// DescribeSkipped renders a file that was not scanned as "path (reason)",
// with its commit when it has one.
func DescribeSkipped(s scanner.Skipped) string {
	if s.Commit != "" {
		return fmt.Sprintf("%s (%s, commit %s)", printable(s.Path), s.Reason, shortSHA(s.Commit))
	}
	return fmt.Sprintf("%s (%s)", printable(s.Path), s.Reason)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// printable quotes a string from scanned input (a file name, a redacted
// prefix) when it holds control characters, so that it cannot drive the
// terminal.
func printable(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return !unicode.IsGraphic(r) }) >= 0 {
		return strconv.Quote(s)
	}
	return s
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func shortSHA(sha string) string { return sha[:min(len(sha), 12)] }

func shortFingerprint(fp string) string { return fp[:min(len(fp), 12)] }

func lookupRule(rules *scanner.Ruleset, id string) (scanner.Rule, bool) {
	if rules == nil {
		return scanner.Rule{}, false
	}
	return rules.Rule(id)
}
