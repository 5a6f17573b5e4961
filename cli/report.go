package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/pushguard/pushguard/repoconfig"
	"github.com/pushguard/pushguard/scanner"
	"github.com/pushguard/pushguard/scanner/report"
)

// formats lists the report formats of --format.
func formats() []string { return []string{"text", "json", "sarif", "junit", "csv"} }

// writeReport renders s in the chosen format to --output or stdout. The
// output file is created only once the scan has succeeded.
func writeReport(o *scanOptions, stdout io.Writer, s report.Scan, rules *scanner.Ruleset, version string) error {
	if o.toStdout() {
		return render(o.format, stdout, s, rules, version)
	}
	return createFile(o.output, func(f *os.File) error { return render(o.format, f, s, rules, version) })
}

// render writes s to w in format; version names pushguard in SARIF.
func render(format string, w io.Writer, s report.Scan, rules *scanner.Ruleset, version string) error {
	var err error
	switch format {
	case "json":
		err = report.JSON(w, s)
	case "sarif":
		err = report.SARIF(w, s, rules, version)
	case "junit":
		err = report.JUnit(w, s)
	case "csv":
		err = report.CSV(w, s)
	default:
		err = report.Text(w, s, rules)
	}
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// writeNotices tells the user on stderr what the report on their terminal
// would not: the files not scanned, unless a text report on stdout lists
// them already (so they are shown once, not twice), and the summary line
// when the report went to a file. Findings the configuration's allowlist
// dropped are counted, whatever the format (a JSON report is a list of
// findings, with no place for the count), on a line of their own naming
// the configuration; the summary line leaves them out, so they are counted
// once.
func writeNotices(o *scanOptions, stderr io.Writer, s report.Scan, configName string) {
	if s.Result != nil && s.Result.Allowed > 0 {
		fmt.Fprintf(stderr, "pushguard: %s\n", repoconfig.AllowedSummary(s.Result.Allowed, configName))
	}
	if !o.toStdout() || o.format != "text" {
		for _, sk := range s.Result.Skipped {
			fmt.Fprintf(stderr, "pushguard: not scanned: %s\n", report.DescribeSkipped(sk))
		}
	}
	if !o.toStdout() {
		fmt.Fprintf(stderr, "pushguard: %s (report in %s)\n", report.Summary(withoutAllowed(s)), o.output)
	}
}

// withoutAllowed returns s with a copy of its result whose allowlist count
// is 0, for a summary that leaves that count to the line naming the
// configuration.
func withoutAllowed(s report.Scan) report.Scan {
	if s.Result == nil || s.Result.Allowed == 0 {
		return s
	}
	res := *s.Result
	res.Allowed = 0
	s.Result = &res
	return s
}
