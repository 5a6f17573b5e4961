package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/pushguard/pushguard/scanner"
)

// TestSARIFAllowed: the count of findings the allowlist dropped is a run
// property, next to the baseline's.
func TestSARIFAllowed(t *testing.T) {
	t.Parallel()
	for _, s := range []Scan{
		{Result: &scanner.Result{Files: 1, Allowed: 3}},
		{Result: &scanner.Result{Files: 1, Allowed: 3}, Baselined: 1},
	} {
		var buf bytes.Buffer
		if err := SARIF(&buf, s, testRules(t), "1.2.3"); err != nil {
			t.Fatal(err)
		}
		var log struct {
			Runs []struct {
				Properties map[string]int `json:"properties"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
			t.Fatal(err)
		}
		p := log.Runs[0].Properties
		if p["pushguard/allowedByAllowlist"] != 3 || p["pushguard/hiddenByBaseline"] != s.Baselined {
			t.Errorf("properties %v", p)
		}
	}
}
