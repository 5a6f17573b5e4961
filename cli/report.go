package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/pushguard/pushguard/scanner"
	"github.com/pushguard/pushguard/scanner/report"
)

// writeReport renders res in the chosen format to --output or stdout. The
// output file is created only once the scan has succeeded.
func writeReport(o *scanOptions, stdout io.Writer, res *scanner.Result, rules *scanner.Ruleset, version string) error {
	if o.output == "" || o.output == "-" {
		return render(o.format, stdout, res, rules, version)
	}
	f, err := os.Create(o.output)
	if err != nil {
		return err
	}
	if err := render(o.format, f, res, rules, version); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// render writes res to w in format; version names pushguard in SARIF.
func render(format string, w io.Writer, res *scanner.Result, rules *scanner.Ruleset, version string) error {
	var err error
	switch format {
	case "json":
		err = report.JSON(w, res.Findings)
	case "sarif":
		err = report.SARIF(w, res.Findings, res.Skipped, rules, version)
	default:
		err = report.Text(w, res, rules)
	}
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}
