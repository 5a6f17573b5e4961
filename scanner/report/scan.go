package report

import (
	"strconv"
	"strings"

	"github.com/pushguard/pushguard/scanner"
)

// Scan is what a report shows: a scan's result, whose Findings are the
// ones that count, and what the user's ignore file and baseline took out of
// it.
type Scan struct {
	// Result holds the findings that count, the files not scanned and the
	// number of files seen.
	Result *scanner.Result
	// Ignored are findings matched by the ignore file, listed with the
	// reason given there and not counted as findings.
	Ignored []Ignored
	// Baselined is how many findings the baseline hid; they are not listed.
	Baselined int
}

// Ignored is a finding the user ignored, with the reason they gave.
type Ignored struct {
	// Finding is the finding as the scan reported it.
	Finding scanner.Finding
	// Reason is the ignore file's reason, redacted.
	Reason string
}

// Summary is the last line of the text report (and the CLI's summary on
// stderr): the result's summary (see ResultSummary), followed by how many
// findings were ignored, hidden by the baseline and allowed by the
// configuration's allowlist, when any were.
func Summary(s Scan) string {
	line := ResultSummary(s.result())
	var extra []string
	if n := len(s.Ignored); n > 0 {
		extra = append(extra, strconv.Itoa(n)+" ignored")
	}
	if s.Baselined > 0 {
		extra = append(extra, strconv.Itoa(s.Baselined)+" hidden by the baseline")
	}
	if n := s.result().Allowed; n > 0 {
		extra = append(extra, strconv.Itoa(n)+" allowed by the configuration's allowlist")
	}
	if len(extra) == 0 {
		return line
	}
	return line + "; " + strings.Join(extra, ", ")
}

// result returns s.Result, or an empty result when it is nil.
func (s Scan) result() *scanner.Result {
	if s.Result == nil {
		return &scanner.Result{}
	}
	return s.Result
}
