package scanner

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// peerCase is one row of testdata/peers/gitleaks-cases.jsonl.
type peerCase struct {
	RuleID string `json:"rule_id"`
	Kind   string `json:"kind"`
	Text   string `json:"text"`
	Path   string `json:"path"`
}

// peerIDs maps each gitleaks rule we cover to the pushguard rules covering it.
func peerIDs() map[string][]string {
	all := map[string][]string{}
	for _, m := range []map[string][]string{cloudPeerIDs(), devToolPeerIDs(), saasPeerIDs(), aiPeerIDs(), privateKeyPeerIDs(), connectionStringPeerIDs(), genericPeerIDs()} {
		for k, v := range m {
			all[k] = append(all[k], v...)
		}
	}
	return all
}

func loadPeerCases(t testing.TB) []peerCase {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "peers", "gitleaks-cases.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []peerCase
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var c peerCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("peer case: %v", err)
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

// peerTally counts one gitleaks rule's samples.
type peerTally struct {
	tp, tpFound, fp, fpFlagged      int
	badChecksum, badChecksumFlagged int
}

// crcTokenRe finds GitHub and npm tokens of the checksummed format.
var crcTokenRe = regexp.MustCompile(`\b(?:gh[pousr]|npm)_[A-Za-z0-9]{36}\b`)

// badChecksum reports a sample whose checksummed tokens all fail the check.
func badChecksum(text string) bool {
	tokens := crcTokenRe.FindAllString(text, -1)
	for _, tok := range tokens {
		if ValidCRC32Token(tok) {
			return false
		}
	}
	return len(tokens) > 0
}

// TestGitleaksConformance scans gitleaks' own true- and false-positive samples
// for every gitleaks rule that a pushguard rule covers. A true positive counts
// as found when any pushguard rule reports it (gitleaks too reports some of
// its generic samples under a specific rule); a false positive counts as
// flagged when a covering rule reports it (gitleaks' false positives say
// only that their own rule must stay quiet). True positives whose GitHub or
// npm token fails the format's CRC-32 checksum are not tokens GitHub or npm
// could have issued: they are counted apart, and pushguard rejects them by
// design. Run with -v for the per-rule table.
func TestGitleaksConformance(t *testing.T) {
	t.Parallel()
	covered := peerIDs()
	rules := defaultRules(t)
	sc := New(rules, testKey)
	tallies := map[string]*peerTally{}
	var total peerTally
	for _, c := range loadPeerCases(t) {
		ours, ok := covered[c.RuleID]
		if !ok {
			continue
		}
		path := c.Path
		if path == "" {
			path = "sample.txt"
		}
		res, err := sc.ScanFile(context.Background(), path, "", strings.NewReader(c.Text))
		if err != nil {
			t.Fatal(err)
		}
		tl := tallies[c.RuleID]
		if tl == nil {
			tl = &peerTally{}
			tallies[c.RuleID] = tl
		}
		hit := false
		for _, f := range res.Findings {
			hit = hit || slices.Contains(ours, f.RuleID) || c.Kind == "tp"
		}
		if c.Kind == "tp" && badChecksum(c.Text) {
			tl.badChecksum++
			total.badChecksum++
			if hit {
				tl.badChecksumFlagged++
				total.badChecksumFlagged++
			}
			continue
		}
		if c.Kind == "tp" {
			tl.tp++
			total.tp++
			if hit {
				tl.tpFound++
				total.tpFound++
			}
		} else {
			tl.fp++
			total.fp++
			if hit {
				tl.fpFlagged++
				total.fpFlagged++
			}
		}
	}
	ids := make([]string, 0, len(tallies))
	for id := range tallies {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		tl := tallies[id]
		t.Logf("%-45s tp %3d/%-3d fp %d/%d bad-checksum %d/%d", id, tl.tpFound, tl.tp, tl.fpFlagged, tl.fp, tl.badChecksumFlagged, tl.badChecksum)
	}
	recall := ratio(total.tpFound, total.tp)
	fpRate := ratio(total.fpFlagged, total.fp)
	t.Logf("gitleaks rules covered: %d; true positives found %d/%d (%.1f%%); false positives flagged %d/%d (%.1f%%); "+
		"samples with a failing token checksum flagged %d/%d",
		len(tallies), total.tpFound, total.tp, 100*recall, total.fpFlagged, total.fp, 100*fpRate,
		total.badChecksumFlagged, total.badChecksum)
	if len(covered) > 0 && recall < 0.90 {
		t.Errorf("recall on gitleaks' true positives %.1f%%, want at least 90%%", 100*recall)
	}
	// 15 of gitleaks' gcp-api-key "false positives" are real-format keys
	// that Firebase publishes in its SDK test fixtures, which gitleaks
	// allowlists by value. A real-format key in a commit is a finding for us
	// (GitHub's own secret scanning flags them too), so the bound leaves room
	// for them and nothing else.
	if fpRate > 0.08 {
		t.Errorf("%.1f%% of gitleaks' false positives flagged, want at most 8%%", 100*fpRate)
	}
	for id := range covered {
		if tallies[id] == nil {
			t.Errorf("peer mapping names gitleaks rule %q, which has no samples", id)
		}
	}
	for _, ours := range covered {
		for _, id := range ours {
			if _, ok := rules.Rule(id); !ok {
				t.Errorf("peer mapping names unknown pushguard rule %q", id)
			}
		}
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
