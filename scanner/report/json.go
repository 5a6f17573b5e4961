package report

import (
	"encoding/json"
	"io"

	"github.com/pushguard/pushguard/scanner"
)

// jsonFinding is the JSON output's record. It is its own type, not
// scanner.Finding's encoding, so the output is a stable contract: every key is
// always present (commit is "" outside a git history) and the secret has no
// field to slip into.
type jsonFinding struct {
	RuleID      string `json:"rule_id"`
	Provider    string `json:"provider"`
	Description string `json:"description"`
	Path        string `json:"path"`
	Commit      string `json:"commit"`
	Line        int    `json:"line"`
	EndLine     int    `json:"end_line"`
	StartColumn int    `json:"start_column"`
	EndColumn   int    `json:"end_column"`
	Confidence  string `json:"confidence"`
	Redacted    string `json:"redacted"`
	Fingerprint string `json:"fingerprint"`
	// Encoding is present only for a secret found after decoding the text
	// at the location ("base64", "hex", "percent", "base64+percent").
	Encoding string `json:"encoding,omitempty"`
}

// JSON writes findings as an indented JSON array, [] when there are none.
func JSON(w io.Writer, findings []scanner.Finding) error {
	out := make([]jsonFinding, 0, len(findings))
	for _, f := range findings {
		out = append(out, jsonFinding{
			RuleID: f.RuleID, Provider: f.Provider, Description: f.Description,
			Path: f.Path, Commit: f.Commit, Line: f.Line, EndLine: f.EndLine,
			StartColumn: f.StartColumn, EndColumn: f.EndColumn,
			Confidence: f.Confidence.String(), Redacted: f.Redacted, Fingerprint: f.Fingerprint,
			Encoding: f.Encoding,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
