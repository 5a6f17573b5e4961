package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/pushguard/pushguard/scanner"
)

// TestSARIFStructure checks what SARIF 2.1.0 and GitHub code scanning
// require of the log, independently of the golden file.
func TestSARIFStructure(t *testing.T) {
	t.Parallel()
	rs := testRules(t)
	findings, _ := testFindings(t, rs)
	var buf bytes.Buffer
	if err := SARIF(&buf, Scan{Result: &scanner.Result{Findings: findings}}, rs, "1.2.3"); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Schema  string `json:"$schema"`
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name    string `json:"name"`
					Version string `json:"version"`
					Rules   []struct {
						ID               string         `json:"id"`
						Name             string         `json:"name"`
						ShortDescription map[string]any `json:"shortDescription"`
						FullDescription  map[string]any `json:"fullDescription"`
						Help             struct{ Text, Markdown string }
						Properties       map[string]any `json:"properties"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex *int   `json:"ruleIndex"`
				Level     string `json:"level"`
				Message   struct {
					Text string `json:"text"`
				} `json:"message"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine, EndLine, StartColumn, EndColumn int
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
				PartialFingerprints map[string]string `json:"partialFingerprints"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if log.Schema != SARIFSchema || log.Version != "2.1.0" {
		t.Errorf("$schema %q version %q, want %q 2.1.0", log.Schema, log.Version, SARIFSchema)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(log.Runs))
	}
	run := log.Runs[0]
	if run.Tool.Driver.Name != "pushguard" || run.Tool.Driver.Version != "1.2.3" {
		t.Errorf("driver %q %q", run.Tool.Driver.Name, run.Tool.Driver.Version)
	}
	rules := run.Tool.Driver.Rules
	if len(rules) != 2 {
		t.Errorf("%d rules, want one per rule with results (2)", len(rules))
	}
	for _, r := range rules {
		if r.ID == "" || r.Name == "" || r.ShortDescription["text"] == "" || r.FullDescription["text"] == "" || r.Help.Text == "" || r.Help.Markdown == "" {
			t.Errorf("rule %q lacks a required field: %+v", r.ID, r)
		}
		if r.Properties["security-severity"] != "9.0" || r.Properties["precision"] == "" || r.Properties["tags"] == nil {
			t.Errorf("rule %q properties %v", r.ID, r.Properties)
		}
	}
	if len(run.Results) != len(findings) {
		t.Fatalf("%d results, want %d", len(run.Results), len(findings))
	}
	for i, res := range run.Results {
		if res.RuleIndex == nil || *res.RuleIndex < 0 || *res.RuleIndex >= len(rules) || rules[*res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %d: ruleIndex does not point at rule %q", i, res.RuleID)
		}
		if res.Level != "error" || res.Message.Text == "" || len(res.Locations) != 1 {
			t.Errorf("result %d: level %q, message %q, %d locations", i, res.Level, res.Message.Text, len(res.Locations))
			continue
		}
		loc := res.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URI == "" || loc.Region.StartLine < 1 || loc.Region.EndLine < loc.Region.StartLine ||
			loc.Region.StartColumn < 1 || loc.Region.EndColumn <= loc.Region.StartColumn {
			t.Errorf("result %d: bad location %+v", i, loc)
		}
		if res.PartialFingerprints[FingerprintKey] != findings[i].Fingerprint {
			t.Errorf("result %d: partialFingerprints %v", i, res.PartialFingerprints)
		}
	}
	checkNoSecret(t, buf.Bytes())
}

func TestArtifactURI(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"relative", "config/app.env", "config/app.env"},
		{"dot slash", "./a/b.go", "a/b.go"},
		{"space", "docs/setup notes.md", "docs/setup%20notes.md"},
		{"absolute", "/src/app/x.go", "file:///src/app/x.go"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := artifactURI(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
