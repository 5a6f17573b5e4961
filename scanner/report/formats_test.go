package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/pushguard/pushguard/scanner"
)

// TestSARIFSuppressions checks that an ignored finding is a result with an
// external suppression carrying its reason, and that the baseline's count
// is a run property.
func TestSARIFSuppressions(t *testing.T) {
	t.Parallel()
	rs := testRules(t)
	findings, skipped := testFindings(t, rs)
	var buf bytes.Buffer
	if err := SARIF(&buf, testScan(findings, skipped), rs, "1.2.3"); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Properties map[string]int `json:"properties"`
			Results    []struct {
				PartialFingerprints map[string]string `json:"partialFingerprints"`
				Suppressions        []struct {
					Kind, Status, Justification string
				} `json:"suppressions"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if run.Properties["pushguard/hiddenByBaseline"] != 2 {
		t.Errorf("properties %v, want hiddenByBaseline 2", run.Properties)
	}
	var suppressed []string
	for _, r := range run.Results {
		for _, s := range r.Suppressions {
			if s.Kind != "external" || s.Status != "accepted" {
				t.Errorf("suppression %+v, want external and accepted", s)
			}
			suppressed = append(suppressed, r.PartialFingerprints[FingerprintKey]+" "+s.Justification)
		}
	}
	want := findings[0].Fingerprint + " test fixture, never issued"
	if len(run.Results) != 3 || len(suppressed) != 1 || suppressed[0] != want {
		t.Errorf("%d results, suppressed %q; want 3 results and %q", len(run.Results), suppressed, want)
	}
}

// TestJUnitStructure checks that the JUnit report is XML a CI system reads:
// a failure per finding with a redacted message, a skipped case per ignored
// finding and per file not scanned, and counts that add up.
func TestJUnitStructure(t *testing.T) {
	t.Parallel()
	rs := testRules(t)
	findings, skipped := testFindings(t, rs)
	var buf bytes.Buffer
	if err := JUnit(&buf, testScan(findings, skipped)); err != nil {
		t.Fatal(err)
	}
	checkNoSecret(t, buf.Bytes())
	var doc junitSuites
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("not XML: %v", err)
	}
	if len(doc.Suites) != 1 {
		t.Fatalf("%d suites, want 1", len(doc.Suites))
	}
	suite := doc.Suites[0]
	var failures, skips int
	for _, c := range suite.TestCases {
		switch {
		case c.Failure != nil:
			failures++
			if !strings.Contains(c.Failure.Message, "(16 chars)") && !strings.Contains(c.Failure.Message, "(31 chars)") {
				t.Errorf("failure message %q is not redacted", c.Failure.Message)
			}
		case c.Skipped != nil:
			skips++
		}
	}
	if failures != 2 || skips != 3 || suite.Tests != 5 || suite.Failures != 2 || suite.Skipped != 3 || doc.Tests != 5 {
		t.Errorf("%d failures, %d skipped; suite says %d/%d/%d", failures, skips, suite.Tests, suite.Failures, suite.Skipped)
	}
}

// TestCSVStructure reads the CSV report back as RFC 4180 and checks its
// header, rows and statuses.
func TestCSVStructure(t *testing.T) {
	t.Parallel()
	rs := testRules(t)
	findings, skipped := testFindings(t, rs)
	var buf bytes.Buffer
	if err := CSV(&buf, testScan(findings, skipped)); err != nil {
		t.Fatal(err)
	}
	checkNoSecret(t, buf.Bytes())
	if !bytes.HasSuffix(buf.Bytes(), []byte("\r\n")) {
		t.Error("rows do not end in CRLF")
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v", err)
	}
	if len(rows) != 4 || strings.Join(rows[0], ",") != strings.Join(csvHeader(), ",") {
		t.Fatalf("rows %q, want the header and 3 rows", rows)
	}
	var statuses []string
	for _, r := range rows[1:] {
		statuses = append(statuses, r[11]+":"+r[12])
	}
	want := "open: open: ignored:test fixture, never issued"
	if got := strings.Join(statuses, " "); got != want {
		t.Errorf("statuses %q, want %q", got, want)
	}
	// "docs/setup notes.md" has a space; the ignored row's reason a comma-free
	// text: both round-trip. A path with a comma and a quote must be quoted.
	var quoted bytes.Buffer
	f := findings[0]
	f.Path = `a,"b".env`
	if err := CSV(&quoted, Scan{Result: resultOf(f)}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(quoted.String(), `"a,""b"".env"`) {
		t.Errorf("path not quoted per RFC 4180:\n%s", quoted.String())
	}
}

func resultOf(fs ...scanner.Finding) *scanner.Result {
	return &scanner.Result{Findings: fs, Files: 1}
}

// TestCSVFormulaCells: a path or reason from the scanned repository that a
// spreadsheet would evaluate as a formula is written as text.
func TestCSVFormulaCells(t *testing.T) {
	t.Parallel()
	rs := testRules(t)
	findings, _ := testFindings(t, rs)
	for _, path := range []string{"=HYPERLINK(\"http://x\")", "+1.env", "-2.env", "@SUM(A1).env", "\tx.env"} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			f := findings[0]
			f.Path = path
			var buf bytes.Buffer
			if err := CSV(&buf, Scan{Result: resultOf(f)}); err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(&buf).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if got := rows[1][2]; got != "'"+path {
				t.Errorf("path cell %q, want %q", got, "'"+path)
			}
		})
	}
	t.Run("plain", func(t *testing.T) {
		f := findings[0]
		f.Path = "config/.env"
		var buf bytes.Buffer
		if err := CSV(&buf, Scan{Result: resultOf(f)}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), ",config/.env,") {
			t.Errorf("a plain path was changed:\n%s", buf.String())
		}
	})
}
