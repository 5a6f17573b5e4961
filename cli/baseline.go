package cli

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/pushguard/pushguard/scanner"
	"github.com/pushguard/pushguard/scanner/report"
)

// baseline is the set of fingerprints of a previous report: findings
// already known, hidden from the scan's report.
type baseline map[string]bool

// fingerprintLen is the length of a whole fingerprint in hex.
const fingerprintLen = 64

// loadBaseline reads a previous --format json report. Anything else (not
// JSON, not an array, an entry without a whole fingerprint) is an error,
// never an empty baseline. No path is no baseline.
func loadBaseline(path string) (baseline, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	var entries []struct {
		Fingerprint *string `json:"fingerprint"`
	}
	if err := json.Unmarshal(data, &entries); err != nil {
		return nil, fmt.Errorf("baseline %s: not a pushguard JSON report (the array 'pushguard scan --format json' writes): %w", path, err)
	}
	if entries == nil {
		return nil, fmt.Errorf("baseline %s: not a pushguard JSON report: null", path)
	}
	base := baseline{}
	for i, e := range entries {
		if e.Fingerprint == nil || len(*e.Fingerprint) != fingerprintLen || !isHex(*e.Fingerprint) {
			return nil, fmt.Errorf("baseline %s: finding %d has no fingerprint of %d hexadecimal characters", path, i+1, fingerprintLen)
		}
		base[*e.Fingerprint] = true
	}
	return base, nil
}

// writeBaseline writes known, every finding of the scan that is not ignored
// (those the old baseline hid included; see triage), as a JSON report: the
// next run's baseline.
func writeBaseline(path string, known []scanner.Finding) error {
	return createFile(path, func(f *os.File) error {
		return report.JSON(f, report.Scan{Result: &scanner.Result{Findings: known}})
	})
}

// createFile creates path and fills it with write.
func createFile(path string, write func(f *os.File) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
