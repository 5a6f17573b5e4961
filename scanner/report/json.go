package report

import (
	"encoding/json"
	"io"

	"github.com/pushguard/pushguard/scanner"
)

// Statuses of a finding in the JSON and CSV reports.
const (
	StatusOpen    = "open"    // a finding that counts
	StatusIgnored = "ignored" // matched by the ignore file
)

// jsonFinding is the JSON output's record. It is its own type, not
// scanner.Finding's encoding, so the output is a stable contract: every key is
// always present (commit is "" outside a git history, ignore_reason "" unless
// the status is "ignored") and the secret has no field to slip into.
type jsonFinding struct {
	RuleID       string `json:"rule_id"`
	Provider     string `json:"provider"`
	Description  string `json:"description"`
	Path         string `json:"path"`
	Commit       string `json:"commit"`
	Line         int    `json:"line"`
	EndLine      int    `json:"end_line"`
	StartColumn  int    `json:"start_column"`
	EndColumn    int    `json:"end_column"`
	Confidence   string `json:"confidence"`
	Redacted     string `json:"redacted"`
	Fingerprint  string `json:"fingerprint"`
	Status       string `json:"status"`
	IgnoreReason string `json:"ignore_reason"`
	// Encoding is present only for a secret found after decoding the text
	// at the location ("base64", "hex", "percent", "base64+percent").
	Encoding string `json:"encoding,omitempty"`
}

// JSON writes a scan as an indented JSON array of findings, [] when there
// are none: the findings that count (status "open"), then the ignored ones
// (status "ignored", with their reason). Findings hidden by the baseline
// and files not scanned are not in it.
func JSON(w io.Writer, s Scan) error {
	res := s.result()
	out := make([]jsonFinding, 0, len(res.Findings)+len(s.Ignored))
	for _, f := range res.Findings {
		out = append(out, jsonFindingOf(f, StatusOpen, ""))
	}
	for _, ig := range s.Ignored {
		out = append(out, jsonFindingOf(ig.Finding, StatusIgnored, ig.Reason))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func jsonFindingOf(f scanner.Finding, status, reason string) jsonFinding {
	return jsonFinding{
		RuleID: f.RuleID, Provider: f.Provider, Description: f.Description,
		Path: f.Path, Commit: f.Commit, Line: f.Line, EndLine: f.EndLine,
		StartColumn: f.StartColumn, EndColumn: f.EndColumn,
		Confidence: f.Confidence.String(), Redacted: f.Redacted, Fingerprint: f.Fingerprint,
		Status: status, IgnoreReason: reason, Encoding: f.Encoding,
	}
}
