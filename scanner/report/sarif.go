package report

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pushguard/pushguard/scanner"
)

// SARIF constants.
const (
	SARIFSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	SARIFVersion = "2.1.0"
	// FingerprintKey names pushguard's fingerprint among a result's
	// partialFingerprints; code-scanning dashboards match results by it.
	FingerprintKey = "pushguardFingerprint/v1"

	informationURI = "https://github.com/pushguard/pushguard"
	// securitySeverity is GitHub code scanning's CVSS-like score: a leaked
	// credential is critical (9.0 and above).
	securitySeverity = "9.0"
)

// SARIF writes a scan as a SARIF 2.1.0 log with one run. The run's rules
// are the rules that have results, described from rules (which may be nil);
// columns count Unicode code points. Ignored findings are results with an
// external suppression whose justification is the reason given; the number
// of findings the baseline hid is the run's property
// "pushguard/hiddenByBaseline". Each file that was not scanned is a warning
// among the run's invocations[0].toolExecutionNotifications.
func SARIF(w io.Writer, s Scan, rules *scanner.Ruleset, toolVersion string) error {
	res := s.result()
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name: "pushguard", InformationURI: informationURI, Version: toolVersion,
			Rules: []sarifDescriptor{},
		}},
		Invocations: []sarifInvocation{{ExecutionSuccessful: true, ToolExecutionNotifications: notScanned(res.Skipped)}},
		ColumnKind:  "unicodeCodePoints",
		Results:     []sarifResult{},
	}
	if s.Baselined > 0 || res.Allowed > 0 {
		run.Properties = map[string]int{}
	}
	if s.Baselined > 0 {
		run.Properties["pushguard/hiddenByBaseline"] = s.Baselined
	}
	if res.Allowed > 0 {
		run.Properties["pushguard/allowedByAllowlist"] = res.Allowed
	}
	all := slices.Clone(res.Findings)
	for _, ig := range s.Ignored {
		all = append(all, ig.Finding)
	}
	index := map[string]int{}
	for _, id := range ruleIDs(all) {
		index[id] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, describeRule(id, all, rules))
	}
	for _, f := range res.Findings {
		run.Results = append(run.Results, sarifResultOf(f, index[f.RuleID]))
	}
	for _, ig := range s.Ignored {
		r := sarifResultOf(ig.Finding, index[ig.Finding.RuleID])
		r.Suppressions = []sarifSuppression{{Kind: "external", Status: "accepted", Justification: ig.Reason}}
		run.Results = append(run.Results, r)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: SARIFSchema, Version: SARIFVersion, Runs: []sarifRun{run}})
}

// notScanned turns the files that were not scanned into warnings.
func notScanned(skipped []scanner.Skipped) []sarifNotification {
	var out []sarifNotification
	for _, s := range skipped {
		out = append(out, sarifNotification{
			Descriptor: sarifDescriptorRef{ID: "not-scanned"},
			Level:      "warning",
			Message:    sarifText{Text: "not scanned: " + DescribeSkipped(s)},
			Locations:  []sarifNoteLoc{{PhysicalLocation: sarifNotePhysical{ArtifactLocation: sarifArtifact{URI: artifactURI(s.Path)}}}},
		})
	}
	return out
}

// ruleIDs returns the distinct rule IDs of findings, sorted.
func ruleIDs(findings []scanner.Finding) []string {
	var ids []string
	for _, f := range findings {
		ids = append(ids, f.RuleID)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

func sarifResultOf(f scanner.Finding, ruleIndex int) sarifResult {
	msg := findingMessage(f)
	if f.Commit != "" {
		msg += fmt.Sprintf(" (added in commit %s)", shortSHA(f.Commit))
	}
	return sarifResult{
		RuleID:    f.RuleID,
		RuleIndex: ruleIndex,
		Level:     "error",
		Message:   sarifText{Text: msg},
		Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
			ArtifactLocation: sarifArtifact{URI: artifactURI(f.Path)},
			Region: sarifRegion{
				StartLine: f.Line, EndLine: f.EndLine,
				// SARIF's endColumn is one past the region; a finding's is its last character.
				StartColumn: f.StartColumn, EndColumn: f.EndColumn + 1,
			},
		}}},
		PartialFingerprints: map[string]string{FingerprintKey: f.Fingerprint},
	}
}

// artifactURI turns a file path into a SARIF artifact URI: relative paths
// stay relative, with forward slashes and percent-encoding; absolute paths
// become file: URIs.
func artifactURI(path string) string {
	p := strings.TrimPrefix(filepath.ToSlash(path), "./")
	if filepath.IsAbs(path) {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p // a Windows drive path
		}
		return (&url.URL{Scheme: "file", Path: p}).String()
	}
	return (&url.URL{Path: p}).String()
}
