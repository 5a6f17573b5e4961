package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/pushguard/pushguard/scanner"
)

// csvHeader names the CSV report's columns, in order.
func csvHeader() []string {
	return []string{
		"rule_id", "provider", "path", "commit", "line", "end_line", "start_column", "end_column",
		"confidence", "redacted", "fingerprint", "status", "ignore_reason", "encoding",
	}
}

// CSV writes a scan as RFC 4180 CSV (CRLF line ends, quoted where needed)
// with a header row: one row per finding that counts (status "open"), then
// one per ignored finding (status "ignored", with its reason). The columns
// are those of the JSON report but the description.
func CSV(w io.Writer, s Scan) error {
	res := s.result()
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(csvHeader()); err != nil {
		return err
	}
	for _, f := range res.Findings {
		if err := cw.Write(csvRow(f, StatusOpen, "")); err != nil {
			return err
		}
	}
	for _, ig := range s.Ignored {
		if err := cw.Write(csvRow(ig.Finding, StatusIgnored, ig.Reason)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvRow(f scanner.Finding, status, reason string) []string {
	return []string{
		f.RuleID, f.Provider, csvText(f.Path), f.Commit,
		strconv.Itoa(f.Line), strconv.Itoa(f.EndLine), strconv.Itoa(f.StartColumn), strconv.Itoa(f.EndColumn),
		f.Confidence.String(), csvText(f.Redacted), f.Fingerprint, status, csvText(reason), f.Encoding,
	}
}

// csvText defuses a cell a spreadsheet would run as a formula (CWE-1236):
// paths, redacted values and reasons come from the scanned repository, so
// one starting with =, +, -, @, a tab or a carriage return gets a leading
// apostrophe, as OWASP advises.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
