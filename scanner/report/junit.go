package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/pushguard/pushguard/scanner"
)

// junitSuites is a JUnit XML report as CI systems read it (Jenkins, GitLab,
// Azure Pipelines): one suite named pushguard.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Errors    int         `xml:"errors,attr"`
	Skipped   int         `xml:"skipped,attr"`
	TestCases []junitCase `xml:"testcase"`
	SystemOut string      `xml:"system-out,omitempty"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// JUnit writes a scan as JUnit XML: one failed test case per finding (named
// for its location and rule, its message the provider and the redacted
// value), one skipped test case per ignored finding (with its reason) and
// per file not scanned (with why), one passing case when nothing was found
// (CI systems refuse a report without cases), and the summary line as the
// suite's system-out.
func JUnit(w io.Writer, s Scan) error {
	res := s.result()
	suite := junitSuite{Name: "pushguard", SystemOut: Summary(s)}
	for _, f := range res.Findings {
		suite.TestCases = append(suite.TestCases, junitCase{
			Name: junitName(f), ClassName: f.Path,
			Failure: &junitFailure{Message: findingMessage(f), Type: f.RuleID, Text: junitDetail(f)},
		})
	}
	for _, ig := range s.Ignored {
		suite.TestCases = append(suite.TestCases, junitCase{
			Name: junitName(ig.Finding), ClassName: ig.Finding.Path,
			Skipped: &junitSkipped{Message: "ignored: " + ig.Reason},
		})
	}
	for _, sk := range res.Skipped {
		suite.TestCases = append(suite.TestCases, junitCase{
			Name: "not scanned: " + sk.Path, ClassName: sk.Path,
			Skipped: &junitSkipped{Message: "not scanned: " + DescribeSkipped(sk)},
		})
	}
	if len(res.Findings) == 0 {
		// CI systems refuse a report without test cases; a clean scan is one
		// passing case, named for what was scanned.
		suite.TestCases = append(suite.TestCases, junitCase{Name: ResultSummary(res), ClassName: "pushguard"})
	}
	suite.Tests = len(suite.TestCases)
	suite.Failures = len(res.Findings)
	suite.Skipped = len(s.Ignored) + len(res.Skipped)
	doc := junitSuites{Name: "pushguard", Tests: suite.Tests, Failures: suite.Failures, Skipped: suite.Skipped, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// junitName names a finding's test case: "path:line rule-id", with the
// commit when there is one.
func junitName(f scanner.Finding) string {
	name := fmt.Sprintf("%s:%d %s", f.Path, f.Line, f.RuleID)
	if f.Commit != "" {
		name += " (commit " + shortSHA(f.Commit) + ")"
	}
	return name
}

// findingMessage is one line saying what leaked, redacted.
func findingMessage(f scanner.Finding) string {
	msg := fmt.Sprintf("%s secret leaked: %s", f.Provider, f.Redacted)
	if f.Encoding != "" {
		msg += " encoded (" + f.Encoding + ")"
	}
	return msg
}

// junitDetail is a failure's body: where, what and its fingerprint.
func junitDetail(f scanner.Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", location(f))
	if f.Description != "" {
		fmt.Fprintf(&b, "%s\n", oneLine(f.Description))
	}
	fmt.Fprintf(&b, "fingerprint: %s\n", f.Fingerprint)
	return b.String()
}
