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

// Text writes a scan for a terminal: one block per finding (location,
// provider, rule, redacted value, commit, how to revoke it, fingerprint),
// then the ignored findings with their reasons, then the files that were not
// scanned, then a one-line summary. rules supplies each finding's
// remediation; it may be nil.
func Text(w io.Writer, s Scan, rules *scanner.Ruleset) error {
	res := s.result()
	bw := bufio.NewWriter(w) // keeps the first write error; Flush returns it
	for _, f := range res.Findings {
		writeTextFinding(bw, f, rules)
	}
	for _, ig := range s.Ignored {
		fmt.Fprintf(bw, "ignored: %s  fingerprint %s: %s\n", location(ig.Finding), shortFingerprint(ig.Finding.Fingerprint), printable(ig.Reason))
	}
	for _, sk := range res.Skipped {
		fmt.Fprintf(bw, "not scanned: %s\n", DescribeSkipped(sk))
	}
	if len(res.Skipped) > 0 || len(s.Ignored) > 0 {
		bw.WriteString("\n")
	}
	fmt.Fprintln(bw, Summary(s))
	return bw.Flush()
}

// location renders where a finding is and what it is, on one line:
// "path:line:col  Provider (rule-id)  redacted  [encoded (base64)]  [commit abcdef123456]".
func location(f scanner.Finding) string {
	loc := fmt.Sprintf("%s:%d:%d  %s (%s)  %s", printable(f.Path), f.Line, f.StartColumn, f.Provider, f.RuleID, printable(f.Redacted))
	if f.Encoding != "" {
		loc += "  encoded (" + f.Encoding + ")"
	}
	if f.Commit != "" {
		loc += fmt.Sprintf("  [commit %s]", shortSHA(f.Commit))
	}
	return loc
}

func writeTextFinding(w io.Writer, f scanner.Finding, rules *scanner.Ruleset) {
	fmt.Fprintln(w, location(f))
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

// ResultSummary says how many findings in how many files and how many files
// were not scanned. Only a scan that skipped
// nothing says "no secrets found"; one that saw no file at all says
// "nothing to scan", and one that skipped every file it saw says "nothing
// scanned". res.Files counts every file seen, skipped ones included.
func ResultSummary(res *scanner.Result) string {
	skipped := len(res.Skipped)
	if len(res.Findings) > 0 {
		files := map[string]bool{}
		for _, f := range res.Findings {
			files[f.Path] = true
		}
		s := plural(len(res.Findings), "finding") + " in " + plural(len(files), "file")
		if skipped > 0 {
			s += " (" + plural(skipped, "file") + " not scanned)"
		}
		return s
	}
	scanned := res.Files - skipped
	switch {
	case skipped == 0 && res.Files == 0:
		return "nothing to scan"
	case skipped == 0:
		return "no secrets found"
	case scanned <= 0:
		return "nothing scanned: " + plural(skipped, "file") + " not scanned"
	}
	return "no secrets in the " + plural(scanned, "file") + " scanned; " + plural(skipped, "file") + " not scanned"
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
